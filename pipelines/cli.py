"""`cliploom run INPUT... --out OUT [--config X.yaml] [--set key=value ...] [beam options]`."""

from __future__ import annotations

import argparse
import logging
import sys

import configs

log = logging.getLogger(__name__)


def _run_parser(sub) -> None:
    run = sub.add_parser("run", help="turn videos into shards, manifest, failures and stats")
    run.add_argument("inputs", nargs="+", help="files, directories, globs, or .txt/.parquet lists")
    run.add_argument("--out", required=True, help="output directory (local, gs://, s3://)")
    run.add_argument("--config", help="a YAML preset merged over configs/default.yaml")
    run.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override one config value, e.g. --set clips.max_clip_s=6",
    )
    run.add_argument(
        "--previous",
        metavar="OUT_OLD",
        help="output directory of an earlier run: its kept clips win over new near-duplicates",
    )


def counters_by_stage(result) -> dict:
    counters: dict = {}
    for counter in result.metrics().query()["counters"]:
        value = counter.committed if counter.committed is not None else counter.attempted
        stage = counters.setdefault(counter.key.metric.namespace, {})
        name = counter.key.metric.name
        stage[name] = stage.get(name, 0) + (value or 0)
    return {stage: dict(sorted(names.items())) for stage, names in sorted(counters.items())}


def run(args, beam_args: list[str]) -> int:
    import apache_beam as beam
    from apache_beam.io.filesystems import FileSystems
    from apache_beam.options.pipeline_options import PipelineOptions

    from pipelines.config import PipelineConfig
    from pipelines.pipeline import build
    from transforms.dedup import previous_manifest
    from transforms.report import write_stats

    config = PipelineConfig.from_dict(configs.load(args.config, args.set))
    if args.previous and not FileSystems.exists(previous_manifest(args.previous)):
        raise SystemExit(f"cliploom: --previous {args.previous}: no manifest.parquet there")
    out_dir = args.out.rstrip("/")
    FileSystems.mkdirs(out_dir) if not FileSystems.exists(out_dir) else None
    options = PipelineOptions(beam_args)
    with beam.Pipeline(options=options) as p:
        build(p, args.inputs, out_dir, config, args.previous)
    stats = write_stats(out_dir, counters_by_stage(p.result))
    clips = stats["clips"]
    print(
        f"cliploom: {stats['inputs']} inputs, {clips['candidates']} candidate clips, "
        f"{clips['kept']} kept in {stats['shards']} shards, {len(stats['failures'])} failure kinds "
        f"({sum(stats['failures'].values())} rows); {stats['hours_out'] * 3600:.1f}s of "
        f"{stats['hours_in'] * 3600:.1f}s kept\n"
        f"outputs: {out_dir}/shards/, {out_dir}/manifest.parquet, {out_dir}/failures.parquet, "
        f"{out_dir}/stats.json"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cliploom", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    _run_parser(sub)
    args, rest = parser.parse_known_args(argv if argv is not None else sys.argv[1:])
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.command == "run":
        return run(args, rest)
    parser.error(f"unknown command {args.command}")
    return 2
