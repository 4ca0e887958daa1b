"""The report of a real run (the bundled samples), its strips and thresholds, the reader of
both manifest layouts, a generated corpus of 100,000 clips, progress, and the page as
headless Chromium renders it."""

import base64
import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
import yaml
from PIL import Image

from pipelines.cli import main
from pipelines.progress import RunProgress
from pipelines.report import ReportConfig, build_report
from pipelines.report.strips import frames_at
from tests import browser
from tests.conftest import ROOT, TESTDATA, make_video, read_rows
from tests.report_data import synthetic_run
from transforms import progress

FORMATS = ["mov", "mp4", "matroska", "webm"]
STRIP = re.compile(
    r"<figure class=strip data-clip='(\w+)'.*?<img src='data:image/jpeg;base64,([^']+)'.*?"
    r"frames from ([^<]+)</span>",
    re.S,
)


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> tuple[Path, str]:
    """The sample run (samples/: bikes, bigbuckbunny, carphone) and what it printed to stderr."""
    out = tmp_path_factory.mktemp("sample") / "out"
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        assert main(["run", str(ROOT / "samples"), "--out", str(out)]) == 0
    return out, stderr.getvalue()


def manifest(out: Path) -> list[dict]:
    return read_rows(out)


def sample_aspect_ratio(path: str) -> float:
    import av

    with av.open(path) as container:
        return float(container.streams.video[0].codec_context.sample_aspect_ratio or 1)


def strips(html: str) -> dict[str, tuple[Image.Image, str]]:
    return {
        clip_id: (Image.open(io.BytesIO(base64.b64decode(data))), origin)
        for clip_id, data, origin in STRIP.findall(html)
    }


def test_funnel_counts_and_hours(sample):
    out, _ = sample
    html = (out / "report.html").read_text()
    rows = manifest(out)
    candidates = [r for r in rows if r["scene_index"] is not None]
    kept = [r for r in rows if r["status"] == "kept"]
    assert f"<td>candidate clips</td><td class=num>{len(candidates)}</td>" in html
    assert f"<td>kept clips</td><td class=num>{len(kept)}</td>" in html
    short = [r for r in rows if "too_short" in r["drop_reasons"]]
    minutes = sum(r["duration_s"] for r in short) / 60
    assert f"<code>too_short</code></td><td class=num>{len(short)}</td>" in html
    assert f"{minutes:,.1f} min" in html
    assert "<code>low_resolution</code> (whole video)" in html


def test_histograms_carry_the_thresholds_and_the_clips_near_them(sample):
    out, _ = sample
    html = (out / "report.html").read_text()
    config = yaml.safe_load((out / "config.yaml").read_text())
    figures = dict(re.findall(r"<figure class=chart data-score='(\w+)'>(.*?)</figure>", html, re.S))
    assert {"duration_s", "blur_var", "motion_top5_px", "dark_frac", "luma_flicker"} <= set(figures)
    assert 'id="threshold-quality.min_blur"' in figures["blur_var"]
    assert 'id="threshold-clips.min_clip_s"' in figures["duration_s"]
    durations = [r["duration_s"] for r in manifest(out) if r["scene_index"] is not None]
    floor = config["clips"]["min_clip_s"]
    near = sum(abs(d - floor) <= 0.1 * floor for d in durations)
    below = sum(d < floor for d in durations)
    assert f"clips.min_clip_s = {floor:g}</span>: {below} below" in figures["duration_s"]
    assert f"<b>{near} within 10%</b>" in figures["duration_s"]
    assert "aesthetic" in re.search(r"Not measured in this run[^\n]*", html).group(0)


