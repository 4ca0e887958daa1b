"""OCR on burned-in subtitles over real footage, and on clips without text, two configs in one run.

Renders subtitle clips with ffmpeg drawtext over ../shared/testdata/real footage (640x360:
chaplin, the plane take-off; 1280x720: cockatoo, Big Buck Bunny): white text plain, with a
black border and on a half-black box; a lowercase, a mixed-case and a short sentence (23-51
characters); font sizes 14-28 px on 640x360, 20-36 px on 1280x720; 3 s each. Clips without
text: a mandelbrot render, ../shared/testdata/synthetic/quality's clips without text (the
blurred fractal included), synthetic/dedup without the logo copy, and real/ without the
titled webm. Every clip goes through the decode pass as the pipeline builds it; each config
scores all ocr.frames of every clip (early stop off), and prints
  frames with a box, frames over quality.text_min_area_frac, clips dropped as text_overlay
for the subtitle clips (by font size and style) and the clips without text, and the CPU
seconds per frame of each config (this process, paired: alternating per clip). The machine is
shared: only the ratio within one run compares.

    PYTHONPATH=. python bench/bench_ocr_subtitles.py [--a ocr.key=value ...] [--b ...]
        [--sizes 16,20] [--sources chaplin,cockatoo]

--a defaults to OCR on the samples alone (ocr.band=false: OCR before the text bands), --b to
the config as it stands. The clips are sampled once, with config B's `scenes` section (the
samples themselves do not depend on the band settings; --a/--b change only `ocr`).
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TESTDATA = ROOT.parent / "shared" / "testdata"
REAL = TESTDATA / "real"
# name -> (file, start s, frame height)
SOURCES = {
    "chaplin": ("chaplin.mp4", 1.0, 360),
    "plane": ("video_with_failing_audio.mp4", 2.0, 360),
    "cockatoo": ("cockatoo.mp4", 1.0, 720),
    "bbb": ("bigbuckbunny.mp4", 0.5, 720),
}
SENTENCES = {
    "lower": "and then we went down to the river at night",
    "mixed": "I never thought I would see this place again, Anna.",
    "short": "where are you going now",
}
STYLES = {
    "plain": "fontcolor=white",
    "border": "fontcolor=white:borderw=2:bordercolor=black",
    "box": "fontcolor=white:box=1:boxcolor=black@0.5:boxborderw=4",
}
SIZES = {360: (14, 16, 18, 20, 24, 28), 720: (20, 24, 28, 32, 36)}
CLEAN = [
    *(f"synthetic/quality/{n}.mp4" for n in ("good_motion", "good_zoom", "slow_pan", "static")),
    *(f"synthetic/quality/{n}.mp4" for n in ("black", "blurry")),
    *(f"synthetic/dedup/{n}.mp4" for n in ("A", "A_crop", "A_half", "A_lowq", "B", "B_trim")),
    *(f"synthetic/dedup/{n}.mp4" for n in ("C", "D_same_family", "E")),
    *(f"real/{n}.mp4" for n in ("bigbuckbunny", "bikes", "carphone_distorted")),
    *(f"real/{n}.mp4" for n in ("carphone_pristine", "chaplin", "cockatoo")),
    *(f"real/{n}.mp4" for n in ("doc_medias_example3", "fire2", "video_with_failing_audio")),
]


def subtitle_clips(tmp: Path, sources: list[str], sizes: set[int] | None) -> list[Path]:
    from tests.conftest import make_video

    out = []
    for src in sources:
        name, start, height = SOURCES[src]
        for (sent, text), (style, draw) in (
            (s, t) for s in SENTENCES.items() for t in STYLES.items()
        ):
            for size in SIZES[height]:
                if sizes and size not in sizes:
                    continue
                path = tmp / f"{src}_{sent}_{style}_{size}.mp4"
                escaped = text.replace(",", r"\,").replace("'", r"\'")
                vf = (
                    f"drawtext=text='{escaped}':fontsize={size}:{draw}"
                    f":x=(w-tw)/2:y=h-th-{int(size * 1.5)}"
                )
                if not path.exists():
                    make_video(
                        path, "-ss", str(start), "-i", str(REAL / name), "-t", "3", "-an",
                        "-vf", vf, "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
                    )  # fmt: skip
                out.append(path)
    return out


def clean_clips(tmp: Path) -> list[Path]:
    from tests.conftest import make_video

    plain = tmp / "mandelbrot.mp4"
    if not plain.exists():
        make_video(plain, "-f", "lavfi", "-i", "mandelbrot=s=640x360:r=30", "-t", "4",
                   "-pix_fmt", "yuv420p")  # fmt: skip
    return [plain, *(TESTDATA / p for p in CLEAN)]


def sampled(paths: list[Path], config) -> list[tuple[str, object]]:
    """(stem#k, SampledClip) of the clips with a sampled frame."""
    from bench.bench_ocr import sample_clips

    named = [(path.stem, path) for path in paths]
    return [(name, s) for name, s in sample_clips(named, config) if s.pick(1)]


def main() -> None:
    import configs
    from pipelines.config import PipelineConfig
    from transforms.score import OcrScorer

    parser = argparse.ArgumentParser()
    parser.add_argument("--a", action="append", default=None, help="ocr.key=value (config A)")
    parser.add_argument("--b", action="append", default=[], help="ocr.key=value (config B)")
    parser.add_argument("--sizes", default="", help="font sizes to render, e.g. 16,20")
    parser.add_argument("--sources", default=",".join(SOURCES))
    parser.add_argument("--workdir", default=None, help="keep rendered clips here")
    args = parser.parse_args()

    named = {}
    for label, sets in (("A", args.a or ["ocr.band=false"]), ("B", args.b)):
        named[label] = PipelineConfig.from_dict(configs.load(sets=sets))
        print(f"{label}: {' '.join(sets) or '(the config as it stands)'}")
    config = named["B"]
    tmp = Path(args.workdir or tempfile.mkdtemp(prefix="bench_ocr_subs_"))
    tmp.mkdir(parents=True, exist_ok=True)
    sizes = {int(s) for s in args.sizes.split(",") if s}
    subs = sampled(subtitle_clips(tmp, args.sources.split(","), sizes), config)
    clean = sampled(clean_clips(tmp), config)
    print(f"{len(subs)} subtitle clips, {len(clean)} clips without text")

    scorers = {k: OcrScorer(dataclasses.replace(c.ocr, early_stop=False)) for k, c in named.items()}
    areas, cpu, frames = {k: {} for k in named}, dict.fromkeys(named, 0.0), 0
    for i, (name, clip) in enumerate(subs + clean):
        order = list(named) if i % 2 == 0 else list(named)[::-1]  # paired, alternating
        for k in order:
            t = time.process_time()
            areas[k][name] = scorers[k].score(clip)["text_area_fracs"]
            cpu[k] += time.process_time() - t
        frames += len(areas["A"][name])
    check = {k: c.quality.check for k, c in named.items()}
    floor = config.quality.text_min_area_frac
    by_name = dict(subs + clean)

    def row(label: str, names: list[str]) -> str:
        cells = []
        for k in named:
            fr = [a for n in names for a in areas[k][n]]
            drop = sum(
                "text_overlay"
                in check[k](
                    dataclasses.replace(
                        by_name[n].clip,
                        text_area_fracs=areas[k][n],
                        text_area_frac=sum(areas[k][n]) / len(areas[k][n]),
                    )
                )
                for n in names
            )
            boxed = sum(a > 0 for a in fr)
            cells.append(
                f"{k}: box {boxed}/{len(fr)} > {floor} {sum(a > floor for a in fr)}/{len(fr)}"
                f" text_overlay {drop}/{len(names)}"
            )
        return f"{label:<22}" + "   ".join(cells)

    groups = collections.defaultdict(list)
    for name, _ in subs:
        src, sent, style, size = name.split("#")[0].split("_")
        height = SOURCES[src][2]
        groups[f"{height}p {size}px"].append(name)
        groups[f"{height}p {style}"].append(name)
        groups[f"{height}p {sent}"].append(name)
        groups["subtitles, all"].append(name)
    print("\nsubtitle clips (recall)")
    for label in sorted(groups, key=lambda g: (g[:4], len(g), g)):
        print(row(label, groups[label]))
    print("\nclips without text (precision)")
    print(row("all", [n for n, _ in clean]))
    for name, _ in clean:
        if any(any(a > 0 for a in areas[k][name]) for k in named):
            print(f"  {name}: " + "  ".join(f"{k} {areas[k][name]}" for k in named))
    print(
        f"\nCPU s/frame (paired, {frames} frames): "
        + "  ".join(f"{k} {cpu[k] / frames:.4f}" for k in named)
        + f"  B/A {cpu['B'] / cpu['A']:.3f}"
    )


if __name__ == "__main__":
    main()
