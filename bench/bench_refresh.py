"""A refresh against a previous corpus (`--previous`): peak memory and time of each part.

A previous corpus of `--previous N` published clips is generated as the pipeline stores it,
`OLD/signatures/*.parquet` (16 shards, `SIGNATURE_SCHEMA`): 16 frames per clip whose pHashes
drift 0-3 bits from their shot's hash (whole and central), a 128-value caption MinHash, rank
fields; and the same clips as an old-style corpus without signatures (`LEGACY/manifest.parquet`,
every manifest column, captions filled) for the fallback.

Each measurement runs in a fresh process (peak RSS from /proc/self/status VmHWM, so one does
not inherit another's memory):
  read_visual   the video pass's read of the whole previous corpus: only its rank and pHash
                columns, a record batch at a time, into `Entry`s (what each worker of the Beam
                read does for its share of the files)
  read_caption  the caption pass's read: rank and stored MinHash columns
  read_legacy   the fallback on the old manifest: status, rank and pHash columns only
  keys          bucket keys of previous entries (CPU per clip, on a sample), the map before the
                join's shuffle
  beam          the whole video-pass refresh, `DedupClips` on the DirectRunner, `--new` new clips
                (a tenth of them copies of published clips) against a generated previous corpus
                of `--beam` clips, checking that every copy is dropped as a duplicate of its
                published clip. The DirectRunner holds every shuffle in this one process, so
                its peak memory is an upper bound of what one worker of a distributed runner
                holds, which is one bundle and one key group at a time.

    PYTHONPATH=. python bench/bench_refresh.py --previous 1000000 --beam 2000 8000 --new 500
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from schemas import Clip, arrow_schema
from transforms.dedup import DedupConfig
from transforms.dedup_previous import SIGNATURE_SCHEMA, SIGNATURES_DIR, find_previous

FRAMES = 16
ROW_GROUP = 8192  # rows per Parquet row group: what one reader decodes at a time
WORDS = ["a", "red", "car", "drives", "along", "the", "coastal", "road", "at", "sunset"]


def _drift(base: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """FRAMES hashes per row, each 0-3 random bits off its row's base hash (int64)."""
    n = len(base)
    out = np.repeat(base[:, None], FRAMES, axis=1)
    for _ in range(3):
        bits = rng.integers(0, 64, (n, FRAMES), dtype=np.uint64)
        flip = rng.random((n, FRAMES)) < 0.5
        out ^= np.where(flip, np.left_shift(np.uint64(1), bits), np.uint64(0))
    return out.view(np.int64)


def _list(values: np.ndarray, type_: pa.DataType) -> pa.Array:
    n, width = values.shape
    offsets = pa.array(np.arange(0, n * width + 1, width, dtype=np.int32))
    return pa.ListArray.from_arrays(offsets, pa.array(values.reshape(-1)), type=type_)


def clip_batch(start: int, n: int, seed: int) -> dict[str, pa.Array]:
    rng = np.random.default_rng(seed)
    full = _drift(rng.integers(0, 2**64 - 1, n, dtype=np.uint64), rng)
    center = _drift(rng.integers(0, 2**64 - 1, n, dtype=np.uint64), rng)
    ids = [f"p{i:08d}" for i in range(start, start + n)]
    return {
        "clip_id": pa.array(ids),
        "source_sha256": pa.array([f"s{i // 4:08d}" for i in range(start, start + n)]),
        "aesthetic": pa.nulls(n, pa.float64()),
        "width": pa.array(np.full(n, 1280, np.int64)),
        "height": pa.array(np.full(n, 720, np.int64)),
        "duration_s": pa.array(rng.uniform(2, 10, n)),
        "blur_var": pa.array(rng.uniform(50, 500, n)),
        "phash": _list(full, pa.list_(pa.int64())),
        "phash_center": _list(center, pa.list_(pa.int64())),
        "caption_minhash": _list(
            rng.integers(0, 2**32, (n, 128), dtype=np.int64), pa.list_(pa.int64())
        ),
    }


