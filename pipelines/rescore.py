"""`cliploom rescore OUT --set quality.KEY=VALUE ...`: re-apply quality thresholds to a manifest.

Nothing is decoded: every score is in the manifest, and `transforms.quality.rescore` (the same
threshold logic the pipeline runs) recomputes each clip's status. The thresholds start from the
config the run recorded in OUT/config.yaml; only `quality.*` may be changed, since every other
setting changes what is measured and needs a re-run. Shards are left as they are: a clip newly
dropped keeps its shard (filter on the manifest's status), and a clip that now passes but was
never encoded gets `needs_rerun`.
"""

from __future__ import annotations

import collections

import yaml
from apache_beam.io.filesystems import FileSystems

import configs
from pipelines.config import build
from schemas import Clip, row_to_record
from transforms import stats as run_stats
from transforms.quality import NEEDS_RERUN, QualityConfig, rescore
from transforms.tables import (
    MANIFEST,
    TMP,
    commit,
    join,
    parquet_bytes_writer,
    read_file,
    remove_tmp,
    rows_table,
    table_files,
    write_atomically,
)

RUN_CONFIG = "config.yaml"


def save_run_config(out_dir: str, config: dict) -> None:
    payload = configs.dump_yaml(config).encode()
    write_atomically(FileSystems.join(out_dir, RUN_CONFIG), lambda s: s.write(payload))


def quality_config(out_dir: str, preset: str | None, sets: list[str]) -> QualityConfig:
    """The recorded run's `quality` section (else default.yaml's), a preset's, then `sets`."""
    quality = dict(configs.default()["quality"])
    path = FileSystems.join(out_dir, RUN_CONFIG)
    if FileSystems.exists(path):
        with FileSystems.open(path) as f:
            quality.update((yaml.safe_load(f.read()) or {}).get("quality") or {})
    if preset:
        quality.update(configs.load(preset)["quality"])
    raw = {"quality": quality}
    for assignment in sets:
        if not assignment.strip().startswith("quality."):
            raise ValueError(
                f"rescore only changes quality.* thresholds, not {assignment!r}: other settings "
                "change what is measured, so they need `cliploom run`"
            )
        raw = configs.apply_set(raw, assignment)
    return build(QualityConfig, raw["quality"], "quality")


def rescore_manifest(out_dir: str, quality: QualityConfig) -> dict:
    """Rewrite OUT's manifest under `quality`, one part at a time (memory bounded by the
    largest part; an older single manifest.parquet is one part), and its stats.json."""
    changes: collections.Counter = collections.Counter()
    clips = 0
    for path in table_files(out_dir, MANIFEST):
        before = [row_to_record(Clip, row) for row in read_file(path).to_pylist()]
        after = [rescore(clip, quality) for clip in before]
        for old, new in zip(before, after, strict=True):
            if old.status != new.status:
                changes[f"{old.status}->{new.status}"] += 1
            if NEEDS_RERUN in new.drop_reasons:
                changes[NEEDS_RERUN] += 1
        clips += len(after)
        commit(path, parquet_bytes_writer(rows_table(after, MANIFEST)), join(out_dir, TMP))
    stats_path = join(out_dir, run_stats.STATS)
    if FileSystems.exists(stats_path):
        counters = run_stats.read_stats(stats_path).get("counters", {})
        stats = run_stats.stats_json(run_stats.summarize_out(out_dir), counters)
        stats["rescored"] = dict(changes)
        run_stats.write_stats(stats_path, stats)
    remove_tmp(out_dir)
    return {"clips": clips, "changed": sum(n for k, n in changes.items() if "->" in k), **changes}
