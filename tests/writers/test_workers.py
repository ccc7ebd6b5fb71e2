"""workers.share_out: batches shared out over forked processes, and what happens when one fails."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from game.writers.playtest.workers import WorkerFailed, can_fork, share_out

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="share_out forks on Linux only")


@pytest.fixture(autouse=True)
def no_hanging() -> Iterator[None]:
    """A share_out that waits for ever fails the test instead of stopping the suite."""

    def hung(signum: int, frame: object) -> None:
        raise TimeoutError("share_out still waiting after 90 s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(90)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def _children() -> set[int]:
    """This process's child processes now (other tests may have left some, such as the resource
    tracker a pool of spawned workers starts: those are not share_out's)."""
    own = Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children")
    return {int(pid) for pid in own.read_text(encoding="ascii").split()}


def _taken_by_whom(taken: Iterator[int]) -> tuple[int, list[int]]:
    mine = []
    for batch in taken:
        time.sleep(0.001)  # long enough that every process gets some
        mine.append(batch)
    return os.getpid(), mine


def test_every_batch_is_done_once_and_each_process_sends_its_result() -> None:
    assert can_fork(), "a test left a thread running; share_out would not be used by the play-tester"
    before = _children()
    batches = list(range(300))
    results = share_out(batches, _taken_by_whom, 3)
    assert len(results) == 3
    assert results[0][0] == os.getpid(), "this process's result comes first"
    assert len({pid for pid, _ in results}) == 3, "three processes"
    done = [batch for _, mine in results for batch in mine]
    assert sorted(done) == batches, "each batch once, none lost"
    assert all(mine for _, mine in results), "every process took work"
    assert _children() == before, "every child was reaped"


def test_a_failing_child_sends_its_error_to_the_parent() -> None:
    parent = os.getpid()

    def work(taken: Iterator[int]) -> int:
        total = sum(taken)
        if os.getpid() != parent:
            raise ArithmeticError(f"the child's own failure after {total}")
        return total

    before = _children()
    with pytest.raises(WorkerFailed, match=r"(?s)a worker process failed:.*ArithmeticError: the child's own failure"):
        share_out(list(range(50)), work, 2)
    assert _children() == before, "the child was reaped"


@pytest.mark.parametrize(
    "death, told", [(lambda: os._exit(3), "exit code 3"), (lambda: os.kill(os.getpid(), signal.SIGKILL), "killed by signal 9")]
)
def test_a_child_that_dies_is_an_error_not_a_wait(death, told: str) -> None:
    parent = os.getpid()

    def work(taken: Iterator[int]) -> int:
        if os.getpid() != parent:
            death()
        return sum(taken)

    with pytest.raises(WorkerFailed, match=f"ended without its result \\({told}\\)"):
        share_out(list(range(50)), work, 2)


def test_when_the_parent_fails_its_children_are_stopped_and_reaped() -> None:
    parent = os.getpid()

    def work(taken: Iterator[int]) -> int:
        if os.getpid() != parent:
            time.sleep(120)  # a child still at work
        raise KeyboardInterrupt  # as Ctrl-C in the parent

    before = _children()
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        share_out(list(range(10)), work, 3)
    assert time.monotonic() - started < 60, "the children were killed, not waited for"
    assert _children() == before, "and reaped"


def test_output_written_before_the_fork_is_written_once_and_a_childs_own_is_kept() -> None:
    # Through a pipe (and without PYTHONUNBUFFERED), stdout is block-buffered: text not yet
    # written when the parent forks is copied into the child.
    code = (
        "import os, sys; from game.writers.playtest.workers import share_out\n"
        "parent = os.getpid()\n"
        "def work(taken):\n"
        "    if os.getpid() != parent: sys.stdout.write('from the child\\n')\n"
        "    return sum(taken)\n"
        "sys.stdout.write('before the fork\\n')\n"
        "print(sum(share_out(list(range(20)), work, 2)))\n"
    )
    buffered = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=buffered,
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))),
    )
    assert sorted(out.stdout.splitlines()) == ["190", "before the fork", "from the child"]


def test_more_tickets_than_a_default_pipe_holds_are_all_taken() -> None:
    batches = list(range(20_000))  # 80,000 bytes of tickets: a pipe holds 65,536 unless enlarged
    results = share_out(batches, list, 2)
    assert sorted(b for taken in results for b in taken) == batches


def test_a_child_whose_output_fails_still_ends_and_never_runs_the_callers_code() -> None:
    code = (
        "import os, sys; from game.writers.playtest.workers import share_out\n"
        "parent = os.getpid()\n"
        "class Gone:\n"
        "    closed = False\n"
        "    def write(self, text): return len(text)\n"
        "    def flush(self): raise BrokenPipeError\n"
        "def work(taken):\n"
        "    if os.getpid() != parent: sys.stdout = Gone()  # as when the reader has gone\n"
        "    return sum(taken)\n"
        "print(sum(share_out(list(range(20)), work, 2)))\n"
        "sys.stderr.write(f'after share_out in the parent: {os.getpid() == parent}\\n')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))),
    )
    assert out.returncode == 0 and out.stdout == "190\n"
    assert out.stderr == "after share_out in the parent: True\n"


@pytest.mark.parametrize(
    "death, told", [(lambda: os._exit(3), r"ended without its result \(exit code 3\)"), (lambda: 1 / 0, r"(?s)failed:.*ZeroDivisionError")]
)
def test_a_child_that_fails_early_is_reported_before_this_process_does_the_rest(death, told: str) -> None:
    parent = os.getpid()

    def work(taken: Iterator[int]) -> int:
        if os.getpid() != parent:
            death()
        done = 0
        for _ in taken:
            time.sleep(0.01)  # 600 batches: 6 s for this process alone
            done += 1
        return done

    started = time.monotonic()
    with pytest.raises(WorkerFailed, match=told):
        share_out(list(range(600)), work, 2)
    assert time.monotonic() - started < 3, "noticed between batches, not after all of them"
