"""A piece of work done in a process of its own, to know its peak memory.

`kengir test --exhaustive` reports each search's peak memory. A process's peak (getrusage's
ru_maxrss) only ever grows, so a second search in the same process would report the first's.
On Linux each search is therefore done in a forked child: its peak is its own (from the state
of the parent it started from), its memory is given back when it ends, and the parent reads
its result from a pipe and its peak from wait4. Where there is no fork (or threads run), the
work is done here and the peak is this process's so far, which the report says.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import traceback
from collections.abc import Callable
from typing import TypeVar, cast

from game.writers.playtest.workers import WorkerFailed, can_fork

R = TypeVar("R")


def _kilobytes() -> int:
    """ru_maxrss is in kilobytes on Linux, in bytes on macOS."""
    return 1 if sys.platform == "darwin" else 1024


def peak_so_far() -> int | None:
    try:
        import resource
    except ImportError:  # Windows
        return None
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * _kilobytes()


def measured(work: Callable[[], R]) -> tuple[R, int | None, bool]:
    """`work()`, its peak memory in bytes (None where unknown), and whether that peak is its
    own. WorkerFailed if the forked process fails or dies (out of memory, say)."""
    if not can_fork():
        value = work()
        return value, peak_so_far(), False
    result_out, result_in = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's side; coverage does not follow forks
        _child(work, result_out, result_in)
    os.close(result_in)
    reaped = False
    try:
        with open(result_out, "rb") as source:
            message = source.read()  # until the child ends
        _, status, usage = os.wait4(pid, 0)
        reaped = True
        try:
            ok, value = pickle.loads(message)
        except Exception:  # noqa: BLE001 - nothing or a part: the process died
            how = f"killed by signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit code {os.waitstatus_to_exitcode(status)}"
            raise WorkerFailed(f"the search's process ended without its result ({how})") from None
        if not ok:
            raise WorkerFailed(f"the search failed:\n{value}")
        return cast(R, value), usage.ru_maxrss * _kilobytes(), True
    finally:
        if not reaped:  # interrupted: the child must not outlive us
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def _child(work: Callable[[], object], result_out: int, result_in: int) -> None:  # pragma: no cover - in the child
    """Do the work, send back its result or its failure, and end without returning into the
    caller's code or running the exit handlers inherited from the parent."""
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the parent stops us
        os.close(result_out)
        try:
            message = pickle.dumps((True, work()), protocol=pickle.HIGHEST_PROTOCOL)
            code = 0
        except BaseException as exc:  # noqa: BLE001 - sent to the parent, which reports it
            message = pickle.dumps((False, "".join(traceback.format_exception(exc)).rstrip()), protocol=pickle.HIGHEST_PROTOCOL)
        with open(result_in, "wb") as sink:
            sink.write(message)
    finally:
        os._exit(code)