def test_strips_of_kept_and_dropped_clips(sample):
    out, _ = sample
    rows = {r["clip_id"]: r for r in manifest(out)}
    shown = strips((out / "report.html").read_text())
    kept = {i for i, r in rows.items() if r["status"] == "kept"}
    dropped = {i for i, r in rows.items() if r["status"] == "dropped"}
    assert set(shown) == kept | dropped  # the sample run is smaller than every sample bound
    for clip_id, (image, origin) in shown.items():
        row = rows[clip_id]
        assert image.height == ReportConfig().strip_height_px
        frame_w = (image.width - 4) / 3  # three frames, two 2 px gaps
        if row["shard"]:  # the encoded clip: upright, square pixels
            aspect = row["out_width"] / row["out_height"]
        else:  # the source, shown with its sample aspect ratio (carphone's CIF is 12:11)
            aspect = row["width"] * sample_aspect_ratio(row["source"]) / row["height"]
        assert abs(frame_w / image.height - aspect) < 0.03, clip_id
        assert np.asarray(image.convert("L")).std() > 10  # a picture, not a blank
        assert origin == (f"encoded clip in {row['shard']}" if row["shard"] else "source span")


def test_a_strip_shows_a_cut_inside_a_clip():
    video = TESTDATA / "synthetic/cuts/hard_cuts.mp4"  # cuts at 4, 10, 15, 22, 25.5 s

    def diffs(start, end):
        first, middle, last = (
            np.asarray(i, dtype=float)
            for i in frames_at(str(video), [start, (start + end) / 2, end], FORMATS, 64)
        )
        return np.abs(first - middle).mean(), np.abs(first - last).mean()

    _, across = diffs(2.0, 6.0)  # first and middle in one scene, last after the cut at 4 s
    within = diffs(5.0, 9.0)
    assert across > 3 * max(within) and across > 20


def test_strip_of_a_rotated_source_is_upright(rotated_video):
    (image,) = frames_at(str(rotated_video), [1.0], FORMATS, 96)
    assert image.size == (72, 96)  # stored 320x240, displayed a quarter turn: portrait