def generate(old: Path, legacy: Path, n: int, shards: int = 16, seed: int = 0) -> None:
    """`old`: signatures as the pipeline stores them; `legacy`: an old single manifest."""
    (old / SIGNATURES_DIR).mkdir(parents=True, exist_ok=True)
    legacy.mkdir(parents=True, exist_ok=True)
    params = "words2-perm128-seed1"
    manifest_schema = arrow_schema(Clip)
    writer = pq.ParquetWriter(legacy / "manifest.parquet", manifest_schema, compression="zstd")
    per_shard = -(-n // shards)
    for shard in range(shards):
        start = shard * per_shard
        count = min(per_shard, n - start)
        if count <= 0:
            break
        cols = clip_batch(start, count, seed + shard)
        signatures = pa.table(
            {
                **cols,
                "caption_minhash_params": pa.array([params] * count),
                "image_embedding": pa.nulls(count, pa.list_(pa.float32())),
            },
            schema=SIGNATURE_SCHEMA,
        )
        name = f"signatures-{shard:05d}-of-{shards:05d}.parquet"
        pq.write_table(
            signatures, old / SIGNATURES_DIR / name, compression="zstd", row_group_size=ROW_GROUP
        )
        caption = " ".join(WORDS)
        filled = {
            "clip_id": cols["clip_id"],
            "source": pa.array([f"gs://bucket/video/{s}.mp4" for s in cols["source_sha256"]]),
            "source_sha256": cols["source_sha256"],
            "scene_index": pa.array(np.zeros(count, np.int64)),
            "start_s": pa.array(np.zeros(count)),
            "end_s": cols["duration_s"],
            "duration_s": cols["duration_s"],
            "width": cols["width"],
            "height": cols["height"],
            "fps": pa.array(np.full(count, 30.0)),
            "source_duration_s": pa.array(np.full(count, 60.0)),
            "status": pa.array(["kept"] * count),
            "drop_reasons": pa.array([[]] * count, pa.list_(pa.string())),
            "caption_en": pa.array([caption] * count),
            "caption_zh": pa.array(["一辆红色汽车在日落时沿着海滨公路行驶"] * count),
            "blur_var": cols["blur_var"],
            "phash": cols["phash"],
            "phash_center": cols["phash_center"],
        }
        columns = [
            filled.get(f.name, pa.nulls(count, f.type)).cast(f.type) for f in manifest_schema
        ]
        table = pa.Table.from_arrays(columns, schema=manifest_schema)
        writer.write_table(table, row_group_size=ROW_GROUP)
    writer.close()


# ---- measurements, each in its own process ---------------------------------------------------


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike getrusage's ru_maxrss it does not
    carry over the parent's peak across fork and exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_read(path: str, visual: bool, caption: bool) -> dict:
    from transforms.dedup_previous import read_entries

    config = DedupConfig()
    corpus = find_previous(path)
    base = _peak_mb()
    t0 = time.perf_counter()
    count = frames = 0
    for entry in read_entries(corpus, config, visual, caption):
        count += 1
        frames += len(entry.phash)
    return {
        "kind": corpus.kind,
        "columns": corpus.columns_for(config, visual, caption),
        "entries": count,
        "frames": frames,
        "seconds": time.perf_counter() - t0,
        "peak_mb": _peak_mb(),
        "start_mb": base,
    }


def child_keys(path: str, sample: int) -> dict:
    from transforms.dedup_candidates import visual_keys
    from transforms.dedup_previous import read_entries

    config = DedupConfig()
    entries = []
    for entry in read_entries(find_previous(path), config, True, False):
        entries.append(entry)
        if len(entries) == sample:
            break
    t0 = time.perf_counter()
    keys = sum(len(visual_keys(e, config)) for e in entries)
    seconds = time.perf_counter() - t0
    return {"entries": len(entries), "keys_per_clip": keys / len(entries), "seconds": seconds}


def child_beam(path: str, new: int) -> dict:
    import random

    import apache_beam as beam

    from schemas import SampledClip
    from transforms import signatures as sig
    from transforms.dedup import DUPLICATES, VIDEO_STAGE, DedupClips

    table = pq.read_table(
        sorted(Path(path, SIGNATURES_DIR).glob("*.parquet"))[0],
        columns=["clip_id", "phash", "phash_center"],
    ).slice(0, new // 10)
    rng = random.Random(1)

    def near(hashes):
        return [sig.to_int64((h ^ (1 << rng.randrange(64))) & (2**64 - 1)) for h in hashes]

    base = dict(
        source="new.mp4",
        scene_index=0,
        scene_start_s=0.0,
        scene_end_s=8.0,
        start_s=0.0,
        end_s=8.0,
        duration_s=8.0,
        width=640,
        height=360,
        fps=30.0,
        source_duration_s=8.0,
    )
    clips, copies = [], {}
    for i, row in enumerate(table.to_pylist()):
        clip_id = f"copy{i:05d}"
        copies[clip_id] = row["clip_id"]
        full, center = near(row["phash"]), near(row["phash_center"])
        clips.append(
            Clip(clip_id=clip_id, source_sha256=clip_id, phash=full, phash_center=center, **base)
        )
    while len(clips) < new:
        clip_id = f"fresh{len(clips):05d}"
        hashes = [sig.to_int64(rng.getrandbits(64)) for _ in range(2 * FRAMES)]
        clips.append(
            Clip(
                clip_id=clip_id,
                source_sha256=clip_id,
                phash=hashes[:FRAMES],
                phash_center=hashes[FRAMES:],
                **base,
            )
        )
    config = DedupConfig().video_pass()
    out = tempfile.mkdtemp()
    t0 = time.perf_counter()
    with beam.Pipeline() as p:
        result = (
            p
            | beam.Create([SampledClip(clip=c) for c in clips])
            | DedupClips(config, path, VIDEO_STAGE)
        )
        _ = (
            result[DUPLICATES]
            | beam.Map(lambda c: json.dumps([c.clip_id, c.duplicate_of]))
            | beam.io.WriteToText(os.path.join(out, "dropped"))
        )
    seconds = time.perf_counter() - t0
    dropped = dict(
        json.loads(line)
        for f in Path(out).glob("dropped*")
        for line in f.read_text().split("\n")
        if line
    )
    right = sum(dropped.get(c) == p for c, p in copies.items())
    wrong = sum(1 for c in dropped if c not in copies)
    counters = {
        str(m.key.metric.name): m.committed
        for m in p.result.metrics().query()["counters"]
        if m.key.metric.namespace == VIDEO_STAGE
    }
    return {
        "new": len(clips),
        "copies": len(copies),
        "copies_dropped_as_duplicate_of_published": right,
        "fresh_dropped": wrong,
        "seconds": seconds,
        "peak_mb": _peak_mb(),
        "counters": counters,
    }


def run_child(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--previous", type=int, default=1_000_000, help="clips read back")
    parser.add_argument(
        "--beam", type=int, nargs="*", default=[2_000, 8_000], help="previous clips, Beam runs"
    )
    parser.add_argument("--new", type=int, default=500, help="new clips in the Beam run")
    parser.add_argument("--keys-sample", type=int, default=20_000)
    parser.add_argument("--dir", default=None, help="where to generate (default: a temp dir)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, path, *rest = args.child
        if kind == "read":
            result = child_read(path, rest[0] == "visual", rest[0] == "caption")
        elif kind == "keys":
            result = child_keys(path, int(rest[0]))
        else:
            result = child_beam(path, int(rest[0]))
        print(json.dumps(result))
        return
    root = Path(args.dir or tempfile.mkdtemp(prefix="bench_refresh-"))
    big, legacy = root / f"old{args.previous}", root / f"legacy{args.previous}"
    t0 = time.perf_counter()
    if not (legacy / "manifest.parquet").exists():  # generated once per size and --dir
        generate(big, legacy, args.previous)
    size_mb = sum(f.stat().st_size for f in (big / SIGNATURES_DIR).glob("*")) / 1e6
    legacy_mb = (legacy / "manifest.parquet").stat().st_size / 1e6
    print(
        f"generated {args.previous} previous clips in {time.perf_counter() - t0:.0f}s: "
        f"signatures {size_mb:.0f} MB in 16 files, old-style manifest {legacy_mb:.0f} MB"
    )
    for label, what, path in (
        ("read_visual", "visual", big),
        ("read_caption", "caption", big),
        ("read_legacy", "visual", legacy),
    ):
        r = run_child("read", str(path), what)
        print(
            f"{label:12} {r['entries']} entries from {r['kind']} "
            f"(columns {','.join(r['columns'])}): {r['seconds']:.1f}s "
            f"({r['seconds'] / r['entries'] * 1e6:.1f} us/clip), peak RSS "
            f"{r['peak_mb']:.0f} MB (interpreter and imports {r['start_mb']:.0f} MB)"
        )
    k = run_child("keys", str(big), str(args.keys_sample))
    per_clip = k["seconds"] / k["entries"]
    print(
        f"keys         {k['entries']} previous clips: {k['keys_per_clip']:.0f} bucket keys/clip, "
        f"{per_clip * 1e6:.0f} us/clip -> {per_clip * args.previous / 3600:.2f} CPU-hours for "
        f"{args.previous} clips, spread over the workers"
    )
    previous = None
    for n in args.beam:
        small = root / f"beam{n}"
        if not (small / "legacy" / "manifest.parquet").exists():
            generate(small, small / "legacy", n, seed=100)
        b = run_child("beam", str(small), str(args.new))
        print(
            f"beam         {b['new']} new clips vs {n} previous (DirectRunner, one process): "
            f"{b['seconds']:.0f}s, peak RSS {b['peak_mb']:.0f} MB; "
            f"{b['copies_dropped_as_duplicate_of_published']}/{b['copies']} copies dropped as "
            f"duplicates of their published clip, {b['fresh_dropped']} fresh clips dropped; "
            f"counters {b['counters']}"
        )
        if previous:
            print(
                f"  x{n / previous[0]:g} previous clips: seconds x{b['seconds'] / previous[1]:.2f}"
            )
        previous = (n, b["seconds"])


if __name__ == "__main__":
    main()
