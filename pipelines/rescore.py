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
import json

import yaml
from apache_beam.io.filesystems import FileSystems

import configs
from pipelines.config import build
from schemas import Clip, record_to_row, row_to_record
from transforms.quality import NEEDS_RERUN, QualityConfig, rescore
from transforms.report import STATS, read_table, summarize
from transforms.write import FAILURES, MANIFEST, rows_table, write_atomically, write_table

RUN_CONFIG = "config.yaml"


def save_run_config(out_dir: str, config: dict) -> None:
    payload = yaml.safe_dump(config, sort_keys=False, allow_unicode=True).encode()
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
    """Rewrite OUT/manifest.parquet (and stats.json) under `quality`; returns the changes."""
    rows = read_table(FileSystems.join(out_dir, MANIFEST)).to_pylist()
    before = [row_to_record(Clip, row) for row in rows]
    after = [rescore(clip, quality) for clip in before]
    changes = collections.Counter()
    for old, new in zip(before, after, strict=True):
        if old.status != new.status:
            changes[f"{old.status}->{new.status}"] += 1
        if NEEDS_RERUN in new.drop_reasons:
            changes[NEEDS_RERUN] += 1
    write_table(
        rows_table(after, Clip, ("source", "start_s", "clip_id")),
        FileSystems.join(out_dir, MANIFEST),
    )
    stats_path = FileSystems.join(out_dir, STATS)
    if FileSystems.exists(stats_path):
        with FileSystems.open(stats_path) as f:
            counters = json.loads(f.read()).get("counters", {})
        failures = read_table(FileSystems.join(out_dir, FAILURES)).to_pylist()
        stats = summarize([record_to_row(c) for c in after], failures, counters)
        stats["rescored"] = dict(changes)
        payload = json.dumps(stats, indent=2, ensure_ascii=False, sort_keys=True).encode()
        write_atomically(stats_path, lambda s: s.write(payload))
    return {
        "clips": len(after),
        "changed": sum(n for k, n in changes.items() if "->" in k),
        **changes,
    }
