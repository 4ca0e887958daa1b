"""A generated run output of any size, for the report's scale test and bench/bench_report.py.

Clips point at real videos (symlinks named per source, so there are many sources), their scores
are drawn from distributions shaped like the pipeline's, and their statuses are decided with the
default thresholds, so every chart, reason and sample of the report has content. The manifest is
written in the directory layout (OUT/manifest/part-*.parquet), and the strips as the write stage
stores them: per group of `write.sources_per_group` sources, those of the group's picks
(`pick_examples`), each a strip of three frames of the clip's video. Not generated: shards and
embeddings (the report never reads them).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

import configs
from schemas import Clip, Failure, arrow_schema
from transforms import strips
from transforms.write import group_count, group_of

CAPTIONS_EN = [
    "A cyclist rides along a wet street past parked cars while pedestrians cross behind.",
    "A large white rabbit stands in a sunny meadow and looks up at a butterfly.",
    "The camera pans slowly across a harbour with three red boats at dawn.",
]
CAPTIONS_ZH = [
    "一名骑自行车的人沿着潮湿的街道骑行，经过停着的汽车，行人在后面穿过。",
    "一只大白兔站在阳光明媚的草地上，抬头看着一只蝴蝶。",
    "镜头缓慢地扫过港口，黎明时分有三艘红色的船。",
]
ISSUES = ["en_too_short", "count_mismatch", "colour_mismatch", "zh_script"]


def synthetic_run(out: Path, videos: list[Path], clips: int, seed: int = 0) -> Path:
    """Write OUT/manifest/, OUT/failures/, OUT/stats.json, OUT/config.yaml for `clips` clips."""
    rng = np.random.default_rng(seed)
    config = configs.load()
    q = config["quality"]
    n_sources = max(1, clips // 20)
    src_dir = out / "sources"
    src_dir.mkdir(parents=True)
    durations = []
    for i in range(n_sources):
        video = videos[i % len(videos)]
        link = src_dir / f"v{i:06d}{video.suffix}"
        os.symlink(video.resolve(), link)
        durations.append(5.0)  # every sample video is at least 5 s long
    source_index = rng.integers(0, n_sources, clips)
    duration = np.clip(rng.normal(4.0, 1.8, clips), 0.3, 5.0)
    start = rng.uniform(0, 1, clips) * (5.0 - duration)
    scores = {
        "luma_mean": np.clip(rng.normal(110, 35, clips), 0, 255),
        "dark_frac": np.clip(rng.beta(0.3, 6, clips), 0, 1),
        "bright_frac": np.clip(rng.beta(0.2, 8, clips), 0, 1),
        "blur_var": rng.lognormal(np.log(220), 1.3, clips),
        "motion_top5_px": rng.lognormal(np.log(12), 1.1, clips),
        "camera_jitter_px": rng.lognormal(np.log(1.5), 0.9, clips),
        "luma_flicker": rng.lognormal(np.log(0.6), 1.0, clips),
        "aesthetic": rng.normal(5.0, 0.6, clips),
    }
    scores["motion_mean_px"] = scores["motion_top5_px"] * rng.uniform(0.15, 0.6, clips)
    text = np.where(rng.uniform(size=(clips, 3)) < 0.08, rng.uniform(0, 0.15, (clips, 3)), 0.0)
    scores["text_area_frac"] = text.mean(axis=1)
    text_frames = (text > q["text_min_area_frac"]).mean(axis=1)
    checks = [
        ("too_short", duration < config["clips"]["min_clip_s"]),
        ("too_dark", scores["dark_frac"] > q["max_dark_frac"]),
        ("too_bright", scores["bright_frac"] > q["max_bright_frac"]),
        ("blurry", scores["blur_var"] < q["min_blur"]),
        ("low_motion", scores["motion_top5_px"] < q["min_motion_top5_px"]),
        (
            "chaotic_motion",
            (scores["motion_mean_px"] > q["max_motion_mean_px"])
            | (scores["camera_jitter_px"] > q["max_camera_jitter_px"])
            | (scores["luma_flicker"] > q["max_luma_flicker"]),
        ),
        ("text_overlay", text_frames > q["max_text_frames_frac"]),
        ("low_aesthetic", scores["aesthetic"] < q["min_aesthetic"]),
    ]
    reasons = [[] for _ in range(clips)]
    for name, mask in checks:
        for i in np.flatnonzero(mask):
            reasons[i].append(name)
    captioned = rng.uniform(size=clips) < 0.5
    caption_ok = rng.uniform(size=clips) < 0.85
    dup = rng.uniform(size=clips) < 0.05
    group_of = np.where(dup, rng.integers(0, max(1, clips // 60), clips), -1)
    ids = [f"{i:020x}" for i in rng.permutation(clips * 7)[:clips] * 7919 + 12345]
    survivors: dict[int, str] = {}
    for i in np.flatnonzero(dup):
        survivors.setdefault(int(group_of[i]), ids[i])
    for i in np.flatnonzero(dup):
        if ids[i] != survivors[int(group_of[i])]:
            reasons[i].append("duplicate")
    status = ["dropped" if r else "kept" for r in reasons]
    pick = rng.integers(0, len(CAPTIONS_EN), clips)
    columns = {
        "clip_id": ids,
        "source": [
            str(src_dir / f"v{s:06d}{videos[s % len(videos)].suffix}") for s in source_index
        ],
        "source_sha256": [f"{s:064x}" for s in source_index],
        "scene_index": np.zeros(clips, dtype=np.int64),
        "scene_start_s": start,
        "scene_end_s": start + duration,
        "start_s": start,
        "end_s": start + duration,
        "duration_s": duration,
        "width": np.full(clips, 640),
        "height": np.full(clips, 360),
        "fps": np.full(clips, 25.0),
        "source_duration_s": np.array(durations)[source_index],
        "status": status,
        "drop_reasons": [sorted(r) for r in reasons],
        "text_area_fracs": text.round(4).tolist(),
        "camera_motion": rng.choice(
            ["static", "pan_left", "pan_right", "zoom_in", "complex"], clips
        ),
        "caption_status": np.where(captioned, np.where(caption_ok, "ok", "rejected"), "skipped"),
        "caption_en": [CAPTIONS_EN[k] if c else None for k, c in zip(pick, captioned, strict=True)],
        "caption_zh": [CAPTIONS_ZH[k] if c else None for k, c in zip(pick, captioned, strict=True)],
        "caption_ok": [
            bool(ok) if c else None for ok, c in zip(caption_ok, captioned, strict=True)
        ],
        "caption_issues": [
            [] if ok or not c else [ISSUES[k % len(ISSUES)]]
            for k, ok, c in zip(pick, caption_ok, captioned, strict=True)
        ],
        "dup_group": [survivors[int(g)] if g >= 0 else None for g in group_of],
        "duplicate_of": [
            survivors[int(g)] if g >= 0 and survivors[int(g)] != i else None
            for g, i in zip(group_of, ids, strict=True)
        ],
        **scores,
    }
    schema = arrow_schema(Clip)
    arrays = [
        pa.array(columns[f.name], type=f.type) if f.name in columns else pa.nulls(clips, f.type)
        for f in schema
    ]
    table = pa.Table.from_arrays(arrays, schema=schema)
    (out / "manifest").mkdir()
    for k, part in enumerate(np.array_split(np.arange(clips), 4)):
        pq.write_table(table.take(part), out / "manifest" / f"part-{k:05d}.parquet")
    (out / "failures").mkdir()
    failures = [
        {"source": f"/in/bad{i:05d}.mp4", "stage": stage, "error": error, "detail": detail}
        for i, (stage, error, detail) in enumerate(
            [("probe", "corrupt_container", "moov atom not found")] * 150
            + [("scenes", "undecodable", "Invalid data found when processing input")] * 40
            + [("encode", "timeout", "ffmpeg ran past 600 s")] * 10
        )
    ]
    pq.write_table(
        pa.Table.from_pylist(failures, schema=arrow_schema(Failure)),
        out / "failures" / "part-00000.parquet",
    )
    write_strips(out, config, columns)
    kept = [i for i, s in enumerate(status) if s == "kept"]
    stats = {
        "inputs": n_sources + len(failures),
        "clips": {"candidates": clips, "kept": len(kept), "dropped": clips - len(kept)},
        "shards": 0,
        "bytes_out": 0,
    }
    (out / "stats.json").write_text(json.dumps(stats))
    (out / "config.yaml").write_text(yaml.safe_dump(config, allow_unicode=True))
    return out


class _Row:
    """What `pick_examples` reads of a clip."""

    __slots__ = ("clip_id", "drop_reasons", "status")

    def __init__(self, clip_id: str, status: str, drop_reasons: list[str]):
        self.clip_id, self.status, self.drop_reasons = clip_id, status, drop_reasons


def video_strip(video: str, height_px: int) -> bytes:
    """A strip of three frames (1, 2, 3 s) of `video`."""
    import io

    import av

    frames = []
    with av.open(video) as container:
        for frame in container.decode(video=0):
            if frame.time is not None and frame.time >= len(frames) + 1:
                buffer = io.BytesIO()
                frame.to_image().save(buffer, "JPEG")
                frames.append(buffer.getvalue())
                if len(frames) == 3:
                    break
    return strips.strip_jpeg(frames, height_px)


def write_strips(out: Path, config: dict, columns: dict) -> None:
    """OUT/strips/ as the write stage commits it for these clips."""
    report, spg = config["report"], config["write"]["sources_per_group"]
    sources = sorted(set(columns["source"]))
    groups = group_count(len(sources), spg)
    group = {source: group_of(source, groups) for source in sources}
    members: dict[int, list[_Row]] = {}
    for clip_id, source, status, reasons in zip(
        columns["clip_id"],
        columns["source"],
        columns["status"],
        columns["drop_reasons"],
        strict=True,
    ):
        members.setdefault(group[source], []).append(_Row(clip_id, status, sorted(reasons)))
    pictures: dict[str, bytes] = {}
    source_of = dict(zip(columns["clip_id"], columns["source"], strict=True))
    (out / strips.STRIPS).mkdir()
    for g, rows in sorted(members.items()):
        picks = strips.pick_examples(rows, report["examples_per_reason"], report["kept_examples"])
        made = []
        for clip_id in sorted({i for ids in picks.values() for i in ids}):
            video = os.path.realpath(source_of[clip_id])
            if video not in pictures:
                pictures[video] = video_strip(video, report["strip_height_px"])
            made.append(
                {"clip_id": clip_id, "frame_times_s": [1.0, 2.0, 3.0], "jpeg": pictures[video],
                 "note": None}
            )  # fmt: skip
        path = out / strips.STRIPS / strips.strips_name(g, groups)
        pq.write_table(strips.strips_table(made), path)


def manifest_parts(out: Path, clips: int, parts: int, seed: int = 0) -> Path:
    """OUT/manifest/ and OUT/failures/ of `clips` clips in `parts` parts, as the write stage
    lays them out (each source whole in one part, 10 clips of its own scenes per source), with
    scores, drop reasons and duplicate groups in every part; no strips, shards or config (the
    report then uses the defaults). For the report's memory against manifest size."""
    rng = np.random.default_rng(seed)
    config = configs.load()
    q = config["quality"]
    i = np.arange(clips)
    source = i // 10
    duration = np.clip(rng.normal(4.0, 1.8, clips), 0.3, 5.0)
    blur = rng.lognormal(np.log(220), 1.3, clips)
    motion = rng.lognormal(np.log(12), 1.1, clips)
    checks = (
        ("blurry", blur < q["min_blur"]),
        ("low_motion", motion < q["min_motion_top5_px"]),
        ("too_short", duration < config["clips"]["min_clip_s"]),
    )
    reasons = [[name for name, hit in checks if hit[k]] for k in range(clips)]
    ids = [f"{h:016x}" for h in rng.permutation(clips * 7)[:clips] * 2654435761 + 17]
    dup = np.where(i % 50 < 3, source // 10, -1)  # 3 clips in 50 share a group per 10 sources
    columns = {
        "clip_id": ids,
        "source": [f"gs://corpus/videos/{s:08d}.mp4" for s in source],
        "source_sha256": [f"{s:064x}" for s in source],
        "scene_index": i % 10,
        "scene_start_s": 6.0 * (i % 10),
        "scene_end_s": 6.0 * (i % 10) + 6.0,
        "start_s": 6.0 * (i % 10),
        "end_s": 6.0 * (i % 10) + duration,
        "duration_s": duration,
        "width": np.full(clips, 1280),
        "height": np.full(clips, 720),
        "fps": np.full(clips, 25.0),
        "source_duration_s": np.full(clips, 60.0),
        "status": ["dropped" if r else "kept" for r in reasons],
        "drop_reasons": reasons,
        "blur_var": blur,
        "motion_top5_px": motion,
        "luma_mean": np.clip(rng.normal(110, 35, clips), 0, 255),
        "camera_motion": rng.choice(["static", "pan_left", "zoom_in"], clips),
        "dup_group": [f"g{g:08d}" if g >= 0 else None for g in dup],
    }
    schema = arrow_schema(Clip)
    arrays = [
        pa.array(columns[f.name], type=f.type) if f.name in columns else pa.nulls(clips, f.type)
        for f in schema
    ]
    table = pa.Table.from_arrays(arrays, schema=schema)
    (out / "manifest").mkdir(parents=True)
    (out / "failures").mkdir()
    bounds = np.linspace(0, source[-1] + 1, parts + 1).astype(int)
    for k in range(parts):
        rows = np.flatnonzero((source >= bounds[k]) & (source < bounds[k + 1]))
        pq.write_table(table.take(rows), out / "manifest" / f"part-{k:06d}.parquet")
        failed = [
            {"source": f"gs://corpus/broken/{k:06d}-{j}.mp4", "stage": "probe",
             "error": "corrupt_container", "detail": "moov atom not found"}
            for j in range(2)
        ]  # fmt: skip
        pq.write_table(
            pa.Table.from_pylist(failed, schema=arrow_schema(Failure)),
            out / "failures" / f"part-{k:06d}.parquet",
        )
    return out
