"""`kengir test`: automated random play-testing, like ChoiceScript's randomtest (explore.py is its quicktest).

Random mode plays N seeded runs (run i uses seed S+i, so any failure is replayed by its seed),
each from the start to an ending, rendering every scene's text as a player would see it, and
counts what was reached. Runs are spread over worker processes; each returns a small summary
that the parent merges.
"""

from __future__ import annotations

import os
import random
import statistics
import time
import traceback
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.format import load_story
from game.model import Story
from game.runtime import Run
from game.writers.playtest.compiled import Walker
from game.writers.playtest.workers import NoRoom, can_fork, share_out

MAX_STEPS = 1000  # choices in one run before we call it a loop
PRECOMPILE_LIMIT = 2000  # scenes; a larger story is compiled scene by scene as runs reach them


@dataclass
class Failure:
    seed: int
    scene: str
    message: str
    path: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"seed": self.seed, "scene": self.scene, "message": self.message, "path": self.path}


@dataclass
class Tally:
    """What a batch of runs reached; batches from different processes add up."""

    runs: int = 0
    scenes: Counter[str] = field(default_factory=Counter)
    choices: Counter[tuple[str, int]] = field(default_factory=Counter)  # (scene, index in the story file)
    notes: Counter[str] = field(default_factory=Counter)
    endings: Counter[str] = field(default_factory=Counter)
    by_perspective: dict[str, Counter[str]] = field(default_factory=dict)  # perspective -> endings
    perspective_scenes: dict[str, set[str]] = field(default_factory=dict)
    words: list[int] = field(default_factory=list)
    # act -> the words seen in its scenes, one entry per run that reached it
    act_words: dict[str, list[int]] = field(default_factory=dict)
    lengths: list[int] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)

    @classmethod
    def of(cls, parts: Iterable[Tally]) -> Tally:
        """The tallies of several batches or processes, added up."""
        tally = cls()
        for part in parts:
            tally.add(part)
        return tally

    def add(self, other: Tally) -> None:
        self.runs += other.runs
        self.scenes.update(other.scenes)
        self.choices.update(other.choices)
        self.notes.update(other.notes)
        self.endings.update(other.endings)
        for p, counts in other.by_perspective.items():
            self.by_perspective.setdefault(p, Counter()).update(counts)
        for p, scenes in other.perspective_scenes.items():
            self.perspective_scenes.setdefault(p, set()).update(scenes)
        self.words += other.words
        for act, seen in other.act_words.items():
            self.act_words.setdefault(act, []).extend(seen)
        self.lengths += other.lengths
        self.failures += other.failures


def play_one(story: Story, seed: int, perspective: str | None, tally: Tally, intensity: str = "full") -> Run:
    """Play one random run through Run to its end, adding what it reached to `tally`; the
    words are counted as `intensity` shows them.

    The reference for the compiled walker (compiled.py), and what reports a failing run."""
    draw = random.Random(seed).random  # int(draw() * n): a fast, fair enough pick; the compiled walker draws the same
    run = Run.start(story, seed=seed, perspective=perspective, allow_undo=False, intensity=intensity)
    words = 0
    act_words: dict[str, int] = {}
    count = _count_words
    take = run.take
    try:
        for _ in range(MAX_STEPS):
            before = words
            words += count(run.text)
            if run.scene.ending:
                act_words[run.scene.act] = act_words.get(run.scene.act, 0) + words - before
                break
            open_views = []
            for view in run.choices:
                words += count(view.text)
                if view.enabled:
                    open_views.append(view)
            act_words[run.scene.act] = act_words.get(run.scene.act, 0) + words - before
            if not open_views:
                raise _Stuck(f"no choice can be taken in '{run.state.scene}'")
            take(open_views[int(draw() * len(open_views))])
        else:
            raise _Stuck(f"no ending after {MAX_STEPS} choices (a loop?)")
    except _Stuck as stuck:
        tally.failures.append(Failure(seed, run.state.scene, str(stuck), _path(run)))
    except Exception as exc:  # a story that crashes the engine is exactly what we report
        where = traceback.extract_tb(exc.__traceback__)[-1]
        message = f"{type(exc).__name__}: {exc} ({Path(where.filename).name}:{where.lineno})"
        tally.failures.append(Failure(seed, run.state.scene, message, _path(run)))
    tally.runs += 1
    state = run.state
    tally.scenes.update(state.visits.keys())
    tally.notes.update(state.seen)
    choices = tally.choices
    for entry in run.log:
        choices[(entry.scene, entry.choice)] += 1
    who = run.perspective or "(none)"
    reached = tally.perspective_scenes.get(who)
    if reached is None:
        reached = tally.perspective_scenes[who] = set()
    reached.update(state.visits)
    ending = run.scene.ending
    if ending:
        tally.endings[ending] += 1
        tally.by_perspective.setdefault(who, Counter())[ending] += 1
    tally.words.append(words)
    for act, counted in act_words.items():
        tally.act_words.setdefault(act, []).append(counted)
    tally.lengths.append(len(run.log))
    return run


