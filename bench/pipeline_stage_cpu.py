"""Where a `cliploom run`'s CPU goes: the CLI with each costly step's CPU time added up.

    PYTHONPATH=$PWD python bench/pipeline_stage_cpu.py run VIDEO --out OUT --quiet

Runs `cliploom` unchanged (DirectRunner in-memory: every stage in this process), with the CPU
time of the calling thread inside each listed function summed (`time.thread_time`; the report
counts its helper threads too, as do OCR and the encode: their threads run alone). Threads a
step starts itself and runs beside other work (the analysis pass's decode and scaling threads)
are not in its line but in `rest`, with Beam's own work and lazy imports; `rest` is split into
the main thread's part (Beam, lazy imports, what no line names) and the other threads'. Printed
to stderr at exit (before the interpreter's own teardown). Not for multi_processing runs (their
workers are other processes).
"""

from __future__ import annotations

import argparse
import atexit
import collections
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
START = time.process_time()
spent: collections.Counter = collections.Counter()
on_main: collections.Counter = collections.Counter()  # each line's CPU on the main thread


def account(owner, name: str, label: str, clock=time.thread_time) -> None:
    """Replace `owner.name` (a module function or a class's method) by a timed wrapper."""
    original = getattr(owner, name)

    def timed(*args, **kwargs):
        begin, begin_main = clock(), time.thread_time()
        try:
            return original(*args, **kwargs)
        finally:
            spent[label] += clock() - begin
            on_main[label] += time.thread_time() - begin_main

    setattr(owner, name, timed)


def import_beam(cli) -> None:
    """Beam imported as `cliploom run` imports it (a local run leaves its remote filesystems
    and connectors out) before the modules below import it whole: without this the line
    `imports before the run` counted ~0.3 CPU s the command does not spend."""
    parser = argparse.ArgumentParser()
    cli._run_parser(parser.add_subparsers())
    args, beam_args = parser.parse_known_args(sys.argv[1:])
    cli.import_beam([*args.inputs, args.out, *filter(None, [args.previous])], beam_args)


def main() -> int:
    import pipelines.cli as cli

    import_beam(cli)
    import pipelines.pipeline as pipeline
    import pipelines.report as report
    import transforms.dedup as dedup
    import transforms.encode as encode
    import transforms.probe as probe
    import transforms.scenes as scenes
    import transforms.score as score
    import transforms.strips as strips

    imported = time.process_time() - START
    account(scenes, "analyze_video", "analysis pass (calling thread)")
    account(scenes, "build_clips", "clips from the analysis")
    # OCR detects each frame's text band on a thread of its own; nothing else runs meanwhile
    account(score.OcrScorer, "score", "OCR (all threads)", time.process_time)
    account(score.OcrScorer, "__init__", "OCR model load")
    # encode's cuts run on its own threads (encode.parallel_cuts); nothing else runs meanwhile
    account(encode, "encode_clips", "encode (all threads)", time.process_time)
    account(probe, "probe_file", "probe")
    account(dedup, "sign_clip", "dedup signatures")
    account(pipeline, "build", "pipeline graph build")
    account(strips, "make_strips", "report strips (write stage)")
    account(report, "build_report", "report.html (all threads)", time.process_time)

    def summary() -> None:
        total = time.process_time()
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        out = sys.stderr
        print(f"\nCPU s: process {total:.2f}, child processes (ffmpeg) "
              f"{children.ru_utime + children.ru_stime:.2f}", file=out)  # fmt: skip
        print(f"  {'imports before the run':36s} {imported:6.2f}", file=out)
        for label, seconds in spent.most_common():
            print(f"  {label:36s} {seconds:6.2f}", file=out)
        rest = total - imported - sum(spent.values())
        print(f"  {'rest (decoder threads, Beam, imports)':36s} {rest:6.2f}", file=out)
        main_rest = time.thread_time() - imported - sum(on_main.values())
        print(f"    {'main thread (Beam, lazy imports)':34s} {main_rest:6.2f}", file=out)
        print(f"    {'other threads (decode, scaling)':34s} {rest - main_rest:6.2f}", file=out)

    atexit.register(summary)
    return cli.main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
