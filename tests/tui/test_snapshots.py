"""A few SVG snapshots of the key screens at 80×24 (review changes in snapshot_report.html)."""

from __future__ import annotations

from tests.tui.helpers import press


def test_title(make_app, snap_compare):
    assert snap_compare(make_app(), terminal_size=(80, 24))


def test_play_screen(make_app, snap_compare):
    async def play(pilot):
        await press(pilot, "n")  # the woman's first scene: its note named under its paragraph

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=play)


def test_notes_archive(make_app, snap_compare):
    async def notes(pilot):
        await press(pilot, "n", "3", "a", "down")

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=notes)


def test_ending(make_app, snap_compare):
    async def ending(pilot):
        # Listen, go out, help carry the wounded (the prologue's question first: later), slip out.
        await press(pilot, "n", "1", "1", "1", "escape", "2")

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=ending)