def play_many(story: Story, seeds: Sequence[int], perspective: str | None, tally: Tally, walker: Walker | None = None) -> None:
    """Play a run per seed over the compiled walker; a run it cannot finish normally (stuck,
    looping, failing) is played again by `play_one` over Run, which reports it.

    Counts the same as play_one would, but gathered in flat lists and counted every COUNT_EVERY
    runs: three Counter updates per run would cost a sixth of the run itself, and lists kept
    for the whole of a long test grew by hundreds of megabytes."""
    walker = walker or Walker(story, MAX_STEPS)
    for start in range(0, len(seeds), COUNT_EVERY):
        _play_and_count(story, seeds[start : start + COUNT_EVERY], perspective, tally, walker)


COUNT_EVERY = 1000  # runs


def _play_and_count(story: Story, seeds: Sequence[int], perspective: str | None, tally: Tally, walker: Walker) -> None:
    play = walker.play
    scenes: list[str] = []
    notes: list[str] = []
    choices: list[tuple[str, int]] = []
    ends: list[tuple[str, str]] = []  # (perspective, ending)
    reached: dict[str, set[str]] = {}
    words, lengths, act_words = tally.words, tally.lengths, tally.act_words
    for seed in seeds:
        result = play(seed, perspective)
        if result is None:
            play_one(story, seed, perspective, tally, walker.intensity)
            continue
        state = result.state
        visits = state.visits
        scenes.extend(visits)
        notes.extend(state.seen)
        choices.extend(result.log)
        who = str(state.vars.get("perspective", "")) or "(none)"  # as Run.perspective
        ends.append((who, result.ending))
        seen_by = reached.get(who)
        if seen_by is None:
            seen_by = reached[who] = set()
        seen_by.update(visits)
        words.append(result.words)
        for act, counted in result.act_words.items():
            act_words.setdefault(act, []).append(counted)
        lengths.append(len(result.log))
    tally.runs += len(ends)
    tally.scenes.update(scenes)
    tally.notes.update(notes)
    tally.choices.update(choices)
    for (who, ending), count in Counter(ends).items():
        tally.endings[ending] += count
        tally.by_perspective.setdefault(who, Counter())[ending] += count
    for who, scene_ids in reached.items():
        tally.perspective_scenes.setdefault(who, set()).update(scene_ids)


def _path(run: Run) -> list[str]:
    """The last scenes of a failing run, as the writer will follow them."""
    return [entry.scene for entry in run.log[-29:]] + [run.state.scene]


class _Stuck(Exception):
    pass


_WORDS: dict[str, int] = {}


def _count_words(text: str) -> int:
    """Words in a text, remembered: most texts are the same string object run after run."""
    count = _WORDS.get(text)
    if count is None:
        count = len(text.split())
        if len(_WORDS) < 100_000:
            _WORDS[text] = count
    return count


_WORKER_STORY: Story | None = None
_WORKER_WALKER: Walker | None = None


def _init_worker(root: str, cache_dir: Path | None, intensity: str) -> None:
    """A spawned worker loads the story and its compiled scenes, from the cache if it can."""
    global _WORKER_STORY, _WORKER_WALKER
    _WORKER_STORY = load_story(root, cache_dir)
    _WORKER_WALKER = _walker(_WORKER_STORY, cache_dir, intensity)


def _play_batch(args: tuple[Sequence[int], str | None]) -> Tally:
    seeds, perspective = args
    assert _WORKER_STORY is not None and _WORKER_WALKER is not None
    return _play_batches(_WORKER_STORY, [seeds], perspective, _WORKER_WALKER)


def random_test(
    story: Story,
    runs: int,
    seed: int = 0,
    jobs: int | None = None,
    perspective: str | None = None,
    cache_dir: Path | None = None,
    intensity: str = "full",
) -> Tally:
    """Play `runs` random runs with seeds seed..seed+runs-1 over `jobs` processes: this one and
    forked ones sharing out batches of seeds (workers.py), or a pool of spawned workers where
    forking is not safe. With `cache_dir`, the compiled scenes' byte code is kept there for the
    next time (for a story compiled at once, of up to PRECOMPILE_LIMIT scenes). Words are
    counted as `intensity` shows them."""
    jobs = max(1, min(jobs or os.cpu_count() or 1, runs))
    seeds = list(range(seed, seed + runs))
    walker = _walker(story, cache_dir, intensity)
    if jobs == 1:
        tally = Tally()
        play_many(story, seeds, perspective, tally, walker)
        return tally
    batches = batches_of(seeds, jobs)
    forked = _play_forked(story, walker, batches, perspective, jobs) if can_fork() else None
    tally = forked if forked is not None else _play_in_pool(story, batches, perspective, jobs, cache_dir, intensity)
    tally.failures.sort(key=lambda f: f.seed)
    return tally


