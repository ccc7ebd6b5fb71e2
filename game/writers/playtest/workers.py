"""Batches of work shared out over forked processes, the calling process among them.

Every batch's index is written into a pipe as a ticket before the forks. Each process reads
the next ticket when it is free and does that batch, until the pipe is empty, so a process the
machine slows down simply does fewer batches. Each forked process then sends back, pickled,
what its `work` returned.

Why not `multiprocessing.Pool`: its three helper threads in the main process took 60 to
100 ms of processor time during a one-second play-test on two cores (measured with
`getrusage`), taken from the workers on a two-core machine, while the main process itself sat
waiting. Importing `multiprocessing.pool` also took 13 ms, and a killed worker left
`imap_unordered` waiting for ever; here it is an error (WorkerFailed).

Only on Linux, in a process with no other thread (a thread holding a lock at the fork would
leave the child stuck on it): see `can_fork`. Elsewhere the caller uses `multiprocessing`.
Nothing here that only Linux has (fcntl, fork, pthread_sigmask) is touched before `can_fork`
says yes, so the module imports on every system.
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar, cast

B = TypeVar("B")
R = TypeVar("R")

# A ticket is a batch's index. A pipe read of 4 bytes, with 4 or more waiting, returns all 4
# (Linux copies a pipe's data under its lock), and every ticket is written before any is read.
_TICKET = struct.Struct("<I")


class WorkerFailed(RuntimeError):
    """A forked process failed or ended without sending its result back."""


def can_fork() -> bool:
    """Whether `share_out` may be used here. (Only threads started by `threading` are seen;
    the game starts no other kind.)"""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork") or not hasattr(signal, "pthread_sigmask"):
        return False
    try:
        import fcntl
    except ImportError:
        return False
    return hasattr(fcntl, "F_GETPIPE_SZ") and threading.active_count() == 1


def share_out(batches: Sequence[B], work: Callable[[Iterator[B]], R], jobs: int) -> list[R]:
    """Call `work` in `jobs` processes (this one and jobs - 1 forked ones), each with an iterator
    over the batches it takes; every batch is taken once. The results, this process's first.

    NoRoom, before any fork, if the tickets do not fit in a pipe (the caller does the work
    another way). WorkerFailed if a forked process fails; its batches are then lost, so the
    caller has no partial result to misreport."""
    tickets_out, tickets_in = os.pipe()
    children: list[_Child] = []
    finished = False
    try:
        tickets = b"".join(_TICKET.pack(index) for index in range(len(batches)))
        _make_room(tickets_in, len(tickets))
        with open(tickets_in, "wb") as sink:  # closed: the pipe reads as empty once all are taken
            sink.write(tickets)
        _flush_output()  # else a child would write our buffered output again
        for _ in range(jobs - 1):
            result_out, result_in = os.pipe()
            # Ctrl-C waits until the child is in `children` (so that it is stopped) and, in the
            # child, until it ignores Ctrl-C (so that it never runs our caller's code).
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
            try:
                pid = os.fork()
            except OSError:  # out of memory or processes: the ones started share the work
                signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
                os.close(result_out)
                os.close(result_in)
                break
            if pid == 0:  # pragma: no cover - the child's side; coverage does not follow forks
                _child(batches, work, tickets_out, result_in, [result_out, *(c.result_out for c in children)])
            os.close(result_in)  # else the next child would hold it, and we would never read the end
            children.append(_Child(pid, result_out))
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        # Between its batches this process looks for a child that has failed: else a child killed
        # early (out of memory, say) would be reported only once this process had done the rest.
        results: list[R] = [work(_taking(batches, tickets_out, lambda: _check(children)))]
        results += [cast(R, child.result()) for child in children]  # what `work` returned there
        finished = True
        return results
    finally:
        os.close(tickets_out)
        for child in children:
            child.end(stop=not finished)


class NoRoom(ValueError):
    """The tickets do not fit in a pipe: share_out did not start."""


def _make_room(pipe: int, size: int) -> None:
    """Every ticket is written before any is read, so all must fit in the pipe at once: 64 KiB
    by default on Linux, but a user past the system's pipe allowance gets one page."""
    import fcntl  # Linux only: share_out runs only where can_fork() found it

    room = fcntl.fcntl(pipe, fcntl.F_GETPIPE_SZ)
    if room < size:
        try:
            fcntl.fcntl(pipe, fcntl.F_SETPIPE_SZ, size)
        except OSError:
            raise NoRoom(f"{size:,} bytes of tickets do not fit in a pipe of {room:,}") from None


