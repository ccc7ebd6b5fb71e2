"""Violence marked on a text block: under the summary intensity its summary is shown in its
place, every other block of the scene in full, and the block's notes are still found."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.format import load_story
from game.model import Story
from game.runtime import Run

STORY = """
story:
  title: Blocks
  start: a.one
  acts:
    one: {title: One}
  places:
    yard: The yard
  endings:
    end: {title: The end, debrief: It ended.}
  variables:
    here: {type: bool, default: true}
scenes:
  a.one:
    act: one
    date: 1954-06-26
    place: yard
    title: One
    text:
      - Before dawn the loudspeakers start.
      - text: |
          The tank comes through the gate and a woman goes under it.
        notes: [n1]
        violence: true
        summary: A tank comes through the gate. A woman near you is killed.
      - if: here
        text: "Olena holds your hand. {here}"
      - if: not here
        text: The shots go on in the street.
        violence: true
        summary: There is firing in the street.
    choices:
      - text: Go on
        goto: a.two
        set: {here: false}
  a.two:
    act: one
    date: 1954-06-26
    place: yard
    title: Two
    violence: true
    summary: It is over.
    text: Everything that happened, in full.
    choices:
      - text: Again
        goto: a.three
  a.three:
    act: one
    date: 1954-06-27
    place: yard
    title: Three
    text:
      - Afterwards.
      - if: not here
        text: The shots go on in the street.
        violence: true
        summary: There is firing in the street.
    ending: end
notes:
  n1: {title: The dead, kind: fact, body: B, sources: [s1]}
sources:
  s1: {title: S}
"""


@pytest.fixture
def story(tmp_path: Path) -> Story:
    (tmp_path / "story.yaml").write_text(STORY, encoding="utf-8")
    return load_story(tmp_path)


def test_a_block_summary_replaces_only_its_block(story: Story) -> None:
    run = Run.start(story, intensity="summary")
    assert run.text == (
        "Before dawn the loudspeakers start.\n\nA tank comes through the gate. A woman near you is killed.\n\nOlena holds your hand. true"
    )
    full = Run.start(story)
    assert "a woman goes under it" in full.text and "killed" not in full.text
    assert full.text.startswith("Before dawn") and full.text.endswith("Olena holds your hand. true")


def test_a_summarised_block_keeps_its_notes(story: Story) -> None:
    run = Run.start(story, intensity="summary")
    assert run.passages[1] == ("A tank comes through the gate. A woman near you is killed.", ("n1",))
    assert "n1" in run.state.seen  # found on entering, as at the full intensity


def test_a_conditional_summary_follows_its_condition(story: Story) -> None:
    run = Run.start(story, intensity="summary")
    run.choose(0)
    assert run.text == "It is over."  # the scene's own summary stands for all of it
    run.choose(0)
    assert run.text == "Afterwards.\n\nThere is firing in the street."
    assert [text for text, _ in run.passages] == ["Afterwards.", "There is firing in the street."]
    full = Run.start(story)
    full.choose(0)
    full.choose(0)
    assert full.text == "Afterwards.\n\nThe shots go on in the street."


def test_a_scene_counts_as_violent_if_any_block_is(story: Story) -> None:
    assert story.scenes["a.one"].violent and not story.scenes["a.one"].violence
    assert story.scenes["a.two"].violent
    assert all(scene.summarised for scene in story.scenes.values())
