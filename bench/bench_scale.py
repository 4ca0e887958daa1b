"""Scale: memory and time of the write path and the launcher against manifest size, and a cost
model of a corpus from per-stage CPU measured on one real video.

    python bench/bench_scale.py                       # 1k, 10k, 100k rows, then the cost model
    python bench/bench_scale.py --rows 1000 1000000   # 1M rows: the worker writes 1,563 groups
    python bench/bench_scale.py --cost-only --vcpu-hour 0.056 --gb-hour 0.003557

Each size runs in a fresh subprocess, so `ru_maxrss` is that step's own peak. The generated
manifest has 10 clips per 60 s source, 1 in 10 kept with a 100 kB clip (--clip-kb):
  worker    one process writing every group of the corpus in turn, as the CoGroupByKey hands
            them over (`write.sources_per_group` sources each: shards, manifest and failures
            parts, completion record), and combining the groups' summaries into stats.json;
  launcher  what `cliploom run` does after the pipeline: counters into stats.json, the report
            (DuckDB queries over the manifest's parts within `report.memory_mb`), OUT/.tmp
            removed, _SUCCESS;
  graph     the same write graph (count, CoGroupByKey, groups, CombineGlobally) on DirectRunner
            in memory, up to --pipeline-rows: DirectRunner holds every PCollection in this one
            process, so its memory grows with N by the runner's design, where Dataflow or Flink
            shuffle on disk and hand a worker one group at a time.
Memory figures are peak RSS in MB above the step's imports (Beam, pyarrow, webdataset, which
imports torch where installed: printed once as "imports");
times are wall seconds with the step's own CPU seconds beside them (wall time on a shared
machine says little; CPU seconds of the step's process exclude its children).

The cost model measures CPU (user + system, ffmpeg children included) per stage on one real
video, as core-hours per video-hour, and prices a corpus on Dataflow with the prices given.
Captions run on GPUs and are priced separately (`--caption-gpu-hours-per-video-hour`).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
VIDEO = ROOT.parent / "shared" / "testdata" / "real" / "big_buck_bunny_0_30.webm"
CLIPS_PER_SOURCE = 10
KEPT_EVERY = 10
CLIP_BYTES = int(os.environ.get("CLIPLOOM_BENCH_CLIP_KB", "100")) * 1000


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_s() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


# ---- generated rows ------------------------------------------------------------------------


def generated(n_rows: int, first_row: int = 0):
    """(media, dropped rows, failures) of rows first_row.. of a generated corpus."""
    from schemas import Clip, ClipMedia, Failure

    media, rows = [], []
    for i in range(first_row, first_row + n_rows):
        source = f"gs://corpus/videos/{i // CLIPS_PER_SOURCE:08d}.mp4"
        k = i % CLIPS_PER_SOURCE
        clip = Clip(
            clip_id=f"{i:020x}",
            source=source,
            source_sha256=f"{i // CLIPS_PER_SOURCE:064x}",
            scene_index=k,
            scene_start_s=6.0 * k,
            scene_end_s=6.0 * k + 6.0,
            start_s=6.0 * k + 0.5,
            end_s=6.0 * k + 5.5,
            duration_s=5.0,
            width=1920,
            height=1080,
            fps=30.0,
            source_duration_s=60.0,
            phash=[i, i + 1, i + 2, i + 3],
            blur_var=120.0,
            motion_mean_px=1.5,
        )
        if i % KEPT_EVERY == 0:
            media.append(ClipMedia(clip, mp4=os.urandom(64) * (CLIP_BYTES // 64), jpg=b"\xff\xd8"))
        else:
            rows.append(clip.with_reasons("low_motion"))
    failures = [
        Failure(f"gs://corpus/broken/{i:08d}.mp4", "probe", "corrupt_container", "moov atom")
        for i in range(first_row // 1000, (first_row + n_rows) // 1000)
    ]
    return media, rows, failures


def step_pipeline(n_rows: int, out: str) -> dict:
    """The whole write graph on DirectRunner: count, CoGroupByKey, groups, combined stats."""
    import apache_beam as beam

    from transforms.write import WriteConfig, WriteCorpus, WriteStats

    media, rows, failures = generated(n_rows)
    sources = sorted({m.clip.source for m in media} | {r.source for r in rows})
    sources += [f.source for f in failures]
    start = time.perf_counter()
    with beam.Pipeline() as p:
        written = {
            "media": p | "Media" >> beam.Create(media),
            "rows": p | "Rows" >> beam.Create(rows),
            "failures": p | "Failures" >> beam.Create(failures),
        } | WriteCorpus(out, WriteConfig(), sources=p | "Sources" >> beam.Create(sources))
        _ = written | WriteStats(out)
    return {"s": time.perf_counter() - start}


def step_worker(n_rows: int, out: str) -> dict:
    """A worker writing every group of an N-row corpus in turn, as the CoGroupByKey hands them
    over (one group at a time), then the stats combined from the groups' summaries."""
    from transforms import stats, tables
    from transforms.write import WriteConfig, _WriteGroupFn

    config = WriteConfig()
    per_group = config.sources_per_group * CLIPS_PER_SOURCE
    fn = _WriteGroupFn(out, config)
    fn.setup()
    combine = stats.CombineSummaries()
    total = combine.create_accumulator()
    start = time.perf_counter()
    for group, first in enumerate(range(0, n_rows, per_group)):
        media, rows, failures = generated(min(per_group, n_rows - first), first)
        # the group's values as its GroupByKey hands them over: (tag, value) pairs (`by_tag`)
        tagged = {"media": media, "rows": rows, "failures": failures}
        keyed = (group, ((tag, v) for tag, values in tagged.items() for v in values))
        for summary in fn.process(keyed, math.ceil(n_rows / per_group)):
            total = combine.add_input(total, summary)
    stats.write_stats(tables.join(out, stats.STATS), stats.stats_json(total, {}))
    return {"s": time.perf_counter() - start}


