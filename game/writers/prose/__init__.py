"""The prose report (`kengir prose`): sentences repeated across scenes and perspectives, overused
words, historians in the narration, words per scene, act and perspective, and spelling, each
finding at file:line:col. Its figures are those of `../shared/tools/prose_stats.py`."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from game.writers.prose.report import KINDS, ProseReport, format_report, prose_report, to_json

__all__ = ["KINDS", "ProseReport", "format_report", "prose_report", "run_prose", "to_json"]


def run_prose(args: argparse.Namespace, out: TextIO) -> int:
    """`kengir prose`: 0 when the report covers every file, 1 when a file had to be left out,
    2 when there is no story folder. Findings are advice: they never fail the command."""
    from game.session.paths import cache_dir, story_dir

    root = story_dir(args.dir)
    if not root.is_dir():
        sys.stderr.write(f"kengir prose: there is no story folder at {root}\n")
        return 2
    kinds = [k.strip() for k in (args.only or "").split(",") if k.strip()]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        sys.stderr.write(f"kengir prose: --only takes {', '.join(KINDS)}; not {', '.join(unknown)}\n")
        return 2
    report = prose_report(root, cache_dir(), spelling=not args.no_spelling)
    if args.json:
        out.write(json.dumps(to_json(report), indent=1, ensure_ascii=False) + "\n")
    else:
        out.write(format_report(report, kinds, args.scenes))
    return 1 if report.source.unread else 0
