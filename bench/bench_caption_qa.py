"""Caption QA on the hand-written pair sets: clean pairs rejected, defects caught, per-check
precision and recall, and the fast path's pairs per second on one core.

    PYTHONPATH=. python bench/bench_caption_qa.py [--split dev|heldout|heldout2|all] [--pairs 2000]

The sets are `tests/data/caption_qa_clean.yaml` (faithful translations with the liberties of
normal translation) and `tests/data/caption_qa_broken.yaml` (one realistic defect each, `check`
naming the check that must catch it). `dev` pairs were used while building; `heldout` and
`heldout2` were each evaluated once blind, then their misses fixed (so they are no longer
held out). Targets (issue 13): at most 3 % of clean pairs rejected, at least 95 % of defects
caught (directions, roles, negation apart), >= 200 pairs/s on one core: measured by this
process's CPU time, since the wall clock of a shared machine also counts waiting for a core.
"""

from __future__ import annotations

import argparse
import os
import time

from tests.caption_qa_pairs import HARD, evaluate, load_pairs
from transforms.caption_qa import CaptionQA


def report(stats: dict) -> list[str]:
    lines = []
    clean, broken = stats["clean"], stats["broken"]
    rejected, missed = len(stats["rejected"]), len(stats["missed"])
    lines.append(
        f"clean pairs rejected: {rejected}/{clean} = {rejected / max(1, clean):.1%} (target <= 3%)"
    )
    hard = [r for r in stats["per_check"] if r in HARD]
    plain_total = sum(t for c, (_, t) in stats["per_check"].items() if c not in HARD)
    plain_missed = sum(1 for _, c, _ in stats["missed"] if c not in HARD)
    lines.append(
        f"defects caught (language, degeneration, numbers, counts, colours, nouns): "
        f"{plain_total - plain_missed}/{plain_total} = "
        f"{(plain_total - plain_missed) / max(1, plain_total):.1%} (target >= 95%)"
    )
    for check in sorted(hard):
        caught, total = stats["per_check"][check]
        lines.append(f"  {check} (reported separately): {caught}/{total} by the {check} check")
    lines.append(
        f"all defects caught: {broken - missed}/{broken} = {(broken - missed) / max(1, broken):.1%}"
    )
    flagged_broken = broken - missed
    lines.append(
        f"overall: precision {flagged_broken / max(1, flagged_broken + rejected):.1%} "
        f"recall {flagged_broken / max(1, broken):.1%} (a pair rejected or its defect reported)"
    )
    lines.append("per check: precision (clean pairs it fired on) / recall (its defects it caught)")
    for check in sorted(set(stats["per_check"]) | set(stats["fired_clean"])):
        caught, total = stats["per_check"].get(check, (0, 0))
        false = stats["fired_clean"].get(check, 0)
        precision = caught / (caught + false) if caught + false else float("nan")
        recall = caught / total if total else float("nan")
        lines.append(
            f"  {check:12s} precision {precision:6.1%}  recall {recall:6.1%}  "
            f"({caught}/{total} caught, fired on {false} clean)"
        )
    for pid, issues in stats["rejected"]:
        lines.append(f"  clean rejected: {pid}: {issues}")
    for pid, check, issues in stats["missed"]:
        lines.append(f"  missed: {pid} ({check}): {issues}")
    for pid, check, issues in stats["caught_by_other"]:
        lines.append(f"  caught by another check: {pid} ({check}): {issues}")
    return lines


def throughput(qa: CaptionQA, rows: list[dict], pairs: int) -> tuple[float, float]:
    """Pairs per second of the fast path, by wall clock and by this process's CPU time (on a
    shared machine the CPU rate is the one-core rate; the wall rate also counts waiting)."""
    work = [(r["en"], r["zh"], r["kind"] == "dense") for r in rows]
    wall, cpu = time.perf_counter(), time.process_time()
    for i in range(pairs):
        qa.check_pair(*work[i % len(work)])
    return pairs / (time.perf_counter() - wall), pairs / (time.process_time() - cpu)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="all", choices=("dev", "heldout", "heldout2", "all"))
    parser.add_argument("--pairs", type=int, default=2000, help="pairs timed for throughput")
    args = parser.parse_args()
    start = time.perf_counter()
    qa = CaptionQA()
    qa.check_pair("A dog runs.", "一只狗在跑。")  # lingua loads its models on first use
    build_s = time.perf_counter() - start
    clean, broken = load_pairs(args.split)
    print(f"caption QA on the {args.split} split: {len(clean)} clean, {len(broken)} broken pairs")
    print("\n".join(report(evaluate(qa, clean, broken))))
    wall, cpu = throughput(qa, clean + broken, args.pairs)
    print(
        f"fast path: {cpu:.0f} pairs/s on one core by CPU time ({1000 / cpu:.2f} ms per pair; "
        f"target >= 200), {wall:.0f} pairs/s by wall clock on this shared machine (load "
        f"{os.getloadavg()[0]:.1f}); build {build_s:.1f}s once per worker"
    )


if __name__ == "__main__":
    main()
