"""The cliploom command line.

cliploom run INPUT... --out OUT [--config X.yaml] [--set key=value ...] [--previous OUT_OLD]
             [beam options]
cliploom rescore OUT [--config X.yaml] [--set quality.key=value ...]
cliploom qa-captions IN.jsonl --out OUT.jsonl
"""

from __future__ import annotations

import argparse
import difflib
import logging
import sys

import configs
from configs import ConfigError

log = logging.getLogger(__name__)


def _config_args(parser, set_help: str) -> None:
    parser.add_argument("--config", help="a YAML preset merged over configs/default.yaml")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help=set_help)


def _run_parser(sub) -> None:
    run = sub.add_parser("run", help="turn videos into shards, manifest, failures and stats")
    run.add_argument("inputs", nargs="+", help="files, directories, globs, or .txt/.parquet lists")
    run.add_argument("--out", required=True, help="output directory (local, gs://, s3://)")
    _config_args(run, "override one config value, e.g. --set clips.max_clip_s=6")
    run.add_argument(
        "--previous",
        metavar="OUT_OLD",
        help="output directory of an earlier run: its kept clips win over new near-duplicates",
    )


def _qa_parser(sub) -> None:
    qa = sub.add_parser("qa-captions", help="caption QA alone, on JSON lines")
    qa.add_argument("input", help="JSON lines: id, caption_en, caption_zh (- for stdin)")
    qa.add_argument("--out", required=True, help="JSON lines out: adds caption_ok, caption_issues")
    _config_args(qa, "override one caption_qa value, e.g. --set caption_qa.en_words=[20,200]")


def qa_captions(args) -> int:
    import collections
    import json

    from pipelines.config import build
    from transforms.caption_qa import CaptionQA, CaptionQAConfig, qa_jsonl

    qa = CaptionQA(
        build(CaptionQAConfig, configs.load(args.config, args.set)["caption_qa"], "caption_qa")
    )
    issues: collections.Counter = collections.Counter()
    total = ok = 0
    source = sys.stdin if args.input == "-" else open(args.input, encoding="utf-8")  # noqa: SIM115
    with source, open(args.out, "w", encoding="utf-8") as out:
        for row in qa_jsonl(source, qa):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            total, ok = total + 1, ok + row["caption_ok"]
            issues.update(row["caption_issues"])
    top = ", ".join(f"{name} {n}" for name, n in issues.most_common())
    print(f"cliploom qa-captions: {ok} of {total} pairs pass; {top or 'no issues'} -> {args.out}")
    return 0


def _rescore_parser(sub) -> None:
    rescore = sub.add_parser(
        "rescore", help="re-apply quality thresholds to OUT/manifest.parquet without decoding"
    )
    rescore.add_argument("out", help="output directory of an earlier `cliploom run`")
    _config_args(rescore, "override one threshold, e.g. --set quality.min_blur=20")


def rescore(args, parser) -> int:
    from pipelines.rescore import quality_config, rescore_manifest

    out_dir = args.out.rstrip("/")
    try:
        quality = quality_config(out_dir, args.config, args.set)
    except (ValueError, KeyError) as e:
        parser.error(str(e))
    result = rescore_manifest(out_dir, quality)
    print(
        f"cliploom rescore: {result['changed']} of {result['clips']} clips change status "
        f"({result.get('kept->dropped', 0)} kept->dropped, "
        f"{result.get('dropped->kept', 0)} dropped->kept); "
        f"{result.get('needs_rerun', 0)} pass the thresholds but were never encoded "
        f"(needs_rerun: run `cliploom run` again with these thresholds to get them)\n"
        f"rewritten: {out_dir}/manifest.parquet, {out_dir}/stats.json (shards unchanged)"
    )
    return 0


def counters_by_stage(result) -> dict:
    counters: dict = {}
    for counter in result.metrics().query()["counters"]:
        value = counter.committed if counter.committed is not None else counter.attempted
        stage = counters.setdefault(counter.key.metric.namespace, {})
        name = counter.key.metric.name
        stage[name] = stage.get(name, 0) + (value or 0)
    return {stage: dict(sorted(names.items())) for stage, names in sorted(counters.items())}


LOCAL_RUNNERS = (None, "DirectRunner", "BundleBasedDirectRunner", "SwitchingDirectRunner")
OWN_OPTIONS = ("--out", "--config", "--set", "--previous")


