"""Hostile story files: each gives a clear problem at a position in bounded time, never a traceback.

Python tags, alias bombs, deep nesting, huge files, one huge line, binary junk, a folder where
a file should be, an unreadable file: read directly, through read_story, and through the real
`python -m game check` in a subprocess.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from game.format import read_story
from game.format.yaml_reader import MAX_DEPTH, MAX_FILE_BYTES, read_yaml, read_yaml_bytes
from game.model import Problems

ROOT = Path(__file__).parents[2]
MINI_STORY = (ROOT / "tests" / "fixtures" / "mini" / "story.yaml").read_bytes()


def read(text: str | bytes) -> tuple[object, Problems]:
    problems = Problems()
    raw = text.encode() if isinstance(text, str) else text
    return read_yaml_bytes(raw, "hostile.yaml", problems), problems


def assert_clear(problems: Problems, *, line: bool = True) -> None:
    """At least one error; each a one-line message, at a line when `line`."""
    assert problems.errors
    for problem in problems.items:
        assert problem.message and "\n" not in str(problem)
        assert problem.pos.file
        if line:
            assert problem.pos.line >= 1 and problem.pos.column >= 1, problem


def kengir_check(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "game", "check", str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


# ------------------------------------------------------------ tags build nothing


def _payloads(marker: Path) -> list[str]:
    m = str(marker)
    return [
        f'!!python/object/apply:os.system ["touch {m}"]',
        f'!!python/object/apply:builtins.open ["{m}", "w"]',
        f'!!python/object/apply:subprocess.check_call [["touch", "{m}"]]',
        f'!!python/object/new:subprocess.Popen [["touch", "{m}"]]',
        "!!python/name:os.system",
        "!!python/module:os",
        f'!<tag:yaml.org,2002:python/object/apply:os.system> ["touch {m}"]',
        f'!!python/object:pathlib.Path {{a: "{m}"}}',
        "!custom value",
        "!!binary aGVsbG8=",
        "!!set {a, b}",
        "!!omap [a: 1]",
        "!!float 1.5",
        "!!timestamp 2001-12-14",
    ]


CONTEXTS = [
    "scenes:\n  a.x:\n    title: {}\n",
    "scenes:\n  a.x:\n    choices:\n      - {}\n",
    "scenes: {}\n",
    "{}\n",
    "story:\n  ? {}\n  : 1\n",
]


@pytest.mark.parametrize("context", CONTEXTS, ids=["value", "list-item", "section", "document", "key"])
def test_python_and_other_tags_never_build_anything(tmp_path: Path, context: str) -> None:
    marker = tmp_path / "pwned"
    for payload in _payloads(marker):
        data, problems = read(context.format(payload))
        assert data is None, payload
        assert_clear(problems)
        assert any(p.code in ("yaml-tag", "yaml-syntax", "not-mapping") for p in problems.errors), payload
        assert not marker.exists(), f"{payload} built something"


def test_the_tag_payload_is_live_so_the_test_above_means_something(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    yaml.unsafe_load(f'!!python/object/apply:builtins.open ["{marker}", "w"]')
    assert marker.exists()


def test_a_tag_directive_cannot_smuggle_python_in(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    data, problems = read(f'%TAG !p! tag:yaml.org,2002:python/object/apply:\n---\nx: !p!os.system ["touch {marker}"]\n')
    assert data is None and not marker.exists()
    assert_clear(problems)


# ------------------------------------------------------------ bombs and depth

BOMB_LEVELS = 10
# An honest parse of this 1 KB file needs well under 1 MB. Expanding the bomb would need 10**10
# strings; even one level too many (10**6 strings) needs over 50 MB. So 16 MB traced by Python
# and 64 MB of resident growth (libyaml's own buffers are not traced) leave room for noise
# while catching any expansion.
BOMB_PEAK_BYTES = 16 * 1024 * 1024
BOMB_RSS_GROWTH_KB = 64 * 1024
BOMB_SECONDS = 2.0


def billion_laughs(levels: int = BOMB_LEVELS) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


BOMB_PROBE = textwrap.dedent("""
    import resource, sys, time, tracemalloc
    from game.model import Problems
    from game.format.yaml_reader import read_yaml_bytes
    raw = open(sys.argv[1], "rb").read()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    started = time.perf_counter()
    problems = Problems()
    data = read_yaml_bytes(raw, "bomb.yaml", problems)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    print(elapsed, peak, growth, data is None, *[p.code for p in problems.errors])
