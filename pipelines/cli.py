"""The cliploom command line.

cliploom run INPUT... --out OUT [--config X.yaml] [--set key=value ...] [--previous OUT_OLD]
             [beam options]
cliploom rescore OUT [--config X.yaml] [--set quality.key=value ...]
cliploom qa-captions IN.jsonl --out OUT.jsonl
cliploom report OUT
cliploom inspect OUT [--clip ID] [--reason R] [--source S] [--where 'motion_mean_px < 1']
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import gc
import logging
import sys
import threading

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
    run.add_argument("--quiet", action="store_true", help="no live progress and no summary table")
    run.epilog = (
        "Re-running the same command into the same --out after a crash resumes it: sources "
        "whose outputs were committed are skipped."
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
    from transforms.caption_qa import CaptionQA, CaptionQAConfig, issue_name, qa_jsonl

    raw = configs.load(args.config, args.set)
    caption = raw["caption"]  # the judge falls back on the caption model and endpoint
    qa = CaptionQA(
        build(CaptionQAConfig, raw["caption_qa"], "caption_qa"),
        caption_model=caption["model"],
        caption_base_url=caption["openai"]["base_url"],
    )
    issues: collections.Counter = collections.Counter()
    total = ok = 0
    source = sys.stdin if args.input == "-" else open(args.input, encoding="utf-8")  # noqa: SIM115
    with source, open(args.out, "w", encoding="utf-8") as out:
        for row in qa_jsonl(source, qa):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            total, ok = total + 1, ok + row["caption_ok"]
            issues.update(issue_name(i) for i in row["caption_issues"])
    top = ", ".join(f"{name} {n}" for name, n in issues.most_common())
    print(f"cliploom qa-captions: {ok} of {total} pairs pass; {top or 'no issues'} -> {args.out}")
    return 0


def _rescore_parser(sub) -> None:
    rescore = sub.add_parser(
        "rescore", help="re-apply quality thresholds to OUT/manifest/ without decoding"
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
        f"rewritten: {out_dir}/manifest/, {out_dir}/stats.json (shards unchanged)"
    )
    return 0


def _report_parser(sub) -> None:
    report = sub.add_parser("report", help="write OUT/report.html from an earlier run's outputs")
    report.add_argument("out", help="output directory of an earlier `cliploom run`")
    report.add_argument("--html", help="write the report here instead of OUT/report.html")


def report(args) -> int:
    from apache_beam.io.filesystems import FileSystems

    from pipelines.report import build_report, write_report
    from pipelines.tables import has_manifest

    out_dir = args.out.rstrip("/")
    if not has_manifest(out_dir):
        print(f"cliploom report: {out_dir}: no manifest here", file=sys.stderr)
        return 2
    if args.html:
        html = build_report(out_dir).encode()
        with FileSystems.create(args.html) as stream:
            stream.write(html)
        path = args.html
    else:
        path = write_report(out_dir)
    print(f"cliploom report: {path}")
    return 0


def _inspect_parser(sub) -> None:
    inspect = sub.add_parser(
        "inspect", help="print a clip's record or list clips from OUT's manifest (no decoding)"
    )
    inspect.add_argument("out", help="output directory of a `cliploom run`")
    inspect.add_argument("--clip", metavar="ID", help="a clip id (or its first characters)")
    inspect.add_argument("--reason", metavar="R", help="clips dropped for this reason")
    inspect.add_argument("--source", metavar="S", help="clips of this source (URI or file name)")
    inspect.add_argument(
        "--where",
        metavar="EXPR",
        help="comparisons of columns with literals, and/or, parentheses: "
        "\"motion_mean_px < 1 and status = 'kept'\"",
    )
    inspect.add_argument("--columns", metavar="A,B", help="columns to list (default: a few)")
    inspect.add_argument("--limit", type=int, default=50, help="rows listed at most (50)")
    inspect.add_argument("--json", action="store_true", help="JSON lines instead of a table")


def inspect(args) -> int:
    from pipelines.inspect import WhereError
    from pipelines.inspect import inspect as inspect_rows
    from pipelines.tables import has_manifest

    if not has_manifest(args.out.rstrip("/")):
        print(f"cliploom inspect: {args.out}: no manifest here", file=sys.stderr)
        return 2
    if args.limit < 0:
        print("cliploom inspect: --limit must be >= 0", file=sys.stderr)
        return 2
    try:
        for line in inspect_rows(args):
            print(line)
    except (WhereError, ValueError) as e:
        print(f"cliploom inspect: {e}", file=sys.stderr)
        return 2
    except LookupError as e:
        print(f"cliploom inspect: {e}", file=sys.stderr)
        return 1
    return 0


def counters_by_stage(result) -> dict:
    counters: dict = {}
    try:
        queried = result.metrics().query()["counters"]
    except NotImplementedError:  # DaskRunner has no metrics yet: stats.json holds none
        log.warning("this runner reports no metrics: stats.json has no counters")
        return counters
    for counter in queried:
        value = counter.committed if counter.committed is not None else counter.attempted
        stage = counters.setdefault(counter.key.metric.namespace, {})
        name = counter.key.metric.name
        stage[name] = stage.get(name, 0) + (value or 0)
    return {stage: dict(sorted(names.items())) for stage, names in sorted(counters.items())}


LOCAL_RUNNERS = (None, "DirectRunner", "BundleBasedDirectRunner", "SwitchingDirectRunner")
OWN_OPTIONS = ("--out", "--config", "--set", "--previous", "--quiet")


# What `import apache_beam` loads only to offer it: a filesystem for each remote store (each
# registers itself on import; boto3, google-cloud-storage) and the BigQuery, Pub/Sub and MongoDB
# connectors (apache_beam.io imports them, or skips them where they do not import). 0.3 of the
# ~2.1 CPU s of a run on a 2 s video; a local run that names no remote path uses none of them.
REMOTE_IO_MODULES = (
    "apache_beam.io.gcp.gcsfilesystem",
    "apache_beam.io.aws.s3filesystem",
    "apache_beam.io.azure.blobstoragefilesystem",
    "apache_beam.io.hadoopfilesystem",
    "apache_beam.io.gcp.bigquery",  # apache_beam.io skips Pub/Sub and GCS I/O with it
    "bson",
    "pymongo",
)
# Beam's MongoDB module warns, on import, where pymongo is missing.
_MONGODB_LOGGER = "apache_beam.io.mongodbio"
_LIST_SUFFIXES = (".txt", ".lst", ".parquet")  # transforms.inputs.LIST_SUFFIXES


def _runner_name(beam_args: list[str]) -> str | None:
    runner = None
    for i, arg in enumerate(beam_args):
        if arg.startswith("--runner="):
            runner = arg.split("=", 1)[1]
        elif arg == "--runner" and i + 1 < len(beam_args):
            runner = beam_args[i + 1]
    return runner


def local_paths_only(paths: list[str], beam_args: list[str]) -> bool:
    """Whether a run reads and writes this machine's files alone: a local runner, no argument
    naming a remote URI (an input, --out, --previous, or a Beam option such as an S3
    endpoint), and no input list (its entries may be remote)."""
    if _runner_name(beam_args) not in LOCAL_RUNNERS:
        return False
    if any("://" in arg and not arg.startswith("file://") for arg in [*paths, *beam_args]):
        return False
    return not any(path.lower().endswith(_LIST_SUFFIXES) for path in paths)


def import_beam(paths: list[str], beam_args: list[str]) -> None:
    """Import Beam without REMOTE_IO_MODULES for a run with local paths only (other runs leave
    it to the caller's import). They are held back for the import alone: anything may import
    them later, and a remote filesystem so imported registers as on Beam's own import."""
    if "apache_beam" in sys.modules or not local_paths_only(paths, beam_args):
        return
    import importlib

    held = [name for name in REMOTE_IO_MODULES if name not in sys.modules]
    mongodb_log = logging.getLogger(_MONGODB_LOGGER)
    was_disabled = mongodb_log.disabled
    for name in held:
        sys.modules[name] = None  # an import of it raises ModuleNotFoundError, which Beam skips
    mongodb_log.disabled = True
    try:
        importlib.import_module("apache_beam")
    finally:
        mongodb_log.disabled = was_disabled
        for name in held:
            if sys.modules.get(name, False) is None:
                del sys.modules[name]


def _import_runner(beam_args: list[str]) -> None:
    """Import the module of a runner named by its dotted path, as Beam does when it starts."""
    import importlib

    runner = _runner_name(beam_args)
    if runner and "." in runner:
        try:
            importlib.import_module(runner.rsplit(".", 1)[0])
        except ImportError as e:
            raise ConfigError(f"--runner {runner}: cannot import its module ({e})") from e


def check_beam_args(beam_args: list[str]) -> None:
    """Every argument left after cliploom's own is a known Beam pipeline option; a misspelling
    (`--prevoius`) fails here instead of being dropped with a warning."""
    from apache_beam.options import pipeline_options
    from apache_beam.options.pipeline_options import PipelineOptions

    _import_runner(beam_args)  # a runner's own options (DaskOptions...) register on import
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


def local_runner(options):
    """The runner of a run that names none: Beam's FnApiRunner, built as the DirectRunner builds
    it for a batch pipeline (the pipeline's options handed to its workers), or None (Beam's
    default) for a streaming run. The DirectRunner first tries the Prism runner: it converts the
    whole graph, starts a worker pool and a gRPC server and fetches Prism's binary from GitHub
    (a network call each run, falling back to the FnApiRunner where it cannot: ~0.1 CPU s and
    0.5 s wall here); where it can, the run goes to a runner cliploom is not tested on."""
    from apache_beam.options.pipeline_options import StandardOptions

    if options.view_as(StandardOptions).streaming:
        return None
    from apache_beam.portability.api import beam_provision_api_pb2
    from apache_beam.runners.portability.fn_api_runner import fn_runner
    from apache_beam.runners.portability.portable_runner import JobServiceHandle

    encoded = JobServiceHandle.encode_pipeline_options(options.get_all_options())
    info = beam_provision_api_pb2.ProvisionInfo(pipeline_options=encoded)
    return fn_runner.FnApiRunner(provision_info=fn_runner.ExtendedProvisionInfo(info))


def run_options(beam_args: list[str]):
    """The Beam options of a `cliploom run`. A run on this machine goes without Beam's
    construction-time type check (`--no_pipeline_type_check`): cliploom declares no type hints
    for it to check, yet it reads the bytecode of each Map and FlatMap function to infer its
    output type and parses the type flags again at each of the ~113 steps, ~0.2 of the ~2.6 CPU s
    a one-video run costs. Remote runners keep Beam's default: their graph is built once per job."""
    from apache_beam.options.pipeline_options import StandardOptions, TypeOptions

    from pipelines.pipeline import RunOptions

    options = RunOptions(beam_args)
    if options.view_as(StandardOptions).runner in LOCAL_RUNNERS:
        options.view_as(TypeOptions).pipeline_type_check = False
    return options


def error_message(e: Exception) -> str:
    return str(e.args[0]) if isinstance(e, KeyError) and e.args else str(e)


def load_config(args):
    """The merged, checked config of a run; raises ConfigError (or KeyError) naming the key."""
    from pipelines.config import PipelineConfig

    raw = configs.load(args.config, args.set)
    return raw, PipelineConfig.from_dict(raw)


def run(args, beam_args: list[str], parser) -> int:
    import_beam([*args.inputs, args.out, *filter(None, [args.previous])], beam_args)
    import apache_beam as beam
    from apache_beam.io.filesystems import FileSystems
    from apache_beam.options.pipeline_options import StandardOptions

    from pipelines.pipeline import build
    from pipelines.progress import RunProgress
    from pipelines.report import warm, write_report
    from pipelines.rescore import save_run_config
    from transforms import stats as run_stats
    from transforms import tables
    from transforms.caption import SKIPPED_HINT, available
    from transforms.caption_backends import CaptionUnavailable
    from transforms.checkpoint import CHECKPOINT
    from transforms.dedup_previous import find_previous
    from transforms.score import log_availability
    from transforms.write import start_or_resume

    try:
        check_beam_args(beam_args)
        raw, config = load_config(args)
    except (ConfigError, KeyError, ValueError, OSError) as e:
        parser.error(error_message(e))
    options = run_options(beam_args)
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
        if config.scenes.model is not None:  # loaded once here, kept for the workers
            from transforms.shot_model import load_shot_model

            try:
                load_shot_model(config.scenes.model)
            except (OSError, ValueError, RuntimeError) as e:
                print(f"cliploom: scenes.model cannot load: {e}", file=sys.stderr)
                return 2
    log_availability(config.ocr, config.aesthetics, check_files=local)
    if args.previous and find_previous(args.previous) is None:
        raise SystemExit(f"cliploom: --previous {args.previous}: no signatures/ or manifest there")
    out_dir = args.out.rstrip("/")
    try:  # an OUT with completion records is resumed: same inputs and config only
        resume = start_or_resume(
            out_dir, {"inputs": sorted(args.inputs), "config": raw}, config.write
        )
    except ValueError as e:
        raise SystemExit(f"cliploom: {e}") from e
    save_run_config(out_dir, raw)  # what `cliploom rescore` starts from
    runner_name = options.view_as(StandardOptions).runner
    p = beam.Pipeline(
        runner=local_runner(options) if runner_name is None else None, options=options
    )
    build(p, args.inputs, out_dir, config, args.previous, resume)
    gc.freeze()  # the modules and the graph live to the end (see fewer_collections)
    # The report's imports beside the run (its decode pass leaves part of a core free), not
    # after it: the report is the last serial step before exit.
    threading.Thread(target=warm, name="cliploom-report-warm", daemon=True).start()
    with RunProgress(options.get_all_options()["runner"], quiet=args.quiet) as progress:
        result = p.run()
        progress.follow(result)  # remote runners: their counters until the job ends
        result.wait_until_finish()
    counters = counters_by_stage(result)
    progress.print_summary(counters)
    stats_path = tables.join(out_dir, run_stats.STATS)
    stats = run_stats.with_counters(run_stats.read_stats(stats_path), counters)
    stats["timing"] = progress.timing()
    run_stats.write_stats(stats_path, stats)
    write_report(out_dir, stats)
    tables.remove_tmp(out_dir, CHECKPOINT)  # every group is committed: nothing to restore
    tables.mark_success(out_dir)
    clips = stats["clips"]
    print(
        f"cliploom: {stats['inputs']} inputs, {clips['candidates']} candidate clips, "
        f"{clips['kept']} kept in {stats['shards']} shards, {len(stats['failures'])} failure kinds "
        f"({sum(stats['failures'].values())} rows); {stats['hours_out'] * 3600:.1f}s of "
        f"{stats['hours_in'] * 3600:.1f}s kept{' (resumed)' if resume else ''}\n"
        f"outputs: {out_dir}/shards/, {out_dir}/manifest/, {out_dir}/failures/, "
        f"{out_dir}/stats.json, {out_dir}/report.html, {out_dir}/_SUCCESS"
    )
    if config.caption.backend == "none":
        print(f"cliploom: {SKIPPED_HINT}")
    return 0


@contextlib.contextmanager
def fewer_collections():
    """Rarer cyclic garbage collections for a run; `gc.freeze()` inside keeps what exists
    then out of later full collections. A run holds ~160,000 long-lived objects (Beam's
    modules and graph) before its first element, and the default thresholds walk them again
    and again: 0.36 of ~21 CPU s on the bench input, 0.14 with this. Undone on exit, so an
    in-process caller (tests) gets its collector back as it was."""
    before = gc.get_threshold()
    gc.set_threshold(10_000, 50, 100)
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def main(argv: list[str] | None = None) -> int:
    """The `cliploom` program (`argv` None: the process's own arguments) or, given `argv`, one
    command run in the caller's process."""
    code = command(argv if argv is not None else sys.argv[1:])
    if argv is None:
        # The process ends next. Its interpreter then collects cyclic garbage over every object
        # left, again as it tears each module down: 0.33 CPU s after the atexit handlers of a
        # run, on a 2 s video (of ~1.9) as on a 120 s one; 0.05 with the objects frozen, as
        # frozen ones are left out of those collections. The exit still runs atexit handlers,
        # flushes the output streams and frees what reference counting frees.
        gc.freeze()
    return code


def command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="cliploom", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    _run_parser(sub)
    _qa_parser(sub)
    _rescore_parser(sub)
    _report_parser(sub)
    _inspect_parser(sub)
    args, rest = parser.parse_known_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.command == "run":
        with fewer_collections():
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
    if args.command in ("report", "inspect"):
        if rest:
            parser.error(f"unrecognized arguments: {' '.join(rest)}")
        return report(args) if args.command == "report" else inspect(args)
    parser.error(f"unknown command {args.command}")
    return 2