def check_beam_args(beam_args: list[str]) -> None:
    """Every argument left after cliploom's own is a known Beam pipeline option; a misspelling
    (`--prevoius`) fails here instead of being dropped with a warning."""
    from apache_beam.options import pipeline_options
    from apache_beam.options.pipeline_options import PipelineOptions

    parser_cls = getattr(pipeline_options, "_BeamArgumentParser", argparse.ArgumentParser)
    parser = parser_cls(allow_abbrev=False)
    for cls in {str(c): c for c in PipelineOptions.__subclasses__()}.values():
        cls._add_argparse_args(parser)
    _, unknown = parser.parse_known_args(beam_args)
    flags = [a.split("=", 1)[0] for a in unknown if a.startswith("-")]
    if unknown:
        known = [*OWN_OPTIONS, *parser._option_string_actions]
        name = flags[0] if flags else unknown[0]
        close = difflib.get_close_matches(name, known, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise ConfigError(
            f"unrecognized argument {name}{hint}: not a cliploom option "
            f"({', '.join(OWN_OPTIONS)}) nor a Beam pipeline option"
        )


def error_message(e: Exception) -> str:
    return str(e.args[0]) if isinstance(e, KeyError) and e.args else str(e)


def load_config(args):
    """The merged, checked config of a run; raises ConfigError (or KeyError) naming the key."""
    from pipelines.config import PipelineConfig

    raw = configs.load(args.config, args.set)
    return raw, PipelineConfig.from_dict(raw)


def run(args, beam_args: list[str], parser) -> int:
    import apache_beam as beam
    from apache_beam.io.filesystems import FileSystems
    from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions

    from pipelines.pipeline import build
    from pipelines.rescore import save_run_config
    from transforms.caption import SKIPPED_HINT, available
    from transforms.caption_backends import CaptionUnavailable
    from transforms.dedup import previous_manifest
    from transforms.report import write_report, write_stats
    from transforms.score import log_availability

    try:
        check_beam_args(beam_args)
        raw, config = load_config(args)
    except (ConfigError, KeyError, ValueError, OSError) as e:
        parser.error(error_message(e))
    options = PipelineOptions(beam_args)
    FileSystems.set_options(options)  # s3/gcs endpoints and credentials for the launcher's I/O
    local = options.view_as(StandardOptions).runner in LOCAL_RUNNERS
    if local:
        # Workers are this machine: check the caption model here, before any video is read.
        # On remote runners the workers resolve it, and the Preflight step fails the job in its
        # first minute when it cannot load (see transforms/preflight.py).
        try:
            available(config.caption)
        except CaptionUnavailable as e:
            print(f"cliploom: {e}", file=sys.stderr)
            return 2
    log_availability(config.ocr, config.aesthetics, check_files=local)
    if args.previous and not FileSystems.exists(previous_manifest(args.previous)):
        raise SystemExit(f"cliploom: --previous {args.previous}: no manifest.parquet there")
    out_dir = args.out.rstrip("/")
    if not FileSystems.exists(out_dir):
        FileSystems.mkdirs(out_dir)
    save_run_config(out_dir, raw)  # what `cliploom rescore` starts from
    with beam.Pipeline(options=options) as p:
        build(p, args.inputs, out_dir, config, args.previous)
    stats = write_stats(out_dir, counters_by_stage(p.result))
    write_report(out_dir, stats)
    clips = stats["clips"]
    print(
        f"cliploom: {stats['inputs']} inputs, {clips['candidates']} candidate clips, "
        f"{clips['kept']} kept in {stats['shards']} shards, {len(stats['failures'])} failure kinds "
        f"({sum(stats['failures'].values())} rows); {stats['hours_out'] * 3600:.1f}s of "
        f"{stats['hours_in'] * 3600:.1f}s kept\n"
        f"outputs: {out_dir}/shards/, {out_dir}/manifest.parquet, {out_dir}/failures.parquet, "
        f"{out_dir}/stats.json, {out_dir}/report.html"
    )
    if config.caption.backend == "none":
        print(f"cliploom: {SKIPPED_HINT}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="cliploom", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    _run_parser(sub)
    _qa_parser(sub)
    _rescore_parser(sub)
    args, rest = parser.parse_known_args(argv if argv is not None else sys.argv[1:])
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.command == "run":
        return run(args, rest, parser)
    if args.command == "qa-captions":
        if rest:
            parser.error(f"unrecognized arguments: {' '.join(rest)}")
        try:
            return qa_captions(args)
        except (ConfigError, KeyError) as e:
            parser.error(error_message(e))
    if args.command == "rescore":
        if rest:
            parser.error(f"unrecognized arguments: {' '.join(rest)}")
        return rescore(args, parser)
    parser.error(f"unknown command {args.command}")
    return 2
