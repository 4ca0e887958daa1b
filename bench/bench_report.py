"""The report at scale: build time, file size and render time in headless Chromium.

Generates a run output of `--clips` clips (tests/report_data.py: real videos behind many source
names, score distributions like the pipeline's, the default thresholds deciding statuses, the
manifest as a directory of Parquet files), builds OUT/report.html with the default sample sizes,
and opens it in Debian's chromium through Playwright next to the report of a small real run (the
sample run, `--small OUT`, if given), in one browser session, so the render times pair up.

    PYTHONPATH=. python bench/bench_report.py --clips 100000 [--small out/sample]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from pipelines.report import write_report
from tests import browser
from tests.conftest import ROOT
from tests.report_data import synthetic_run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=100_000)
    parser.add_argument("--small", type=Path, help="a real run's OUT to pair the render with")
    parser.add_argument("--keep", type=Path, help="write the generated run here (kept)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = args.keep or Path(tmp) / "big"
        start = time.monotonic()
        synthetic_run(
            out, [ROOT / "samples/bikes.mp4", ROOT / "samples/bigbuckbunny.mp4"], args.clips
        )
        generated_s = time.monotonic() - start
        start = time.monotonic()
        html = Path(write_report(str(out)))
        built_s = time.monotonic() - start
        manifest_mb = sum(p.stat().st_size for p in (out / "manifest").iterdir()) / 1e6
        print(f"{args.clips:,} clips, manifest {manifest_mb:.1f} MB (made in {generated_s:.1f} s)")
        print(f"report: {html.stat().st_size / 1e6:.2f} MB, built in {built_s:.1f} s")
        if not browser.chromium():
            print("no chromium: render time not measured")
            return
        big = browser.open_report(html)
        print(
            f"chromium: load {big['load_s']:.2f} s, painted {big['paint_s']:.2f} s; "
            f"{big['charts']} charts, {len(big['thresholds'])} thresholds, {big['strips']} strips, "
            f"{len(big['errors'])} console errors"
        )
        if args.small:
            small = browser.open_report(args.small / "report.html")
            print(
                f"sample run's report: {(args.small / 'report.html').stat().st_size / 1e6:.2f} MB,"
                f" painted {small['paint_s']:.2f} s; {args.clips:,} clips / sample: "
                f"{big['paint_s'] / small['paint_s']:.2f}x the render time"
            )


if __name__ == "__main__":
    main()
