"""Probe of the boundaries cliploom finds on rendered development videos: each gradual one
labelled from the render's truth (a transition's, a cut's, or false: next to which negatives)
and saved with its frames at `ZOOM_SIZE` (128x72) over the span and `--pad-s` either side, so
that a one-shot test can be measured on every true and false span without analysing again.

    PYTHONPATH=$PWD python bench/probe_spans.py --renders /tmp/span17/renders \
        --out /tmp/spans round21_2101 round21_2103 ...

Writes OUT/NAME_START_END.npz (`times`, `frames` BGR uint8, `meta` JSON) and prints one JSON
line per span. Never run it on a held-back set's renders.

Round 28 (light27): nothing measured separated the false spans at light changes inside moving
shots from the true transitions, the similar-shot ones among them.
On this probe's 345 gradual boundaries of rounds 14-26 (14 false: brighten, crossing, lens
flare, rolling shutter, overexposure, white balance, strobe, two fogs, two dimmings, a bird, an
iris pulse, a fast zoom; 331 true, 83 of them similar-shot), `_one_shot_fit`'s chain of affine
ECC steps over each span, two frames a step:
- weakest step: false 0.35-0.94; 192 true (53 similar) at 0.35 or more (a dissolve moves its
  mix ~4 % a step: each step registers);
- ends left sharing under 0.3 of the frame, or the chain diverged: false 9 of 14, true 193
  (53 similar); every step from 0.85 as well: false 3, true 31 (10 similar: the chain follows
  a slide, a wipe's or a dissolve's moving picture out of the frame as far as a camera's).
On the wider spans the refinement tested for one shot (before their ends were clamped to
their neighbours'; 12 false among 329, at 10 of these light changes, rounds 14-26):
- the same steps on local-contrast-normalised frames (gain, offset and haze taken off): weakest
  false -1-0.93, true -1-0.94;
- the chain's ends over the overlap it leaves (falling back to gradient-magnitude ECC where a
  grey step breaks): of the three false spans that keep over 0.3 of the frame, band-pass
  (1-6 px) / gradient orientation 0.24 / 0.36 (a walking man's white balance), -0.03 / 0.02
  (a lens flare's dark middle), 0.00 / 0.11 (an overexposure remapping the colours);
- `_one_shot_fit` over 1-1.5 s around the span's middle, where the light changes: fine detail
  0.90 over 0.54 of the frame for a fog, 0.47 and under or no fit for the rest; true spans'
  ends reach 0.54;
- frames 0.24 s apart registered directly (rounds 20-26, spans under 4 s): 10th percentile of
  the steps false -1-0.90 (fog 0.90, brightening 0.83, dimming 0.81, the rest under 0.3), true
  -1-0.84;
- the camera's motion just before and just after the span (phase correlation): false spans
  change it by 0.48-1.46 of its speed; 154 of 202 true spans too.

Round 28 (false29), on this probe's 368 gradual boundaries of rounds 14-27 (`--pad-s 1`; the
same 14 false; 354 true, 87 similar-shot):
- two layers: nine frames across the span each fitted by the frames just before and after
  it, each registered onto it by affine ECC (phase correlation's shift where ECC fails), as
  one layer (gain, offset) and as a mix of both; the mix's best gain in R^2 over one layer:
  false 0.002-0.128, true 297 of 354 at 0.128 or under (fades through black, wipes, slides
  and dissolves between moving shots register no better as two layers);
- SIFT at 256x144 (128x72 doubled, CLAHE), matches across the span's ends kept by an affine
  RANSAC (4 px): false 0 (11), 3, 4, 31; true 0 for 309, 3 or more for 45; across 1.2 s
  about the middle: false 0 (9), 4, 4, 8, 23, 33; true 0 for 247, 33 or more for 26.
"""

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_transitions import MATCH_S, NEGATIVE_S, reaches


def label_span(truth: dict, start_s: float, end_s: float) -> dict:
    """What the span [start_s, end_s] is in `truth` (a render's JSON), as the bench counts it:
    the transitions and cuts it reaches within MATCH_S (their kinds, whether one is `similar`),
    or, reaching none, the negatives within NEGATIVE_S."""
    windows = [
        (t["start_s"], t["end_s"], t["kind"], t.get("similar", False)) for t in truth["transitions"]
    ]
    every = windows + [(c, c, "cut", False) for c in truth["cuts_s"]]
    hits = [w for w in every if reaches(start_s, end_s, w[0], w[1], MATCH_S)]
    negatives = [
        n["kind"]
        for n in truth["negatives"]
        if reaches(start_s, end_s, n["start_s"], n["end_s"], NEGATIVE_S)
    ]
    return {
        "true": bool(hits),
        "kinds": [h[2] for h in hits],
        "similar": any(h[3] for h in hits),
        "negatives": [] if hits else negatives,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="+", help="render names, e.g. round21_2103")
    parser.add_argument("--renders", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--pad-s", type=float, default=0.3)
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args()

    import configs
    from pipelines.config import PipelineConfig
    from transforms.probe import probe_file
    from transforms.scenes import analyze_video
    from transforms.transitions import ZOOM_SIZE, BoundaryKind, window_decoder

    config = PipelineConfig.from_dict(configs.load(sets=args.set))
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.names:
        video = args.renders / f"{name}.mp4"
        truth = json.loads(video.with_suffix(".json").read_text())
        info = probe_file(str(video), str(video), config.probe)
        analysis = analyze_video(str(video), info, config.scenes)
        decode = window_decoder(str(video), info.start_time_s, info.rotation_deg)
        for b in analysis.boundaries:
            if b.kind != BoundaryKind.GRADUAL:
                continue
            times, frames = decode(b.start_s - args.pad_s, b.end_s + args.pad_s, ZOOM_SIZE)
            meta = {"video": name, "start_s": b.start_s, "end_s": b.end_s}
            meta |= label_span(truth, b.start_s, b.end_s)
            np.savez_compressed(
                args.out / f"{name}_{b.start_s:.2f}_{b.end_s:.2f}.npz",
                times=np.asarray(times),
                frames=np.asarray(frames),
                meta=json.dumps(meta),
            )
            print(json.dumps(meta), flush=True)


if __name__ == "__main__":
    main()