def _taking(batches: Sequence[B], tickets: int, before_each: Callable[[], None] | None = None) -> Iterator[B]:
    while True:
        if before_each is not None:
            before_each()
        ticket = os.read(tickets, _TICKET.size)
        if not ticket:
            return
        yield batches[_TICKET.unpack(ticket)[0]]


def _check(children: list[_Child]) -> None:
    """WorkerFailed if a child has ended other than with its result sent."""
    for child in children:
        child.check()


def _child(
    batches: Sequence[B], work: Callable[[Iterator[B]], R], tickets: int, result_in: int, not_ours: list[int]
) -> None:  # pragma: no cover - runs in the forked process
    """The forked process's side: do the work, send back its result or the failure, and end,
    whatever happens, without returning into our caller's code or running the exit handlers
    inherited from the parent."""
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the parent stops us
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        for fd in not_ours:  # the parent's ends of this and earlier children's result pipes
            os.close(fd)
        try:
            message = pickle.dumps((True, work(_taking(batches, tickets))), protocol=pickle.HIGHEST_PROTOCOL)
            sent = 0
        except Exception as exc:  # noqa: BLE001 - sent to the parent, which reports it
            lines = traceback.format_exception(exc)
            message = pickle.dumps((False, "".join(lines).rstrip()), protocol=pickle.HIGHEST_PROTOCOL)
            sent = FAILED  # so that the parent, seeing the exit, reads the failure at once
        with open(result_in, "wb") as sink:
            sink.write(message)
        code = sent
    finally:
        try:
            _flush_output()  # what `work` printed; the parent's output was flushed before the fork
        finally:
            os._exit(code)


def _flush_output() -> None:
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and not stream.closed:
            stream.flush()


FAILED = 3  # a child's exit code after it has sent its failure


class _Child:
    """A forked process, seen from the parent."""

    def __init__(self, pid: int, result_out: int) -> None:
        self.pid = pid
        self.result_out = result_out
        self.status: int | None = None  # once reaped: its pid may then be another process's

    def result(self) -> object:
        with open(self.result_out, "rb", closefd=False) as source:
            message = source.read()  # until the child closes its end
        try:
            ok, value = pickle.loads(message)
        except Exception:  # noqa: BLE001 - nothing or a part: the process died
            raise WorkerFailed(f"a worker process ended without its result ({self._how_it_ended()})") from None
        if not ok:
            raise WorkerFailed(f"a worker process failed:\n{value}")
        return value

    def check(self) -> None:
        """WorkerFailed (with its message, if it sent one) if the process has ended other than
        with its result sent; it is then reaped, so its end can be read."""
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
        if self.status is not None and self.status != 0:
            self.result()  # the process has ended: its pipe reads to the end at once

    def end(self, stop: bool) -> None:
        """Reap the process (killed first if `stop`: the parent failed or was interrupted) and
        close its pipe."""
        if self.status is None and stop:
            os.kill(self.pid, signal.SIGKILL)
        self._reap()
        os.close(self.result_out)

    def _reap(self) -> int:
        if self.status is None:
            self.status = os.waitpid(self.pid, 0)[1]
        return self.status

    def _how_it_ended(self) -> str:
        status = self._reap()
        if os.WIFSIGNALED(status):
            return f"killed by signal {os.WTERMSIG(status)}"
        return f"exit code {os.waitstatus_to_exitcode(status)}"


__all__ = ["NoRoom", "WorkerFailed", "can_fork", "share_out"]
