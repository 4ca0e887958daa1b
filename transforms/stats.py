"""Stats: what went in, what came out, and why clips were dropped, as OUT/stats.json.

A summary is computed per written group of sources (from the rows that group committed) and
summaries add up, so the pipeline combines them (`CombineSummaries`) and no machine ever reads
the whole manifest. A resumed run adds the summaries recorded by the groups an earlier attempt
completed. The launcher adds Beam's counters, which describe the work of this run only.
"""

from __future__ import annotations

import collections
import json

import apache_beam as beam

from transforms.tables import write_atomically

STATS = "stats.json"
_COUNTS = ("sources", "sources_in_manifest", "gated_or_duplicate", "failed_sources")
_CLIPS = ("candidates", "kept", "dropped")


def summarize(manifest_rows: list[dict], failure_rows: list[dict]) -> dict:
    """The additive summary of some sources' manifest and failure rows (each source whole)."""
    kept = [r for r in manifest_rows if r["status"] == "kept"]
    candidates = [r for r in manifest_rows if r["scene_index"] is not None]
    source_s = {r["source"]: r["source_duration_s"] for r in manifest_rows}
    failed = {f["source"] for f in failure_rows}
    return {
        "sources": len(set(source_s) | failed),
        "sources_in_manifest": len(source_s),
        "gated_or_duplicate": sum(1 for r in manifest_rows if r["scene_index"] is None),
        "failed_sources": len(failed),
        "candidates": len(candidates),
        "kept": len(kept),
        "dropped": sum(1 for r in candidates if r["status"] != "kept"),
        "drop_reasons": dict(
            collections.Counter(reason for r in manifest_rows for reason in r["drop_reasons"])
        ),
        "failures": dict(collections.Counter(f"{f['stage']}.{f['error']}" for f in failure_rows)),
        "seconds_in": sum(s or 0.0 for s in source_s.values()),
        "seconds_out": sum(r["duration_s"] for r in kept),
        "shards": len({r["shard"] for r in kept if r["shard"]}),
        "bytes_out": sum(r["out_bytes"] or 0 for r in kept),
    }


def empty() -> dict:
    return summarize([], [])


def merge(summaries) -> dict:
    total = empty()
    for s in summaries:
        for key, value in s.items():
            if isinstance(value, dict):
                counts = collections.Counter(total[key])
                counts.update(value)
                total[key] = dict(counts)
            else:
                total[key] += value
    return total


class CombineSummaries(beam.CombineFn):
    """Group summaries -> one summary (associative and commutative: sums and counters)."""

    def create_accumulator(self):
        return empty()

    def add_input(self, accumulator, summary):
        return merge([accumulator, summary])

    def merge_accumulators(self, accumulators):
        return merge(accumulators)

    def extract_output(self, accumulator):
        return accumulator


def stats_json(summary: dict, counters: dict) -> dict:
    """stats.json from a merged summary and Beam's counters (stage -> name -> value)."""
    return {
        "inputs": summary["sources"],
        "videos": {
            "probed": counters.get("probe", {}).get("ok", 0),
            "in_manifest": summary["sources_in_manifest"],
            "gated_or_duplicate": summary["gated_or_duplicate"],
            "failed": summary["failed_sources"],
        },
        "clips": {k: summary[k] for k in _CLIPS},
        "drop_reasons": dict(sorted(summary["drop_reasons"].items())),
        "failures": dict(sorted(summary["failures"].items())),
        "hours_in": round(summary["seconds_in"] / 3600, 6),
        "hours_out": round(summary["seconds_out"] / 3600, 6),
        "shards": summary["shards"],
        "bytes_out": summary["bytes_out"],
        "counters": counters,
    }


def with_counters(stats: dict, counters: dict) -> dict:
    """stats.json as the pipeline wrote it, plus the counters the launcher got from the run."""
    videos = {**stats["videos"], "probed": counters.get("probe", {}).get("ok", 0)}
    return {**stats, "videos": videos, "counters": counters}


def write_stats(path: str, stats: dict) -> None:
    payload = json.dumps(stats, indent=2, ensure_ascii=False, sort_keys=True).encode()
    write_atomically(path, lambda stream: stream.write(payload))


def read_stats(path: str) -> dict:
    from apache_beam.io.filesystems import FileSystems

    with FileSystems.open(path) as f:
        return json.loads(f.read())


MANIFEST_COLUMNS = [
    "source",
    "source_duration_s",
    "status",
    "scene_index",
    "drop_reasons",
    "duration_s",
    "shard",
    "out_bytes",
]
FAILURE_COLUMNS = ["source", "stage", "error"]


def summarize_out(out_dir: str) -> dict:
    """The summary of a written OUT, read one group's part at a time (only needed columns).

    The manifest and failures parts of one group share a file name, so each source is counted
    once; an older single-file OUT is one part.
    """
    from transforms.tables import FAILURES, LEGACY, MANIFEST, read_file, table_files

    by_name: dict[str, dict[str, str]] = collections.defaultdict(dict)
    for name in (MANIFEST, FAILURES):
        for path in table_files(out_dir, name):
            file_name = path.rsplit("/", 1)[-1]
            by_name["" if file_name == LEGACY[name] else file_name][name] = path

    def summaries():  # one part's summary at a time, folded into the total as it comes
        for paths in by_name.values():
            rows = (
                read_file(paths[MANIFEST], MANIFEST_COLUMNS).to_pylist()
                if MANIFEST in paths
                else []
            )
            failed = (
                read_file(paths[FAILURES], FAILURE_COLUMNS).to_pylist() if FAILURES in paths else []
            )
            yield summarize(rows, failed)

    return merge(summaries())
