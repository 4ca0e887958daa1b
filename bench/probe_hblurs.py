"""Probe of blurring dissolves (xfade's hblur) cliploom has not seen: two-shot videos, each one
hblur of 0.5-2 s between two moving shots of rounds 22-24's footage, a similar pair (one scene
framed apart, close colours: ROUND2x_SIMILAR) on even seeds, two unrelated shots on odd ones.

    PYTHONPATH=$PWD python bench/probe_hblurs.py --seeds 97001-97020 --work /tmp/probe97
    (seeds 97001+ for development; 98001+ to check once that a rule was not tuned to them)

Prints per video the hblur, whether a boundary found it, kept clips holding it, false
boundaries; then found / leaky / false for the similar and the unrelated pairs."""

import argparse
import json
import random
import sys
from collections import Counter
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_transitions import cliploom_analysis, evaluate
from tests import transition_videos as tv

ROUNDS = (
    (tv.REAL_SHOTS_ROUND22, tv.SYNTHETIC_SHOTS_ROUND22, tv.ROUND22_SIMILAR, 25),
    (tv.REAL_SHOTS_ROUND23, tv.SYNTHETIC_SHOTS_ROUND23, tv.ROUND23_SIMILAR, 25),
    (tv.REAL_SHOTS_ROUND24, tv.SYNTHETIC_SHOTS_ROUND24, tv.ROUND24_SIMILAR, 30),
)
MOVES = (*tv.ROUND22_MOVES, *tv.ROUND23_MOVES)


def probe_shots(seed: int) -> list:
    """The two shots of probe video `seed`: footage of one round, both moving, one hblur
    (drawn again where the footage is too short for it)."""
    rng = random.Random(seed)
    while True:
        try:
            return _draw(rng, seed)
        except ValueError:
            continue


def _draw(rng: random.Random, seed: int) -> list:
    real, synthetic, similar, fps = ROUNDS[rng.randrange(len(ROUNDS))]
    if seed % 2 == 0:
        a, b = rng.choice(similar)
        if rng.random() < 0.5:
            a, b = b, a
    else:
        pool = sorted(real) + sorted(synthetic)
        while True:
            a, b = rng.sample(pool, 2)
            if (a, b) not in similar and (b, a) not in similar:
                break
    duration = round(rng.randint(round(0.5 * fps), 2 * fps) / fps, 4)
    plan = {
        seed: (
            (a, rng.choice(MOVES), None, None, "hblur", duration),
            (b, rng.choice(MOVES), None, None, "cut", 0.0),
        )
    }
    return tv.plan_shots(plan, seed, count=2, steps=fps)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", required=True, help="first-last, e.g. 97001-97020")
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args()
    first, last = (int(x) for x in args.seeds.split("-"))

    import configs
    from pipelines.config import PipelineConfig

    config = PipelineConfig.from_dict(configs.load(sets=args.set))
    args.work.mkdir(parents=True, exist_ok=True)
    totals = {"similar": Counter(), "unrelated": Counter()}
    for seed in range(first, last + 1):
        video = args.work / f"probe_{seed}.mp4"
        if video.exists() and video.with_suffix(".json").exists():
            truth = json.loads(video.with_suffix(".json").read_text())
        else:
            shots = probe_shots(seed)
            truth = asdict(tv.render(video, shots))
            video.with_suffix(".shots").write_text(
                " ".join(f"{s.source}:{s.move}:{s.length_s}" for s in shots)
            )
        _, spans, kept = cliploom_analysis(video, config)
        c = evaluate(truth, spans, kept)
        kind = "similar" if seed % 2 == 0 else "unrelated"
        totals[kind] += c
        t = truth["transitions"][0]
        shots = video.with_suffix(".shots").read_text()
        print(
            f"{seed} {kind:9s} hblur {t['start_s']:.2f}-{t['end_s']:.2f} "
            f"({t['end_s'] - t['start_s']:.2f} s) found {c['transitions_found']} "
            f"leaky {c['leaky']} false {c['false']}  "
            f"{' '.join(f'{a:.2f}-{b:.2f}' for a, b in spans)}  [{shots}]",
            flush=True,
        )
    for kind, c in totals.items():
        print(
            f"{kind}: found {c['transitions_found']} / {c['transitions']}, "
            f"leaky {c['leaky']} of {c['kept']} kept, false {c['false']}"
        )


if __name__ == "__main__":
    main()
