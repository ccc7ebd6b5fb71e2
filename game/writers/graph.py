"""`kengir graph`: the story map, like Twine's, as Graphviz DOT or Mermaid text.

Acts are clusters in story order, endings are marked, and a choice with a condition is labelled
with it, so a writer sees at a glance where the story branches and what gates each branch.
"""

from __future__ import annotations

from collections.abc import Iterator

from game.model import Choice, Scene, Story


def _visible(scene: Scene, perspective: str | None) -> bool:
    return perspective is None or not scene.perspectives or perspective in scene.perspectives


def _label(choice: Choice) -> str:
    text = "".join(p if isinstance(p, str) else "{" + p.source + "}" for p in choice.text.parts)
    parts = [text if len(text) <= 40 else text[:37] + "..."]
    if choice.condition is not None:
        parts.append(f"if {choice.condition.source}")
    if choice.once:
        parts.append("once")
    if choice.fallback:
        parts.append("fallback")
    return "\n".join(parts)


def _scenes_by_act(story: Story, perspective: str | None) -> list[tuple[str, str, list[Scene]]]:
    acts = []
    for act in sorted(story.acts.values(), key=lambda a: a.order):
        scenes = [s for s in story.scenes.values() if s.act == act.id and _visible(s, perspective)]
        if scenes:
            acts.append((act.id, act.title, scenes))
    return acts


def _dot_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _scene_label(story: Story, scene: Scene) -> str:
    """A box on the map: title, id, and which ending it is."""
    label = f"{scene.title}\n{scene.id}"
    if scene.ending:
        label += f"\nENDING: {story.endings[scene.ending].title}"
    return label


def _edges(story: Story, shown: set[str]) -> Iterator[tuple[str, Choice, str, bool]]:
    """The arrows: (from, choice, to, dashed) for each place a choice may lead on the map; dashed
    when the choice has a condition, is a fallback, or has routes (the state decides)."""
    for scene in story.scenes.values():
        if scene.id in shown:
            for choice in scene.choices:
                for target in dict.fromkeys(choice.targets):
                    if target in shown:
                        yield scene.id, choice, target, choice.condition is not None or choice.fallback or bool(choice.routes)


def to_dot(story: Story, perspective: str | None = None) -> str:
    lines = [
        "digraph story {",
        "  rankdir=LR;",
        '  node [shape=box, style=rounded, fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    shown = set()
    for act_id, title, scenes in _scenes_by_act(story, perspective):
        lines.append(f"  subgraph cluster_{act_id.replace('.', '_')} {{")
        lines.append(f"    label={_dot_quote(title)};")
        for scene in scenes:
            shown.add(scene.id)
            label = _scene_label(story, scene)
            if scene.ending:
                lines.append(f"    {_dot_quote(scene.id)} [label={_dot_quote(label)}, shape=doubleoctagon];")
            elif scene.id == story.start or any(p.start == scene.id for p in story.perspectives.values()):
                lines.append(f"    {_dot_quote(scene.id)} [label={_dot_quote(label)}, penwidth=2];")
            else:
                lines.append(f"    {_dot_quote(scene.id)} [label={_dot_quote(label)}];")
        lines.append("  }")
    for scene_id, choice, target, dashed in _edges(story, shown):
        style = ", style=dashed" if dashed else ""
        lines.append(f"  {_dot_quote(scene_id)} -> {_dot_quote(target)} [label={_dot_quote(_label(choice))}{style}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _mermaid_id(scene_id: str) -> str:
    return "s_" + scene_id.replace(".", "__")


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;").replace("\n", "<br/>")


def to_mermaid(story: Story, perspective: str | None = None) -> str:
    lines = ["flowchart LR"]
    shown = set()
    for act_id, title, scenes in _scenes_by_act(story, perspective):
        lines.append(f'  subgraph act_{act_id.replace(".", "_")}["{_mermaid_text(title)}"]')
        for scene in scenes:
            shown.add(scene.id)
            label = _mermaid_text(_scene_label(story, scene))
            if scene.ending:
                lines.append(f'    {_mermaid_id(scene.id)}(["{label}"])')
            else:
                lines.append(f'    {_mermaid_id(scene.id)}["{label}"]')
        lines.append("  end")
    for scene_id, choice, target, dashed in _edges(story, shown):
        arrow = "-.->" if dashed else "-->"
        lines.append(f'  {_mermaid_id(scene_id)} {arrow}|"{_mermaid_text(_label(choice))}"| {_mermaid_id(target)}')
    return "\n".join(lines) + "\n"
