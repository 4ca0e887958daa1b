"""Stats: what went in, what came out, and why clips were dropped, as stats.json.

Built from the written manifest and failures tables plus Beam's counters, so the numbers
agree with the files beside them. The page for a person, OUT/report.html, is built from the
same files by `pipelines/report`.
"""

from __future__ import annotations

import collections
import json

import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems

from transforms.write import FAILURES, MANIFEST, write_atomically

STATS = "stats.json"


def read_table(path: str):
    with FileSystems.open(path) as f:
        return pq.read_table(f)


def summarize(manifest_rows: list[dict], failure_rows: list[dict], counters: dict) -> dict:
    kept = [r for r in manifest_rows if r["status"] == "kept"]
    reasons = collections.Counter(reason for r in manifest_rows for reason in r["drop_reasons"])
    candidates = [r for r in manifest_rows if r["scene_index"] is not None]
    source_hours = {r["source"]: r["source_duration_s"] for r in manifest_rows}
    failed_sources = {f["source"] for f in failure_rows}
    return {
        "inputs": counters.get("probe", {}).get("total", len(set(source_hours) | failed_sources)),
        "videos": {
            "probed": counters.get("probe", {}).get("ok", 0),
            "in_manifest": len(source_hours),
            "gated_or_duplicate": sum(1 for r in manifest_rows if r["scene_index"] is None),
            "failed": len(failed_sources),
        },
        "clips": {
            "candidates": len(candidates),
            "kept": len(kept),
            "dropped": len(candidates) - sum(1 for r in candidates if r["status"] == "kept"),
        },
        "drop_reasons": dict(sorted(reasons.items())),
        "failures": dict(
            sorted(collections.Counter(f"{f['stage']}.{f['error']}" for f in failure_rows).items())
        ),
        "hours_in": round(sum(source_hours.values()) / 3600, 6),
        "hours_out": round(sum(r["duration_s"] for r in kept) / 3600, 6),
        "shards": len({r["shard"] for r in kept if r["shard"]}),
        "bytes_out": sum(r["out_bytes"] or 0 for r in kept),
        "counters": counters,
    }


def write_stats(out_dir: str, counters: dict, extra: dict | None = None) -> dict:
    manifest = read_table(FileSystems.join(out_dir, MANIFEST)).to_pylist()
    failures = read_table(FileSystems.join(out_dir, FAILURES)).to_pylist()
    stats = summarize(manifest, failures, counters)
    stats.update(extra or {})  # e.g. timing: the run's wall time and each stage's active span
    payload = json.dumps(stats, indent=2, ensure_ascii=False, sort_keys=True).encode()
    write_atomically(FileSystems.join(out_dir, STATS), lambda stream: stream.write(payload))
    return stats