def step_launcher(n_rows: int, out: str) -> dict:
    """What `cliploom run` does once the pipeline is done: counters into stats.json, the
    report (DuckDB queries over the manifest within `report.memory_mb`), _SUCCESS."""
    from pipelines.report import write_report
    from transforms import stats, tables

    start = time.perf_counter()
    path = tables.join(out, stats.STATS)
    result = stats.with_counters(stats.read_stats(path), {"probe": {"ok": 1, "total": 1}})
    stats.write_stats(path, result)
    start_report = time.perf_counter()
    write_report(out, result)
    report_s = time.perf_counter() - start_report
    tables.remove_tmp(out)
    tables.mark_success(out)
    assert result["clips"]["candidates"] == n_rows
    return {"s": time.perf_counter() - start, "report_s": report_s}


STEPS = {"pipeline": step_pipeline, "worker": step_worker, "launcher": step_launcher}


def child(step: str, n_rows: int, out: str) -> None:
    import apache_beam  # noqa: F401  (imports first: the baseline every step pays)
    import webdataset  # noqa: F401  (imports torch where it is installed)

    import pipelines.report  # noqa: F401
    import transforms.write  # noqa: F401

    base, cpu = peak_rss_mb(), time.process_time()
    result = STEPS[step](n_rows, out)
    cpu = time.process_time() - cpu
    print(json.dumps({**result, "cpu_s": cpu, "rss_mb": peak_rss_mb(), "base_mb": base}))