def _walker(story: Story, cache_dir: Path | None, intensity: str = "full") -> Walker:
    walker = Walker(story, MAX_STEPS, cache_dir, intensity)
    if len(story.scenes) <= PRECOMPILE_LIMIT:
        # Every scene at once, in one module: once here rather than once in each worker (forked
        # workers inherit it). A huge story is compiled lazily instead, where runs reach.
        walker.compile_all()
    return walker


def _play_forked(story: Story, walker: Walker, batches: list[list[int]], perspective: str | None, jobs: int) -> Tally | None:
    """The batches played by this process and forked ones (workers.py); None if they
    cannot be shared out that way."""
    try:
        parts = share_out(batches, lambda taken: _play_batches(story, taken, perspective, walker), jobs)
    except NoRoom:
        return None
    return Tally.of(parts)


def _play_batches(story: Story, batches: Iterable[Sequence[int]], perspective: str | None, walker: Walker) -> Tally:
    tally = Tally()
    for seeds in batches:
        play_many(story, seeds, perspective, tally, walker)
    return tally


def _play_in_pool(
    story: Story, batches: list[list[int]], perspective: str | None, jobs: int, cache_dir: Path | None, intensity: str
) -> Tally:
    """Where share_out cannot fork (not Linux, or other threads running, which a fork could
    leave holding a lock for ever): a pool of spawned workers, each loading the story (from the
    cache, which this process has just filled). Unlike share_out, a worker killed here leaves
    the pool waiting for its batch: multiprocessing.Pool does not report it."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(jobs, initializer=_init_worker, initargs=(story.root, cache_dir, intensity)) as pool:
        return Tally.of(pool.imap_unordered(_play_batch, [(seeds, perspective) for seeds in batches]))


SMALLEST_BATCH = 50  # runs: a few milliseconds of work
# Runs: about a quarter of a second. Between batches the main process looks for a worker that
# has died (workers.py), so a long test reports it within about this, not at its very end.
LARGEST_BATCH = 5000


def batches_of(seeds: list[int], jobs: int) -> list[list[int]]:
    """The seeds in batches that shrink as the work runs out ("guided" scheduling): each is a
    quarter of one worker's share of what is left (at most LARGEST_BATCH), so that there are
    few batches while there is much to do, and at the end no worker waits long for another's
    last batch (with batches of a thirty-second of the runs, the last one kept a core idle for
    up to 40 ms of a 0.7 s run)."""
    batches = []
    start = 0
    while start < len(seeds):
        size = max(SMALLEST_BATCH, min(LARGEST_BATCH, (len(seeds) - start) // (jobs * 4)))
        batches.append(seeds[start : start + size])
        start += size
    return batches


def report(story: Story, tally: Tally, seed: int, seconds: float, intensity: str = "full") -> dict[str, Any]:
    """The documented JSON report of a random test."""
    all_choices = {(s.id, c.index): c for s in story.scenes.values() for c in s.choices}
    never_scenes = [s for s in story.scenes.values() if s.id not in tally.scenes]
    never_choices = [k for k in all_choices if k not in tally.choices]
    acts: dict[str, dict[str, int]] = {}
    for scene in story.scenes.values():
        entry = acts.setdefault(scene.act, {"total": 0, "visited": 0})
        entry["total"] += 1
        entry["visited"] += scene.id in tally.scenes
    perspectives = {}
    for pid in [*story.perspectives, *(p for p in tally.by_perspective if p not in story.perspectives)]:
        own = [s for s in story.scenes.values() if not s.perspectives or pid in s.perspectives]
        reached = tally.perspective_scenes.get(pid, set())
        perspectives[pid] = {
            "runs": sum(tally.by_perspective.get(pid, Counter()).values()),
            "endings": dict(sorted(tally.by_perspective.get(pid, Counter()).items())),
            "scenes": {"total": len(own), "visited": sum(1 for s in own if s.id in reached)},
        }
    from game.writers.check import story_words

    return {
        "story": story.title,
        "fingerprint": story.fingerprint,
        "runs": tally.runs,
        "seed": seed,
        "seconds": round(seconds, 3),
        "playthroughs_per_second": round(tally.runs / seconds, 1) if seconds > 0 else None,
        "scenes": {
            "total": len(story.scenes),
            "visited": len(story.scenes) - len(never_scenes),
            "never": [{"id": s.id, "file": s.pos.file, "line": s.pos.line} for s in never_scenes],
        },
        "choices": {
            "total": len(all_choices),
            "taken": len(all_choices) - len(never_choices),
            "never": [
                {
                    "scene": k[0],
                    "choice": all_choices[k].index + 1,
                    "text": "".join(p for p in all_choices[k].text.parts if isinstance(p, str)),
                    "file": all_choices[k].pos.file,
                    "line": all_choices[k].pos.line,
                }
                for k in never_choices
            ],
        },
        "endings": dict(sorted(tally.endings.items())),
        "endings_never": sorted(set(story.endings) - set(tally.endings)),
        "notes": {
            "total": len(story.notes),
            "seen": sum(1 for n in story.notes if n in tally.notes),
            "never": sorted(n for n in story.notes if n not in tally.notes),
        },
        "perspectives": perspectives,
        "acts": acts,
        "words": {
            "story": story_words(story),
            "intensity": intensity,
            "median_seen": int(statistics.median(tally.words)) if tally.words else 0,
            # in the order of the acts: the median over the runs that reach each
            "median_seen_by_act": {
                act: int(statistics.median(tally.act_words[act])) for act in _acts_in_order(story) if tally.act_words.get(act)
            },
        },
        "median_choices": int(statistics.median(tally.lengths)) if tally.lengths else 0,
        "failures": [f.to_dict() for f in tally.failures],
    }


def format_report(doc: dict[str, Any]) -> str:
    """The report as a writer reads it: what to fix first at the top."""
    lines = [
        f"{doc['story']}: {doc['runs']:,} runs from seed {doc['seed']} in {doc['seconds']:.2f} s "
        f"({doc['playthroughs_per_second']:,} a second)"
    ]
    for f in doc["failures"][:20]:
        lines.append(f"FAILED seed {f['seed']} in {f['scene']}: {f['message']}")
        lines.append(f"  path: {' > '.join(f['path'])}")
        lines.append(f"  replay: kengir play --plain --seed {f['seed']}  (or kengir test --runs 1 --seed {f['seed']})")
    if len(doc["failures"]) > 20:
        lines.append(f"... and {len(doc['failures']) - 20} more failures")
    s, c, n = doc["scenes"], doc["choices"], doc["notes"]
    lines.append(
        f"scenes: {s['visited']}/{s['total']} reached; choices: {c['taken']}/{c['total']} taken; notes: {n['seen']}/{n['total']} found"
    )
    for scene in s["never"]:
        lines.append(f"  never reached: {scene['file']}:{scene['line']} scene {scene['id']}")
    for choice in c["never"]:
        lines.append(f'  never taken: {choice["file"]}:{choice["line"]} {choice["scene"]} choice {choice["choice"]} "{choice["text"]}"')
    for note in n["never"]:
        lines.append(f"  never found: note {note}")
    lines.append("endings: " + ", ".join(f"{k} {v:,}" for k, v in doc["endings"].items()) if doc["endings"] else "endings: none reached")
    if doc["endings_never"]:
        lines.append(f"  endings never reached: {', '.join(doc['endings_never'])}")
    for pid, p in doc["perspectives"].items():
        ends = ", ".join(f"{k} {v:,}" for k, v in p["endings"].items()) or "no ending"
        lines.append(f"perspective {pid}: {p['runs']:,} runs, scenes {p['scenes']['visited']}/{p['scenes']['total']}, endings: {ends}")
    lines.append("acts: " + ", ".join(f"{a} {v['visited']}/{v['total']}" for a, v in doc["acts"].items()))
    words = doc["words"]
    lines.append(
        f"words: {words['story']:,} in the story, median {words['median_seen']:,} seen in one run"
        f"{' (summary intensity)' if words['intensity'] == 'summary' else ''}; median run {doc['median_choices']} choices"
    )
    if words["median_seen_by_act"]:
        by_act = ", ".join(f"{act} {count:,}" for act, count in words["median_seen_by_act"].items())
        lines.append(f"  words seen by act (median of the runs that reach it): {by_act}")
    lines.append("OK" if not doc["failures"] else f"{len(doc['failures'])} failing runs")
    return "\n".join(lines)


def _acts_in_order(story: Story) -> list[str]:
    return sorted(story.acts, key=lambda act: story.acts[act].order)


def run_random(
    root: Path,
    runs: int,
    seed: int,
    jobs: int | None,
    perspective: str | None,
    cache_dir: Path | None = None,
    intensity: str = "full",
) -> tuple[dict[str, Any], int]:
    story = load_story(root, cache_dir)
    if perspective and perspective not in story.perspectives:
        raise ValueError(f"there is no perspective '{perspective}'; there are: {', '.join(story.perspectives)}")
    started = time.perf_counter()
    tally = random_test(story, runs, seed, jobs, perspective, cache_dir, intensity)
    doc = report(story, tally, seed, time.perf_counter() - started, intensity)
    return doc, 1 if tally.failures else 0
