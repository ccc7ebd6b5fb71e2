"""`kengir graph --format html|svg`: the pages a writer reads, drawn by Graphviz's dot.

CI installs Graphviz (.ci/run); where `dot` is missing these tests are skipped, but for the
one that checks what the command says then."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from game.format import load_story
from game.session.paths import CHECKOUT
from game.writers.map_pages import map_pages
from tests.cli.test_cli import run_cli
from tests.conftest import MINI
from tests.writers.map_stories import long_story

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed (.ci/run installs it)")
SVG = "{http://www.w3.org/2000/svg}"


def _draw(story: Path, folder: Path, *options: str) -> list[Path]:
    code, out = run_cli("graph", str(story), "--format", "html", "-o", str(folder), *options)
    assert code == 0, out
    assert out.strip().endswith(f"Open {folder / 'index.html'} in a browser.")
    return sorted(folder.iterdir())


def _svgs(html: str) -> list[ET.Element]:
    """Every drawing inline in a page, each read as XML (so each is well formed)."""
    return [ET.fromstring(svg) for svg in re.findall(r"<svg .*?</svg>", html, flags=re.S)]


def _nodes(html: str) -> dict[str, str]:
    """The boxes drawn on a page: id -> all the words in it."""
    nodes = {}
    for svg in _svgs(html):
        for group in svg.iter(f"{SVG}g"):
            if group.get("class") == "node":
                nodes[group.get("id", "")] = " ".join("".join(t.itertext()) for t in group.iter(f"{SVG}text"))
    return nodes


def _width(svg_start: str) -> int:
    found = re.search(r'<svg width="(\d+)" height="(\d+)"', svg_start)
    assert found, svg_start[:200]
    return int(found.group(1))


@needs_dot
def test_each_act_page_draws_exactly_its_scenes_with_endings_starts_and_stubs(tmp_path: Path) -> None:
    files = _draw(MINI, tmp_path / "map")
    assert [f.name for f in files] == ["index.html", "thief-one.html", "thief-two.html", "woman-one.html", "woman-two.html"]
    one = _nodes((tmp_path / "map" / "woman-one.html").read_text())
    assert {k for k in one if ":" not in k} == {"a.start"}  # t.start is the thief's: not on the woman's page
    assert "▶ START of the story" in one["a.start"] and "3. Marry if trust >= 2 and not married" in one["a.start"]
    assert one["r1-to:b.mid"] == "→ b.mid Middle Two"  # the arrow into act Two ends in a stub naming the scene
    two = _nodes((tmp_path / "map" / "woman-two.html").read_text())
    assert {k for k in two if ":" not in k} == {"b.mid", "c.good", "c.bad"}
    assert "■ ENDING: A good end" in two["c.good"] and "■ ENDING: A bad end" in two["c.bad"]
    assert "ENDING" not in two["b.mid"] and two["r1-from:a.start"] == "from a.start Start One"
    thief = _nodes((tmp_path / "map" / "thief-one.html").read_text())
    assert "▶ START: The thief" in thief["t.start"] and "START: The thief" not in thief["a.start"]


@needs_dot
def test_stubs_and_choices_link_to_the_page_and_scene_they_name(tmp_path: Path) -> None:
    _draw(MINI, tmp_path / "map")
    html = (tmp_path / "map" / "woman-one.html").read_text()
    links = set(re.findall(r'href="([^"]*)"', html))
    assert {"woman-two.html#b.mid", "#a.start", "index.html", "woman-two.html", "thief-one.html"} <= links
    for link in links:
        page = link.split("#")[0]
        assert not page or (tmp_path / "map" / page).is_file()  # no link leads nowhere


@needs_dot
def test_pages_are_self_contained_and_load_nothing(tmp_path: Path) -> None:
    for path in _draw(MINI, tmp_path / "map"):
        html = path.read_text()
        assert "<script" not in html and "<link" not in html and "<img" not in html and "@import" not in html and "url(" not in html
        for attribute, value in re.findall(r'\b(href|src)="([^"]*)"', html):
            assert "//" not in value and ":" not in value.split("#")[0], (path.name, attribute, value)
        without_namespaces = re.sub(r'xmlns(:xlink)?="http://www\.w3\.org/[^"]*"', "", html)
        assert "http" not in without_namespaces, path.name
        assert html.startswith("<!DOCTYPE html>") and html.count("<svg ") == html.count("</svg>")
        _svgs(html)  # every drawing is well-formed XML


@needs_dot
def test_a_long_act_is_folded_into_rows_that_fit_a_laptop_screen(tmp_path: Path) -> None:
    """Thirty beats would be a strip some 12,000 pixels wide; folded, no row is wider than
    about the width asked for, and every scene is on the page once."""
    story_dir = long_story(tmp_path / "long")
    _draw(story_dir, tmp_path / "map")
    html = (tmp_path / "map" / "long.html").read_text()
    widths = [_width(svg) for svg in re.findall(r"<svg [^>]*>", html)]
    assert len(widths) >= 6 and max(widths) <= 1366
    nodes = _nodes(html)
    assert {k for k in nodes if ":" not in k} == map_pages(load_story(story_dir))[0].scene_ids
    assert any("-to:" in key and "row" in text for key, text in nodes.items())  # arrows to the next row: stubs
    wide = tmp_path / "wide"
    _draw(story_dir, wide, "--width", "1900")
    wide_widths = [_width(svg) for svg in re.findall(r"<svg [^>]*>", (wide / "long.html").read_text())]
    assert len(wide_widths) < len(widths) and 1366 < max(wide_widths) <= 1900


@needs_dot
def test_the_shipped_story_acts_fit_a_laptop_screen(tmp_path: Path) -> None:
    files = _draw(CHECKOUT / "story", tmp_path / "map")
    assert len(files) == 16  # the index, five acts for each of three perspectives
    for path in files[1:]:
        svgs = re.findall(r"<svg [^>]*>", path.read_text())
        heights = [int(h) for h in re.findall(r'<svg width="\d+" height="(\d+)"', "".join(svgs))]
        # The strip of the first draft's 140 scenes was 23,578 pixels wide: an act is now as wide
        # as a laptop screen, and a few screens tall at most (the second draft's longest, the
        # political forty days, about four)
        assert max(_width(svg) for svg in svgs) <= 1366 and sum(heights) <= 5 * 768, path.name


@needs_dot
def test_svg_pages_are_valid_standalone_drawings(tmp_path: Path) -> None:
    code, out = run_cli("graph", str(MINI), "--format", "svg", "-o", str(tmp_path / "svg"), "--perspective", "woman")
    assert code == 0 and "2 pages" in out
    files = sorted((tmp_path / "svg").iterdir())
    assert [f.name for f in files] == ["woman-one.svg", "woman-two.svg"]
    root = ET.parse(files[1]).getroot()
    assert root.tag == f"{SVG}svg" and int(root.get("width", "0")) < 1600
    words = " ".join(root.itertext())
    assert "Two: The woman" in words and "■ ENDING: A good end" in words


def test_without_dot_the_command_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no dot on it
    code, out = run_cli("graph", str(MINI), "--format", "html", "-o", str(tmp_path / "map"))
    err = capsys.readouterr().err
    assert code == 1 and out == "" and "Traceback" not in err
    assert "Graphviz" in err and "apt-get install graphviz" in err and "brew install graphviz" in err
    assert not (tmp_path / "map").exists()
    code, out = run_cli("graph", str(MINI), "--format", "mermaid")  # the text formats need nothing
    assert code == 0 and out.startswith("flowchart LR")


def test_dot_text_can_be_written_to_a_file(tmp_path: Path) -> None:
    code, out = run_cli("graph", str(MINI), "-o", str(tmp_path / "map.dot"))
    assert code == 0 and out == ""
    assert (tmp_path / "map.dot").read_text().startswith("digraph story {")


def test_a_width_too_narrow_for_any_scene_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _ = run_cli("graph", str(MINI), "--format", "html", "--width", "100", "-o", str(tmp_path / "map"))
    assert code == 2 and "--width must be at least 400" in capsys.readouterr().err
