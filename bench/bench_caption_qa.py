"""Clips per second of caption QA (one core), on the hand-written pairs of the tests.

    PYTHONPATH=. python bench/bench_caption_qa.py [--pairs 2000]

Each clip is a dense pair and a short pair, the way the caption stage checks them. The pairs
cycle through faithful and broken variants so every check runs.
"""

from __future__ import annotations

import argparse
import time

import configs
from tests.test_caption_qa import BEACH_EN, BEACH_ZH, KITCHEN_EN, KITCHEN_ZH, STREET_EN, STREET_ZH
from transforms.caption_qa import CaptionQA, CaptionQAConfig


def pairs() -> list[tuple[str, str, str, str]]:
    short = ("A short sentence about the clip.", "一句关于这个片段的简短描述。")
    base = [(STREET_EN, STREET_ZH), (BEACH_EN, BEACH_ZH), (KITCHEN_EN, KITCHEN_ZH)]
    broken = [
        (STREET_EN, STREET_ZH.replace("两只", "三只")),
        (BEACH_EN, BEACH_ZH.replace("黄色", "绿色")),
        (KITCHEN_EN + " and the boy eats and the boy eats and the boy eats", KITCHEN_ZH),
    ]
    return [(en, zh, *short) for en, zh in base + broken]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=2000)
    args = parser.parse_args()
    start = time.perf_counter()
    qa = CaptionQA(CaptionQAConfig(**configs.load()["caption_qa"]))
    qa.check(*pairs()[0])  # lingua loads its models on first use
    build_s = time.perf_counter() - start
    work = pairs()
    start = time.perf_counter()
    passed = sum(qa.check(*work[i % len(work)]).ok for i in range(args.pairs))
    elapsed = time.perf_counter() - start
    print(
        f"caption QA: {args.pairs / elapsed:.0f} clips/s on one core "
        f"({elapsed / args.pairs * 1000:.2f} ms per clip, {passed} passed); "
        f"build {build_s:.1f}s once per worker"
    )


if __name__ == "__main__":
    main()