""")


@pytest.mark.parametrize("where", ["top", "nested"])
def test_billion_laughs_is_refused_in_bounded_time_and_memory(tmp_path: Path, where: str) -> None:
    bomb = billion_laughs()
    if where == "nested":
        bomb = "scenes:\n  a.x:\n    text:\n" + textwrap.indent(bomb, "      ")
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb)
    result = subprocess.run(
        [sys.executable, "-c", BOMB_PROBE, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0 and not result.stderr, result.stderr
    elapsed, peak, growth, refused, *codes = result.stdout.split()
    assert refused == "True" and "yaml-alias" in codes
    assert float(elapsed) < BOMB_SECONDS
    assert int(peak) < BOMB_PEAK_BYTES, f"{int(peak) / 2**20:.1f} MB traced"
    assert int(growth) < BOMB_RSS_GROWTH_KB, f"resident memory grew {int(growth) / 1024:.1f} MB"
    data, problems = read(bomb)
    assert_clear(problems)


DEEP = {
    "flow-sequences": "[" * 10_000,
    "flow-mappings": "a: " + "{a: " * 10_000,
    "closed-flow": "a: " + "[" * 10_000 + "]" * 10_000,
    "block-sequences": "a:\n" + "".join(" " * (2 * i + 2) + "-\n" for i in range(800)),
    "block-mappings": "".join(" " * i + "a:\n" for i in range(1500)),
    "just-over-the-limit": "a: " + "[" * (MAX_DEPTH + 2) + "]" * (MAX_DEPTH + 2),
}


@pytest.mark.parametrize("text", DEEP.values(), ids=DEEP.keys())
def test_deep_nesting_is_refused_quickly(text: str) -> None:
    started = time.perf_counter()
    data, problems = read(text)
    assert time.perf_counter() - started < 1.0
    assert data is None
    assert_clear(problems)
    assert {p.code for p in problems.errors} <= {"yaml-syntax", "too-deep"}


# ------------------------------------------------------------ size


def story_folder(tmp_path: Path, name: str, content: bytes | None) -> Path:
    folder = tmp_path / "story"
    folder.mkdir(exist_ok=True)
    (folder / "story.yaml").write_bytes(MINI_STORY.replace(b"title: Mini", b"title: Hostile"))
    if content is not None:
        (folder / name).write_bytes(content)
    return folder


def big_file(path: Path, megabytes: int) -> None:
    line = b'  s%07d: {title: "' + b"x" * 80 + b'"}\n'
    with path.open("wb") as out:
        out.write(b"scenes:\n")
        chunk = b"".join(line % i for i in range(10_000))
        for _ in range(megabytes * 1024 * 1024 // len(chunk) + 1):
            out.write(chunk)


def test_a_50_mb_file_is_refused_quickly(tmp_path: Path) -> None:
    folder = story_folder(tmp_path, "big.yaml", None)
    big_file(folder / "big.yaml", 50)
    started = time.perf_counter()
    story, problems = read_story(folder)
    assert time.perf_counter() - started < 3.0
    [problem] = [p for p in problems.errors if p.pos.file.endswith("big.yaml")]
    assert 50 * 2**20 > MAX_FILE_BYTES
    assert problem.code == "file-too-large" and f"at most {MAX_FILE_BYTES // 2**20} MB" in problem.message
    again = Problems()
    assert read_yaml(folder / "big.yaml", "big.yaml", again) is None
    assert [p.code for p in again.errors] == ["file-too-large"]


@pytest.mark.parametrize(
    "line",
    [
        b'story: {title: "' + b"x" * 10_000_000 + b'"}\n',
        # A line of tiny list items is the costliest YAML there is: libyaml builds a node
        # for each, about 700 bytes and 3 microseconds apiece. At 10 MB that is 11 s and
        # 2.3 GB, so this case is 1 MB; see the robustness note on MAX_FILE_BYTES.
        b"scenes: [" + b"x, " * 330_000 + b"x]\n",
        b"scenes: " + b"x" * 10_000_000 + b"\n",
        b"x" * 10_000_000,
        b'x: "' + b"x" * 10_000_000,  # never closed
    ],
    ids=["quoted", "flow-list", "plain", "no-newline", "unclosed-quote"],
)
def test_a_single_10_mb_line_is_handled_quickly(tmp_path: Path, line: bytes) -> None:
    folder = story_folder(tmp_path, "line.yaml", line)
    started = time.perf_counter()
    story, problems = read_story(folder)
    assert time.perf_counter() - started < 10.0
    assert problems.errors  # each of these is wrong as a story
    for problem in problems.items:
        assert "\n" not in str(problem) and len(str(problem)) < 500, "no 10 MB messages"
        assert problem.pos.line >= 1


@settings(max_examples=300, deadline=None)
@given(junk=st.binary(min_size=1, max_size=2000))
def test_binary_junk_is_a_problem_never_a_crash(junk: bytes) -> None:
    data, problems = read(junk)
    if data is None:
        assert_clear(problems)


def test_a_megabyte_of_random_bytes_is_refused(tmp_path: Path) -> None:
    folder = story_folder(tmp_path, "junk.yaml", os.urandom(1024 * 1024))
    _, problems = read_story(folder)
    [problem] = [p for p in problems.errors if p.pos.file.endswith("junk.yaml")]
    assert problem.code in ("encoding", "binary") and problem.pos.line >= 1


# ------------------------------------------------------------ not a readable file


def test_a_folder_named_like_a_yaml_file(tmp_path: Path) -> None:
    folder = story_folder(tmp_path, "dir.yaml", None)
    (folder / "dir.yaml").mkdir()
    (folder / "dir.yaml" / "inner.txt").write_text("x")
    _, problems = read_story(folder)
    [problem] = [p for p in problems.errors if p.pos.file.endswith("dir.yaml")]
    assert problem.code == "not-a-file"
    again = Problems()
    assert read_yaml(folder / "dir.yaml", "dir.yaml", again) is None
    assert [p.code for p in again.errors] == ["not-a-file"]


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0,
    reason="running as root, or on Windows, where a mode does not stop reading; "
    "test_a_file_that_cannot_be_read covers the same path with a file even root cannot read",
)
def test_a_file_without_read_permission(tmp_path: Path) -> None:  # pragma: no cover - not as root
    folder = story_folder(tmp_path, "secret.yaml", b"scenes: {}\n")
    (folder / "secret.yaml").chmod(0)
    try:
        _, problems = read_story(folder)
    finally:
        (folder / "secret.yaml").chmod(0o644)
    [problem] = [p for p in problems.errors if p.pos.file.endswith("secret.yaml")]
    assert problem.code == "unreadable" and "ermission denied" in problem.message


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc")
def test_a_file_that_cannot_be_read(tmp_path: Path) -> None:
    # /proc/self/mem refuses a read at offset 0 (EIO) even to root: a real unreadable file.
    folder = story_folder(tmp_path, "x", None)
    (folder / "secret.yaml").symlink_to("/proc/self/mem")
    _, problems = read_story(folder)
    [problem] = [p for p in problems.errors if p.pos.file.endswith("secret.yaml")]
    assert problem.code == "unreadable" and "cannot read the file" in problem.message
    again = Problems()
    assert read_yaml(folder / "secret.yaml", "secret.yaml", again) is None
    assert [p.code for p in again.errors] == ["unreadable"]


# ------------------------------------------------------------ the real command


def test_kengir_check_reports_every_hostile_file_without_a_traceback(tmp_path: Path) -> None:
    folder = story_folder(tmp_path, "bomb.yaml", billion_laughs().encode())
    (folder / "deep.yaml").write_text("[" * 10_000)
    (folder / "tag.yaml").write_text(f'scenes:\n  a.x: !!python/object/apply:os.system ["touch {tmp_path}/pwned"]\n')
    # Starts with a byte that is never UTF-8: random bytes alone put a newline before the first
    # bad byte about one time in a hundred, and the mistake was then (rightly) on line 2.
    (folder / "junk.yaml").write_bytes(b"\xff" + os.urandom(4095))
    (folder / "dir.yaml").mkdir()
    (folder / "line.yaml").write_bytes(b"scenes: " + b"x" * 10_000_000 + b"\n")
    big_file(folder / "big.yaml", 40)
    started = time.perf_counter()
    result = kengir_check(folder)
    assert time.perf_counter() - started < 20
    output = result.stdout + result.stderr
    assert "Traceback" not in output and result.returncode == 1, output[-2000:]
    for name, where in [
        ("bomb.yaml", ":1:"),
        ("deep.yaml", ":1:"),
        ("tag.yaml", ":2:"),
        ("junk.yaml", ":1:"),
        ("dir.yaml", ""),
        ("line.yaml", ":1:"),
        ("big.yaml", ""),
    ]:
        assert f"story/{name}{where}" in output, f"{name} not reported:\n{output[-3000:]}"
    assert not (tmp_path / "pwned").exists()


@pytest.mark.parametrize("content", [b"[" * 10_000, b"\xff\xfe\x00\x01", billion_laughs().encode()], ids=["deep", "binary", "bomb"])
def test_kengir_check_on_one_hostile_file(tmp_path: Path, content: bytes) -> None:
    folder = story_folder(tmp_path, "hostile.yaml", content)
    result = kengir_check(folder)
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    assert "story/hostile.yaml:1:" in result.stdout + result.stderr


# ------------------------------------------------------------ one problem per mistake


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The value of a refused key is read past unchecked: one mistake, one problem.
        ("a: 1\na: yes\n", ["2:1 duplicate-key"]),
        ("a: 1\na: !foo x\n", ["2:1 duplicate-key"]),
        ("? [a]\n: yes\n", ["1:3 bad-key"]),
        ("!!merge <<: {a: 1}\n", ["1:1 yaml-alias"]),
        # ...but an alias to an anchor nobody defined is wrong wherever it stands.
        ("a: 1\na: [*x]\nb: 2\n", ["2:1 duplicate-key", "2:5 yaml-syntax"]),
        # A file already refused is not also "not a mapping".
        ("- {[a]: 1}\n", ["1:4 bad-key"]),
        ("a: &x 1\nb: *x\n", ["1:4 yaml-alias"]),
        ("a: 1\nb: [1, {c: 2, c: 3}]\n", ["2:15 duplicate-key"]),
        # More digits than Python converts: a problem, not a ValueError traceback.
        ("a: " + "9" * 5000 + "\n", ["1:4 wrong-type"]),
    ],
)
def test_each_mistake_is_reported_once_at_its_place(text: str, expected: list[str]) -> None:
    data, problems = read(text)
    assert data is None
    assert [f"{p.pos.line}:{p.pos.column} {p.code}" for p in problems.items] == expected
    assert_clear(problems)
