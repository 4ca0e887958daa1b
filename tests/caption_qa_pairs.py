"""The hand-written caption QA pair sets (tests/data/caption_qa_*.yaml) and their evaluation:
shared by tests/test_caption_qa.py and bench/bench_caption_qa.py."""

from __future__ import annotations

import collections
from pathlib import Path

import yaml

from transforms.caption_qa import CHECK_OF, CaptionQA, issue_name

DATA = Path(__file__).resolve().parent / "data"
HARD = ("directions", "roles", "negation")


def load_pairs(split: str = "all") -> tuple[list[dict], list[dict]]:
    """(clean, broken) pairs of the split: dev, heldout or all."""
    sets = []
    for name in ("caption_qa_clean.yaml", "caption_qa_broken.yaml"):
        rows = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
        sets.append([r for r in rows if split == "all" or r["split"] == split])
    return sets[0], sets[1]


def run_pair(qa: CaptionQA, row: dict):
    return qa.check_pair(row["en"], row["zh"], dense=row["kind"] == "dense")


def checks_of(result) -> set[str]:
    return {CHECK_OF[issue_name(i)] for i in result.issues}


def evaluate(qa: CaptionQA, clean: list[dict], broken: list[dict]) -> dict:
    """Rejections of clean pairs, catches of broken ones, and per-check counts."""
    fired_clean: collections.Counter = collections.Counter()
    rejected = []
    for row in clean:
        result = run_pair(qa, row)
        fired_clean.update(checks_of(result))
        if not result.ok:
            rejected.append((row["id"], result.issues))
    per_check = collections.defaultdict(lambda: [0, 0])  # expected check: [caught, total]
    missed, caught_by_other = [], []
    for row in broken:
        result = run_pair(qa, row)
        fired = checks_of(result)
        expected = row["check"]
        per_check[expected][1] += 1
        if expected in fired:
            per_check[expected][0] += 1
        elif not result.ok:
            caught_by_other.append((row["id"], expected, result.issues))
        if result.ok and expected not in fired:
            missed.append((row["id"], expected, result.issues))
    return {
        "clean": len(clean),
        "rejected": rejected,
        "fired_clean": fired_clean,
        "broken": len(broken),
        "missed": missed,
        "caught_by_other": caught_by_other,
        "per_check": dict(per_check),
    }
