"""A scene's text block by block, each with the notes it explains: what the front ends show a
note beside (rules.py decides what is shown; this only keeps the blocks apart)."""

from __future__ import annotations

from game.model import Scene
from game.runtime.state import State


def passages(scene: Scene, state: State, summary: bool = False) -> list[tuple[str, tuple[str, ...]]]:
    """The scene's text as shown for `state`, block by block, each with the notes it explains:
    (Markdown, note ids). The scene's own notes go with its first passage. Joined by blank lines,
    the passages are rules.scene_text. With `summary`, a block with a summary shows it in place
    of its text, and keeps its notes: the player still finds what the block explains."""
    shown: list[tuple[str, tuple[str, ...]]] = []
    for block in scene.text:
        notes = block.notes
        if block.condition is None or block.condition.evaluate(state):
            template = block.summary if summary and block.summary is not None else block.text
            text = template.render(state).strip()
        elif block.otherwise is not None:
            text, notes = block.otherwise.render(state).strip(), ()
        else:
            continue
        if text:
            shown.append((text, notes))
        elif notes and shown:  # an empty block's notes stay with the text before it
            shown[-1] = (shown[-1][0], (*shown[-1][1], *notes))
    if scene.notes:
        if shown:
            shown[0] = (shown[0][0], (*scene.notes, *shown[0][1]))
        else:
            shown.append(("", scene.notes))
    return shown
