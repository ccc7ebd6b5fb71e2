"""Where the parts of a scene are written, found again in its file: for a problem that only the
whole story shows (kengir check's lints) about one condition, effect or `{hole}` in the text.

The model keeps the positions of scenes, choices and routes, not of every value: a story of
10,000 scenes would carry a million more. A lint that needs one reads the scene's file again
(once per file), by the name its positions give, which opens from the current folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from game.format.fields import text_position
from game.format.yaml_data import YList, YMap
from game.model import Pos, Problems, Scene


class ScenePlaces:
    """The positions of values inside scenes, read from their files when first asked for.

    One file is kept at a time: asked scene by scene in story order, each file is read once,
    and a large story's data is never all in memory again."""

    def __init__(self) -> None:
        self._name = ""
        self._data: YMap | None = None

    def _scene(self, scene: Scene) -> YMap | None:
        name = scene.pos.file
        if name != self._name:
            from game.format.yaml_reader import read_yaml

            self._name, self._data = name, None  # (let the last one go before reading the next)
            self._data = read_yaml(Path(name), name, Problems())
        data = self._data
        scenes = data.get("scenes") if data is not None else None
        found = scenes.get(scene.id) if isinstance(scenes, YMap) else None
        return found if isinstance(found, YMap) else None

    def at(self, scene: Scene, path: tuple[str | int, ...], offset: int = 0, find: str = "", default: Pos | None = None) -> Pos:
        """Where character `offset` of the value at `path` inside `scene` is written (after the
        first `find` in it, when given): ("choices", 2, "if") is the `if` of its third choice,
        ("text", 0, "if") the condition of its first text block, ("choices", 0, "set", "trust")
        an effect. A text block written as plain text is its own ("text", 0, "text"). Where the
        file no longer holds it, the nearest place that it does (at worst `default`, else the
        scene's own position)."""
        value: Any = self._scene(scene)
        pos = default or scene.pos
        if value is None:
            return pos
        for step in path:
            if isinstance(value, YMap) and step in value:
                pos, value = value.value_pos[step], value[step]
            elif isinstance(value, YList) and isinstance(step, int) and 0 <= step < len(value):
                pos, value = value.item_pos[step], value[step]
            elif not (isinstance(value, str) and step in ("text", 0)):
                return pos
        if not isinstance(value, str):
            return pos
        found = value.find(find) if find else 0
        return text_position(pos, value, max(found, 0) + offset)
