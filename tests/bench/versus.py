"""One story graph written twice, as a kengir story and as a ChoiceScript game, and the two
random play-testers run on it side by side: `kengir test` and ChoiceScript's `randomtest`.

    python tests/bench/versus.py write OUT 100 [--holes]   # write OUT/kengir and OUT/choicescript/web/OUT-name
    python tests/bench/run.py --only choicescript           # the comparison (needs Node and a checkout)

The graph: N scenes of about 150 words (two paragraphs), each with three choices; every choice
has a condition and effects; 13 variables (7 numbers, 4 true/false, 2 texts). The choices of
scene i lead a few scenes ahead (up to 2N/30), so that a run takes about 30 choices whatever N;
the last three scenes are endings. Choice 1 is open when a number is above a bound, choice 3
when it is not, choice 2 on a true/false or a text: one choice at least is always open. With
`holes`, each scene's first paragraph holds one `{variable}` (`${variable}` in ChoiceScript).

ChoiceScript hides an `*if` option whose condition is false, as kengir hides a choice without
a reason; numbers are not clamped in either (no min or max declared).
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
from pathlib import Path

WORDS = (
    "the wall dust steppe bread letter guard lamp barrack wire yard night morning voice hand "
    "door tower stone road light silence window brigade order rumour song cold"
).split()
NUMBERS = [f"n{i}" for i in range(7)]
FLAGS = [f"f{i}" for i in range(4)]
TEXTS = ["name", "trade"]
TEXT_VALUES = ["tech", "smith", "cook"]
PER_FILE = 50  # scenes per file, in both (kengir scene files, ChoiceScript scene files)
ENDINGS = 3

# The ChoiceScript files randomtest.js reads (besides the game): copied next to the game so that
# the checkout is never written to.
CHOICESCRIPT_FILES = ["randomtest.js", "headless.js", "seedrandom.js", "web/scene.js", "web/navigator.js", "web/util.js"]


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


class _Scene:
    """One scene of the graph, in neutral form."""

    def __init__(self, rng: random.Random, number: int, count: int, holes: bool) -> None:
        self.number = number
        self.first = _sentence(rng, 79)
        self.second = _sentence(rng, 70)
        variables = NUMBERS + FLAGS + TEXTS
        self.hole = variables[number % len(variables)] if holes else ""
        self.ending = number >= count - ENDINGS
        if self.ending:
            return
        reach = max(1, 2 * count // 30)
        self.targets = [min(count - 1, number + rng.randint(1, reach)) for _ in range(3)]
        self.texts = [_sentence(rng, 6) for _ in range(3)]
        self.number_var = rng.choice(NUMBERS)
        self.bound = rng.randint(0, 4)
        if rng.random() < 0.5:
            self.second_kind, self.second_var, self.second_value = "flag", rng.choice(FLAGS), ""
        else:
            self.second_kind, self.second_var, self.second_value = "text", rng.choice(TEXTS), rng.choice(TEXT_VALUES)
        up, down = rng.sample(NUMBERS, 2)
        self.effects = [
            [("add", up, 1), ("flag", rng.choice(FLAGS), rng.random() < 0.5)],
            [("add", down, -1), ("text", rng.choice(TEXTS), rng.choice(TEXT_VALUES))],
            [("add", self.number_var, 1), ("add", rng.choice([n for n in NUMBERS if n != self.number_var]), 2)],
        ]


def scenes_of(count: int, holes: bool, seed: int = 1) -> list[_Scene]:
    rng = random.Random(seed)
    return [_Scene(rng, i, count, holes) for i in range(count)]


# ------------------------------------------------------------------ kengir


def _kengir_condition(scene: _Scene, which: int) -> str:
    if which == 0:
        return f"{scene.number_var} > {scene.bound}"
    if which == 2:
        return f"not ({scene.number_var} > {scene.bound})"
    if scene.second_kind == "flag":
        return scene.second_var
    return f'{scene.second_var} == "{scene.second_value}"'


def _kengir_effects(effects: list[tuple[str, str, object]]) -> str:
    out = []
    for kind, name, value in effects:
        if kind == "add":
            out.append(f"{name}: '{name} + {value}'" if int(value) >= 0 else f"{name}: '{name} - {-int(value)}'")  # type: ignore[call-overload]
        elif kind == "flag":
            out.append(f"{name}: {'true' if value else 'false'}")
        else:
            out.append(f"{name}: '\"{value}\"'")
    return "{" + ", ".join(out) + "}"


def write_kengir(root: Path, scenes: list[_Scene]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    variables = (
        [f"    {n}: {{type: int, default: 0}}\n" for n in NUMBERS]
        + [f"    {f}: {{type: bool, default: false}}\n" for f in FLAGS]
        + [f'    {t}: {{type: str, default: "{TEXT_VALUES[0]}"}}\n' for t in TEXTS]
    )
    (root / "story.yaml").write_text(
        "story:\n  title: Versus\n  start: s.0\n  acts:\n    one: {title: One}\n  places:\n    yard: The yard\n"
        "  endings:\n    end: {title: The end, debrief: It ended.}\n  variables:\n" + "".join(variables) + "notes:\n"
        "  n0: {title: A note, kind: fact, body: A body., sources: [s0]}\nsources:\n  s0: {title: A source}\n"
    )
    (root / "scenes").mkdir(exist_ok=True)
    files: dict[int, list[str]] = {}
    for scene in scenes:
        first = scene.first if not scene.hole else scene.first[:-1] + f" {{{scene.hole}}}."
        lines = [
            f"  s.{scene.number}:",
            "    act: one",
            "    date: 1954-05-16",
            "    place: yard",
            f"    title: Scene {scene.number}",
            "    text:",
            f"      - '{first}'",
            f"      - '{scene.second}'",
        ]
        if scene.ending:
            lines.append("    ending: end")
        else:
            lines.append("    choices:")
            for which in range(3):
                lines += [
                    f"      - text: {scene.texts[which]}",
                    f"        if: '{_kengir_condition(scene, which)}'",
                    f"        goto: s.{scene.targets[which]}",
                    f"        set: {_kengir_effects(scene.effects[which])}",
                ]
        files.setdefault(scene.number // PER_FILE, []).extend(lines)
    for number, lines in files.items():
        (root / "scenes" / f"part_{number:04d}.yaml").write_text("scenes:\n" + "\n".join(lines) + "\n")
    return root


# ------------------------------------------------------------------ ChoiceScript


def _cs_condition(scene: _Scene, which: int) -> str:
    if which == 0:
        return f"({scene.number_var} > {scene.bound})"
    if which == 2:
        return f"(not({scene.number_var} > {scene.bound}))"
    if scene.second_kind == "flag":
        return f"({scene.second_var})"
    return f'({scene.second_var} = "{scene.second_value}")'


def _cs_effects(effects: list[tuple[str, str, object]]) -> list[str]:
    out = []
    for kind, name, value in effects:
        if kind == "add":
            out.append(f"*set {name} {'+' if int(value) >= 0 else '-'}{abs(int(value))}")  # type: ignore[call-overload]
        elif kind == "flag":
            out.append(f"*set {name} {'true' if value else 'false'}")
        else:
            out.append(f'*set {name} "{value}"')
    return out


def _cs_file(number: int) -> str:
    return f"part{number:04d}"


def write_choicescript(game: Path, scenes: list[_Scene]) -> Path:
    """The game's folder (web/<name>): startup.txt creates the variables and goes to the first scene."""
    (game / "scenes").mkdir(parents=True, exist_ok=True)
    files = sorted({scene.number // PER_FILE for scene in scenes})
    startup = ["*title Versus", "*author Generated", "*scene_list", "  startup", *(f"  {_cs_file(f)}" for f in files), ""]
    startup += [f"*create {n} 0" for n in NUMBERS] + [f"*create {f} false" for f in FLAGS]
    startup += [f'*create {t} "{TEXT_VALUES[0]}"' for t in TEXTS]
    startup += ["", f"*goto_scene {_cs_file(0)} s_0", ""]
    (game / "scenes" / "startup.txt").write_text("\n".join(startup))
    out: dict[int, list[str]] = {}
    for scene in scenes:
        here = scene.number // PER_FILE
        first = scene.first if not scene.hole else scene.first[:-1] + f" ${{{scene.hole}}}."
        lines = [f"*label s_{scene.number}", first, "", scene.second, ""]
        if scene.ending:
            lines += ["*ending", ""]
        else:
            lines.append("*choice")
            for which in range(3):
                target = scene.targets[which]
                goto = f"*goto s_{target}" if target // PER_FILE == here else f"*goto_scene {_cs_file(target // PER_FILE)} s_{target}"
                lines.append(f"  *if {_cs_condition(scene, which)} #{scene.texts[which]}")
                lines += [f"    {line}" for line in _cs_effects(scene.effects[which])]
                lines.append(f"    {goto}")
            lines.append("")
        out.setdefault(here, []).extend(lines)
    for number, lines in out.items():
        (game / "scenes" / f"{_cs_file(number)}.txt").write_text("\n".join(lines))
    return game


def write_pair(target: Path, count: int, holes: bool, checkout: Path | None = None) -> tuple[Path, Path, str]:
    """The graph as a kengir story (target/kengir) and as a ChoiceScript game; with `checkout`,
    randomtest's own files are copied beside the game (target/choicescript), so it runs there.
    Returns the kengir root, the folder to run randomtest in, and the game's name."""
    scenes = scenes_of(count, holes)
    kengir = write_kengir(target / "kengir", scenes)
    runner = target / "choicescript"
    name = f"versus{count}{'holes' if holes else ''}"
    write_choicescript(runner / "web" / name, scenes)
    if checkout is not None:
        for relative in CHOICESCRIPT_FILES:
            (runner / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(checkout / relative, runner / relative)
    return kengir, runner, name


# ------------------------------------------------------------------ running them


def checkout_commit(checkout: Path) -> str:
    """The checkout's commit: its COMMIT file (a copy made with `git archive`), or else its own git
    work tree's HEAD (not that of a repository it merely sits in, such as this project's)."""
    marker = checkout / "COMMIT"
    if marker.exists():
        return marker.read_text().strip()
    try:
        top = subprocess.run(["git", "-C", str(checkout), "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=True)
        if Path(top.stdout.strip()).resolve() != checkout.resolve():
            return "unknown"
        return subprocess.run(["git", "-C", str(checkout), "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def one_core(argv: list[str]) -> list[str]:
    """The command pinned to the first core, where taskset exists."""
    return ["taskset", "-c", "0", *argv] if shutil.which("taskset") else argv


def randomtest_rate(runner: Path, name: str, runs: int, node: str = "node") -> float:
    """Playthroughs a second by randomtest's own timer (its "Time: N s" line), default settings."""
    out = subprocess.run(one_core([node, "randomtest.js", f"num={runs}", f"game={name}"]), capture_output=True, text=True, cwd=runner)
    if "RANDOMTEST PASSED" not in out.stdout:
        tail = (out.stdout + out.stderr).strip().splitlines()[-5:]
        raise RuntimeError(f"randomtest failed on {name}: " + " / ".join(tail))
    seconds = float(next(line for line in out.stdout.splitlines() if line.startswith("Time: "))[6:].rstrip("s"))
    return runs / seconds


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["write"])
    parser.add_argument("target", type=Path)
    parser.add_argument("scenes", type=int)
    parser.add_argument("--holes", action="store_true", help="one {variable} in each scene's text")
    parser.add_argument("--checkout", type=Path, help="a ChoiceScript checkout, to copy randomtest's files from")
    args = parser.parse_args()
    print(*write_pair(args.target, args.scenes, args.holes, args.checkout), sep="\n")
    sys.exit(0)