def test_thresholds_come_from_the_runs_config(sample, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(sample[0], out)
    config = yaml.safe_load((out / "config.yaml").read_text())
    config["quality"]["min_blur"] = 123.0
    config["quality"]["max_luma_flicker"] = None
    config["report"] = {"kept_examples": 1, "examples_per_reason": 1}
    (out / "config.yaml").write_text(yaml.safe_dump(config))
    html = build_report(str(out))
    assert "min_blur = 123" in html and 'id="threshold-quality.min_blur"' in html
    assert "threshold-quality.max_luma_flicker" not in html
    assert "check quality.max_luma_flicker (null)" in html
    assert len(strips(html)) == 1 + 1 + 1  # one kept, one per reason (too_short, low_resolution)


def test_directory_layout_and_report_command(sample, tmp_path, capsys):
    """The run writes OUT/manifest/ parts; an older run's single manifest.parquet (and
    failures.parquet) gives the same report."""
    import pyarrow.dataset as ds

    out = tmp_path / "out"
    shutil.copytree(sample[0], out)
    assert list((out / "manifest").glob("part-*.parquet"))
    for name in ("manifest", "failures"):
        parts = sorted((out / name).glob("*.parquet"))
        if parts:
            table = ds.dataset(parts, format="parquet").to_table()
            pq.write_table(table, out / f"{name}.parquet")
        shutil.rmtree(out / name, ignore_errors=True)
    (out / "report.html").unlink()
    assert main(["report", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"cliploom report: {out}/report.html"
    before = (sample[0] / "report.html").read_text()
    after = (out / "report.html").read_text()
    assert re.findall(r"<td class=num>[\d,]+</td>", after) == re.findall(
        r"<td class=num>[\d,]+</td>", before
    )
    assert main(["report", str(tmp_path / "nothing")]) == 2


def test_progress_timing_and_summary(sample):
    out, stderr = sample
    timing = json.loads((out / "stats.json").read_text())["timing"]
    assert timing["source"] == "progress side channel" and timing["wall_s"] > 0
    counters = json.loads((out / "stats.json").read_text())["counters"]
    for stage in ("probe", "gate", "scenes", "encode"):
        assert timing["stages"][stage]["elements"] == counters[stage]["total"], stage
    # not a terminal: no live display, but the summary table
    assert "cliploom summary" in stderr
    assert re.search(r"scenes\s+│\s+2\s+│", stderr)
    assert progress.ENV not in os.environ


def test_progress_side_channel_reaches_across_processes(tmp_path):
    code = "from transforms import progress; progress.record('scenes', 'total', 3)"
    env = {**os.environ, progress.ENV: str(tmp_path), "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    assert progress.read_counts(str(tmp_path)) == {"scenes": {"total": 6}}


def test_progress_eta_from_the_upstream_stage():
    monitor = RunProgress("DirectRunner", stream=io.StringIO())
    monitor.start_s = time.monotonic() - 20  # 20 s into the run, every stage since 0 s
    monitor.first_s = {"probe": 0.0, "gate": 0.0, "scenes": 0.0}
    monitor.counts = {"probe": {"total": 10, "ok": 10}, "gate": {"total": 10, "kept": 8},
                      "scenes": {"total": 2, "clips": 9}}  # fmt: skip
    console = io.StringIO()
    from rich.console import Console

    Console(file=console, width=200).print(monitor.table())
    scenes = next(line for line in console.getvalue().splitlines() if "scenes" in line)
    cells = [c.strip() for c in scenes.split("│")]
    assert cells[2] == "2/8"  # of the 8 videos the gate kept
    eta = float(cells[7].split()[0].replace(",", ""))
    rate = float(cells[6].replace(",", ""))
    assert rate == pytest.approx(2 / 20, rel=0.1) and eta == pytest.approx(6 / rate, rel=0.1)
    quiet = io.StringIO()
    RunProgress("DirectRunner", quiet=True, stream=quiet).print_summary(monitor.counts)
    assert quiet.getvalue() == ""
    assert not RunProgress("DirectRunner", stream=io.StringIO()).live_display  # not a terminal


def test_report_of_100k_clips_stays_small(tmp_path):
    videos = [ROOT / "samples/bikes.mp4", ROOT / "samples/bigbuckbunny.mp4"]
    out = synthetic_run(tmp_path / "big", videos, clips=100_000)
    # small samples keep the test quick; bench/bench_report.py measures the default ones
    config = yaml.safe_load((out / "config.yaml").read_text())
    config["report"].update(examples_per_reason=1, kept_examples=2)
    (out / "config.yaml").write_text(yaml.safe_dump(config))
    html = build_report(str(out))
    assert len(html.encode()) < 10e6
    assert "100,000 clips" in html  # histograms count every clip
    shown = STRIP.findall(html)
    reasons = re.findall(r"<h3 id='examples-(\w+)'>", html)
    assert len(reasons) == 10 and len(shown) == (len(reasons) - 1) * 1 + 2
    assert all(image.width > 3 * image.height for image, _ in strips(html).values())
    # bounded lists: 20 caption pairs (failing ones first), 10 duplicate groups, survivor marked
    pairs = re.search(r"<h2 id=captions>.*?</table>", html, re.S).group(0)
    assert pairs.count("<div class=cap>") == 2 * 20 and "<span class=bad>rejected</span>" in pairs
    dups = re.search(r"<h2 id=duplicates>.*?</table>", html, re.S).group(0)
    assert len(set(re.findall(r"<td><code>(\w+)</code> \(\d+\)</td>", dups))) == 10
    assert dups.count("<code class=survivor>") == 10
    (out / "report.html").write_text(html)
    if browser.chromium():
        pytest.importorskip("playwright")
        page = browser.open_report(out / "report.html")
        assert page["errors"] == [] and page["strips_loaded"] == page["strips"] == len(shown)
        assert page["thresholds"] and page["threshold_lines_drawn"] == len(page["thresholds"])


def test_the_sample_report_in_chromium(sample, tmp_path):
    if not browser.chromium():
        pytest.skip("no chromium: .ci/run installs Debian's chromium")
    pytest.importorskip("playwright")
    out, _ = sample
    shot = tmp_path / "report.png"
    page = browser.open_report(out / "report.html", screenshot=shot)
    assert page["errors"] == [] and page["outside"] == []
    assert page["sections"] == [
        "funnel", "scores", "examples", "captions", "duplicates", "failures", "sources", "run"
    ]  # fmt: skip
    assert page["charts"] >= 12 and page["chart_bars"] > 100
    assert "threshold-quality.min_blur" in page["thresholds"]
    assert len(page["thresholds"]) >= 10
    assert page["threshold_lines_drawn"] == len(page["thresholds"])
    assert page["strips"] == page["strips_loaded"] == page["strips_wide"] == len(manifest(out))
    assert Image.open(shot).size[1] > 2000


def test_charts_place_bars_and_thresholds_by_value():
    """The directly written SVG: bar heights follow the counts, a threshold line sits at its
    value on the axis (linear and log), bars' lengths follow their values."""
    from pipelines.report.charts import bars_svg, histogram_svg

    svg = histogram_svg(
        [0.0, 1.0, 2.0, 3.0, 4.0], [1, 0, 4, 2], [1, 2, 0, 0], "score", [("quality.min_x", 3.0)]
    )
    kept = re.search(r"<g class='kept'[^>]*>(.*?)</g>", svg).group(1)
    heights = [float(h) for h in re.findall(r"height='([\d.]+)'", kept)]
    assert len(heights) == 3 and heights[1] == pytest.approx(2 * heights[2], abs=0.02)
    total = re.search(r"<g class='dropped'[^>]*>(.*?)</g>", svg).group(1)
    assert len(re.findall("<rect", total)) == 4  # every bin with a clip, kept ones included
    line = re.search(r'<g id="threshold-quality.min_x">.*?<line x1=\'([\d.]+)\'', svg).group(1)
    x0, x_end = 52, 460 - 10  # the plot's left and right edges
    assert float(line) == pytest.approx(x0 + 0.75 * (x_end - x0), abs=0.02)
    assert "min_x = 3<" in svg
    log = histogram_svg([1.0, 10.0, 100.0], [1, 1], [0, 0], "s", [("q.k", 10.0)], log=True)
    line = re.search(r'<g id="threshold-q.k">.*?<line x1=\'([\d.]+)\'', log).group(1)
    assert float(line) == pytest.approx((x0 + x_end) / 2, abs=0.02)
    assert (
        histogram_svg([1.0, 10.0], [1], [0], "s", [("q.k", 0.0)], log=True).count("threshold") == 0
    )
    bars = bars_svg(["a", "b<c"], [10.0, 5.0], "hours")
    widths = [float(w) for w in re.findall(r"<rect [^>]*width='([\d.]+)'", bars)]
    assert widths[0] == pytest.approx(2 * widths[1], abs=0.02) and "b&lt;c" in bars


def test_strip_frames_after_seeking_to_keyframes_match_a_full_decode(tmp_path):
    """frames_at seeks to a keyframe between targets instead of decoding through the GOPs
    before it; the frames must be exactly those a decode of every frame shows at those times."""
    import av

    from pipelines.report.strips import keyframes, seek_plan

    video = make_video(
        tmp_path / "gop.mp4", "-f", "lavfi", "-i", "testsrc2=s=320x240:d=6:r=25",
        "-c:v", "libx264", "-g", "25", "-sc_threshold", "0", "-pix_fmt", "yuv420p",
    )  # fmt: skip
    times = [0.52, 2.6, 5.96]
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        keys = keyframes(container, stream, 0.0, times[0], times[-1])
        assert [round(t, 2) for t, _ in keys[:3]] == [0.0, 1.0, 2.0]
        assert seek_plan(keys, times) == [keys[0][1], keys[2][1], keys[5][1]]
        assert seek_plan(keys, [0.1, 0.5, 0.9])[1:] == [None, None]  # one GOP: decode on
        container.seek(0, stream=stream)
        frames = [(float(f.pts * stream.time_base), f) for f in container.decode(stream)]
    assert len(frames) == 150
    wanted = [
        next(f for t, f in sorted(frames, key=lambda x: x[0]) if t >= s - 1e-3) for s in times
    ]
    reference = [np.asarray(f.reformat(format="rgb24").to_image()) for f in wanted]
    shown = [np.asarray(i) for i in frames_at(str(video), times, FORMATS, 240)]
    assert all(np.array_equal(a, b) for a, b in zip(shown, reference, strict=True))
    assert not np.array_equal(shown[1], shown[2])