def measure(step: str, n_rows: int, out: str) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", step, str(n_rows), out],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def scale_table(sizes: list[int], pipeline_rows: int) -> None:
    print(
        "| rows | worker: write + stats s (CPU s) | worker peak MB | launcher s (CPU s) "
        "| launcher peak MB | DirectRunner graph s (CPU s) | DirectRunner peak MB |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="cliploom-scale-") as tmp:
            worker = measure("worker", n, f"{tmp}/out")
            launcher = measure("launcher", n, f"{tmp}/out")
            pipeline = measure("pipeline", n, f"{tmp}/graph") if n <= pipeline_rows else None
        graph = (
            f"{pipeline['s']:.1f} ({pipeline['cpu_s']:.1f}) | {above(pipeline)}"
            if pipeline
            else "- | -"
        )
        print(
            f"| {n:,} | {worker['s']:.1f} ({worker['cpu_s']:.1f}) | {above(worker)} "
            f"| {launcher['s']:.2f} ({launcher['cpu_s']:.2f}) | {above(launcher)} | {graph} |",
            flush=True,
        )
    print(f"imports: {worker['base_mb']:.0f} MB peak RSS before any step")


def above(result: dict) -> str:
    return f"{result['rss_mb'] - result['base_mb']:.0f}"


# ---- cost model ----------------------------------------------------------------------------


def stage_cpu(video: Path) -> tuple[dict[str, float], float, dict]:
    """CPU seconds per stage on `video`, its duration, and sizes of what crosses shuffles."""
    import io

    import av  # noqa: F401  (imports once per worker, not per video: outside the timings)
    import cv2  # noqa: F401
    import scenedetect  # noqa: F401
    import webdataset  # noqa: F401

    import configs
    from pipelines.config import PipelineConfig
    from transforms.encode import encode_clips, middle_sample
    from transforms.media import sha256_file
    from transforms.probe import probe_file
    from transforms.scenes import analyze_video, build_clips
    from transforms.score import OcrScorer
    from transforms.write import write_tar

    config = PipelineConfig.from_dict(configs.load())
    path = str(video)
    cpu: dict[str, float] = {}

    def timed(stage, fn, *args):
        start = cpu_s()
        result = fn(*args)
        cpu[stage] = cpu.get(stage, 0.0) + cpu_s() - start
        return result

    info = timed("probe", probe_file, path, path, config.probe)
    timed("probe", sha256_file, path)

    def scenes():
        # the analyzers of the pipeline's SplitScenes (pipelines/pipeline.py), in one pass
        factories = (config.frame_quality, config.motion, config.watermark, config.objects)
        analyzers = [f.make_analyzer(info) for f in factories]
        analysis = analyze_video(path, info, config.scenes, analyzers)
        return build_clips(
            info, analysis, config.scenes, config.clips, analyzers, config.quality.check
        )

    sampled = timed("scenes+quality+motion+overlays+objects", scenes)
    kept = [s for s in sampled if s.clip.kept]
    if config.ocr.enabled:
        ocr = timed("ocr (load)", OcrScorer, config.ocr)
        for s in kept:
            timed("ocr", ocr.score, s)
        cpu.pop("ocr (load)")  # once per worker, not per video
    items = [(s.clip, middle_sample(s)) for s in kept]  # as EncodeClips: the thumbnail sampled
    media = timed("encode", encode_clips, items, path, config.encode)

    def write():
        buffer = io.BytesIO()
        write_tar(buffer, [(m.clip, m.mp4, m.jpg) for m in media])
        return buffer

    timed("write", write)
    shuffled = {
        "sample_jpeg_bytes": sum(len(j) for s in sampled for j in s.frames_jpg),
        "mp4_bytes": sum(len(m.mp4) + len(m.jpg) for m in media),
        "kept_s": sum(m.clip.duration_s for m in media),
    }
    return cpu, info.duration_s, shuffled


def cost_model(args) -> None:
    cpu, duration_s, shuffled = stage_cpu(Path(args.video))
    video_h = duration_s / 3600
    print(
        f"\nCPU per stage on {Path(args.video).name} ({duration_s:.1f} s, one process, "
        f"{os.cpu_count()} cores visible):"
    )
    print("| stage | CPU s | core-hours per video-hour |")
    print("|---|---:|---:|")
    per_video_h = {stage: s / 3600 / video_h for stage, s in cpu.items()}
    for stage, s in cpu.items():
        print(f"| {stage} | {s:.2f} | {per_video_h[stage]:.3f} |")
    total = sum(per_video_h.values()) * args.overhead
    print(
        f"| total x {args.overhead} (Beam, shuffle, idle workers) | | {total:.3f} |\n"
        f"kept {shuffled['kept_s']:.1f} s of {duration_s:.1f} s"
    )

    hours = args.corpus_hours
    core_h = total * hours
    memory_gb_h = core_h * args.gb_per_vcpu
    # bytes through shuffles: the sampled JPEGs (scene -> score -> dedup -> caption -> encode
    # grouping) about twice, the encoded clips once (into the write group)
    shuffle_gb = hours / video_h * (2 * shuffled["sample_jpeg_bytes"] + shuffled["mp4_bytes"]) / 1e9
    gpu_h = hours * args.caption_gpu_hours_per_video_hour
    cost = {
        "vCPU": core_h * args.vcpu_hour,
        "memory": memory_gb_h * args.gb_hour,
        "shuffle": shuffle_gb * args.shuffle_gb,
        "caption GPUs": gpu_h * args.gpu_hour,
    }
    print(
        f"\n{hours:,.0f} video-hours on Dataflow: {core_h:,.0f} vCPU-hours, "
        f"{memory_gb_h:,.0f} GB-hours, {shuffle_gb:,.0f} GB shuffled, {gpu_h:,.0f} GPU-hours"
    )
    print("| item | price (input) | cost USD |")
    print("|---|---|---:|")
    prices = {
        "vCPU": f"{args.vcpu_hour} / vCPU-hour",
        "memory": f"{args.gb_hour} / GB-hour x {args.gb_per_vcpu} GB per vCPU",
        "shuffle": f"{args.shuffle_gb} / GB",
        "caption GPUs": f"{args.gpu_hour} / GPU-hour x {args.caption_gpu_hours_per_video_hour}",
    }
    for item, usd in cost.items():
        print(f"| {item} | {prices[item]} | {usd:,.0f} |")
    print(f"| total | | {sum(cost.values()):,.0f} |")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]), sys.argv[4])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--cost-only", action="store_true")
    parser.add_argument(
        "--clip-kb", type=int, default=100, help="size of each generated kept clip's mp4"
    )
    parser.add_argument(
        "--pipeline-rows",
        type=int,
        default=10_000,
        help="largest size also run as a Beam graph on DirectRunner (slow per element)",
    )
    parser.add_argument("--video", default=str(VIDEO), help="a short real video to measure")
    parser.add_argument("--corpus-hours", type=float, default=1_000_000)
    # Dataflow batch list prices (us-central1) as inputs; check the current price list.
    parser.add_argument("--vcpu-hour", type=float, default=0.056, help="USD per vCPU-hour")
    parser.add_argument("--gb-hour", type=float, default=0.003557, help="USD per GB-hour")
    parser.add_argument("--gb-per-vcpu", type=float, default=3.75, help="n1-standard: 3.75")
    parser.add_argument("--shuffle-gb", type=float, default=0.011, help="USD per GB shuffled")
    parser.add_argument("--gpu-hour", type=float, default=2.48, help="USD per GPU-hour (L4-class)")
    parser.add_argument(
        "--caption-gpu-hours-per-video-hour",
        type=float,
        default=0.0,
        help="measure with bench_caption_hf.py on the GPU you will use; 0 leaves captions out",
    )
    parser.add_argument(
        "--overhead", type=float, default=1.3, help="factor for Beam and idle time over pure CPU"
    )
    args = parser.parse_args()
    os.environ["CLIPLOOM_BENCH_CLIP_KB"] = str(args.clip_kb)  # read by the measuring children
    if not args.cost_only:
        scale_table(args.rows, args.pipeline_rows)
    cost_model(args)


if __name__ == "__main__":
    main()
