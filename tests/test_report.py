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
from html import escape
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
import yaml
from PIL import Image

from pipelines.cli import main
from pipelines.progress import RunProgress
from pipelines.report import ReportConfig, build_report
from pipelines.tables import open_tables, table_files
from schemas import Clip, SampledClip, row_to_record
from tests import browser, counted_fs
from tests.conftest import ROOT, read_rows
from tests.report_data import manifest_parts, synthetic_run
from transforms import progress
from transforms.probe import probe_file
from transforms.scenes import analyze_video, build_clips
from transforms.strips import (
    StripConfig,
    parse_strips_name,
    pick_examples,
    still_of,
    strip_jpeg,
)
from transforms.write import group_of

STRIP = re.compile(
    r"<figure class=strip data-clip='(\w+)'[^>]*><img src='data:image/jpeg;base64,([^']+)'.*?"
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


@pytest.fixture(scope="module")
def grouped(tmp_path_factory) -> Path:
    """The sample run with one group per source, showing one example per reason and one kept."""
    out = tmp_path_factory.mktemp("grouped") / "out"
    sets = ("write.sources_per_group=1", "report.examples_per_reason=1", "report.kept_examples=1")
    args = [a for s in sets for a in ("--set", s)]
    assert main(["run", str(ROOT / "samples"), "--out", str(out), "--quiet", *args]) == 0
    return out


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
    """Every example the sample run shows has the strip the run stored: its sampled frames
    nearest its first, middle and last frame, upright, in the display shape; the whole video
    the gate dropped (never decoded) and a clip too short for a sample say why they have none."""
    out, _ = sample
    rows = {r["clip_id"]: r for r in manifest(out)}
    html = (out / "report.html").read_text()
    shown = strips(html)
    missing = dict(re.findall(r"data-clip='(\w+)'[^>]*><div class=none>([^<]+)</div>", html))
    assert set(shown) | set(missing) == set(rows)  # the sample run is smaller than every bound
    for clip_id, (image, origin) in shown.items():
        row = rows[clip_id]
        times = [float(t) for t in re.findall(r"[\d.]+", origin)]
        assert origin.startswith("sampled frames at ") and 1 <= len(times) <= 3, origin
        assert row["start_s"] <= times[0] <= times[-1] <= row["end_s"]
        assert image.height == ReportConfig().strip_height_px
        frame_w = (image.width - 2 * (len(times) - 1)) / len(times)
        aspect = row["display_width"] / row["display_height"]
        assert abs(frame_w / image.height - aspect) < 0.03, clip_id
        assert np.asarray(image.convert("L")).std() > 10  # a picture, not a blank
    assert missing, "the sample run has a gated video and a 0.12 s clip"
    for clip_id, why in missing.items():
        if rows[clip_id]["scene_index"] is None:
            assert why == "no strip: the whole video was dropped before it was decoded"
        else:
            assert why == "no strip: no frame was sampled inside the clip"
            assert rows[clip_id]["duration_s"] < 0.5  # shorter than scenes.sample_every_s


def test_strip_of_a_rotated_source_is_upright(rotated_video, config):
    """The decode pass samples frames upright; a strip made of them is portrait for a source
    stored landscape with a quarter-turn display matrix."""
    info = probe_file(str(rotated_video), str(rotated_video), config.probe)
    analysis = analyze_video(str(rotated_video), info, config.scenes)
    sampled = build_clips(info, analysis, config.scenes, config.clips)[0]
    still = still_of(sampled)
    assert len(still.frame_times_s) == 3
    assert still.frame_times_s == tuple(sorted(still.frame_times_s))
    image = Image.open(io.BytesIO(strip_jpeg(still.frames_jpg, 96)))
    assert image.size == (3 * 72 + 2 * 2, 96)  # stored 320x240, displayed a quarter turn


def test_the_write_stage_stores_strips_for_what_the_report_shows():
    assert ReportConfig().strips() == StripConfig()  # the same defaults on both sides
    shown = ReportConfig(examples_per_reason=2, kept_examples=3, strip_height_px=64)
    assert shown.strips() == StripConfig(2, 3, 64)


def test_still_takes_the_sampled_frames_nearest_first_middle_and_last():
    clip = Clip("c", "s", "h", 0, 0.0, 4.0, 0.3, 3.3, 3.0, 64, 48, 25.0, 4.0)
    times = (0.5, 1.0, 1.5, 2.0, 2.5, 3.0)
    frames = tuple(bytes([i]) for i in range(len(times)))
    still = still_of(SampledClip(clip, times, frames))
    # first 0.3 -> 0.5, middle (0.3 + 3.26) / 2 = 1.78 -> 2.0, last 3.26 -> 3.0
    assert still.frame_times_s == (0.5, 2.0, 3.0)
    assert still.frames_jpg == (b"\x00", b"\x03", b"\x05")
    one = still_of(SampledClip(clip, (1.0,), (b"x",)))
    assert one.frame_times_s == (1.0,)  # each sampled frame once
    assert still_of(SampledClip(clip)) is None


def test_pick_examples_is_the_reports_rule_on_any_split_into_groups():
    """The lowest ids per reason (and kept) of a whole corpus are the lowest among each group's
    own picks, for any split into groups; and the report's SQL picks the same clips."""
    import duckdb
    import pyarrow as pa

    from pipelines.report import data
    from schemas import arrow_schema, record_to_row
    from transforms.write import group_of

    rng = np.random.default_rng(1)
    reasons = ["too_short", "blurry", "duplicate", "low_motion"]
    clips = [
        Clip(f"{rng.integers(1 << 60):016x}", f"s{i % 37}", "h", 0, 0.0, 1.0, 0.0, 1.0, 1.0,
             64, 48, 25.0, 1.0).with_reasons(*[r for r in reasons if rng.uniform() < 0.2])
        for i in range(400)
    ]  # fmt: skip
    whole = pick_examples(clips, 3, 5)
    assert set(whole) == {"kept", *reasons}
    for groups in (1, 4, 37):
        stored = set()
        for g in range(groups):
            members = [c for c in clips if group_of(c.source, groups) == g]
            stored |= {i for ids in pick_examples(members, 3, 5).values() for i in ids}
        assert pick_examples([c for c in clips if c.clip_id in stored], 3, 5) == whole, groups
    table = pa.Table.from_pylist([record_to_row(c) for c in clips], schema=arrow_schema(Clip))
    con = duckdb.connect()
    con.register("manifest", table)
    samples = data.strip_samples(con, {"clip_id": "VARCHAR", "status": "VARCHAR"}, 3, 5)
    assert {r: [c["clip_id"] for c in cs] for r, cs in samples.items()} == whole


def examples_by_reason(html: str) -> dict[str, list[str]]:
    """reason (or 'kept') -> the ids of the clips the report shows for it, in page order."""
    examples = html[html.index("<h2 id=examples>") : html.index("<h2 id=captions>")]
    shown = {}
    for section in examples.split("<div class=strips data-reason='")[1:]:
        reason, _, rest = section.partition("'")
        shown[reason] = re.findall(r"<figure class=strip data-clip='(\w+)'", rest)
    return shown


def test_each_group_stores_the_strips_of_its_own_picks_only(grouped):
    rows = manifest(grouped)
    parts = sorted((grouped / "strips").glob("*.parquet"))
    groups = parse_strips_name(parts[0].name)[1]
    assert groups == 3  # three sources, one per group
    assert {parse_strips_name(p.name)[0] for p in parts} == {
        group_of(r["source"], groups) for r in rows
    }
    for part in parts:
        group, count = parse_strips_name(part.name)
        assert count == groups
        members = [row_to_record(Clip, r) for r in rows if group_of(r["source"], groups) == group]
        picked = {i for ids in pick_examples(members, 1, 1).values() for i in ids}
        stored = pq.read_table(part).to_pylist()
        assert [r["clip_id"] for r in stored] == sorted(picked)  # its picks, nothing more
        for r in stored:
            if r["jpeg"] is not None:
                assert Image.open(io.BytesIO(r["jpeg"])).height == ReportConfig().strip_height_px


def test_report_shows_the_rules_examples_without_sources_or_shards(grouped, tmp_path, monkeypatch):
    """The report's examples are `pick_examples` over the whole manifest, each with the strip
    its group stored; nothing is decoded: no shards, and PyAV refuses to open anything."""
    import av

    out = tmp_path / "out"
    shutil.copytree(grouped, out)
    shutil.rmtree(out / "shards")

    def no_decoding(*args, **kwargs):
        raise av.FFmpegError(1, "the report must not decode")

    monkeypatch.setattr(av, "open", no_decoding)
    html = build_report(str(out))
    rows = {r["clip_id"]: r for r in manifest(out)}
    wanted = pick_examples([row_to_record(Clip, r) for r in rows.values()], 1, 1)
    assert examples_by_reason(html) == wanted
    shown = strips(html)
    decoded = {i for ids in wanted.values() for i in ids if rows[i]["scene_index"] is not None}
    assert set(shown) == decoded and len(decoded) >= 2
    assert STRIP.findall(html) == STRIP.findall((grouped / "report.html").read_text())


def test_report_after_rescore_and_of_a_run_without_strips(grouped, tmp_path):
    """After `cliploom rescore` the report shows the new statuses' examples, with the strip the
    run stored where it stored one and a note where it did not; a run written before strips
    were stored shows its examples without pictures."""
    from pipelines.report.strips import NONE_STORED, NOT_PICKED

    out = tmp_path / "out"
    shutil.copytree(grouped, out)
    stored = {r["clip_id"] for p in (out / "strips").glob("*.parquet")
              for r in pq.read_table(p).to_pylist() if r["jpeg"] is not None}  # fmt: skip
    assert main(["rescore", str(out), "--set", "quality.min_motion_top5_px=100000.0"]) == 0
    assert main(["report", str(out)]) == 0
    html = (out / "report.html").read_text()
    low_motion = examples_by_reason(html)["low_motion"]
    assert (
        low_motion
        == pick_examples([row_to_record(Clip, r) for r in manifest(out)], 1, 1)["low_motion"]
    )
    shown = strips(html)
    for clip_id in low_motion:
        if clip_id in stored:
            assert clip_id in shown
        else:
            assert f"data-clip='{clip_id}'" in html and NOT_PICKED in html
    shutil.rmtree(out / "strips")
    html = build_report(str(out))
    assert not strips(html) and html.count(escape(NONE_STORED)) == sum(
        len(ids) for ids in examples_by_reason(html).values()
    )


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
    # one kept, one per reason: too_short's strip, low_resolution's whole video has none
    assert len(strips(html)) == 1 + 1
    assert html.count("<div class=none>") == 1


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


def report_peak_mb(out: Path) -> float:
    """MB the report of `out` adds to a fresh process's peak RSS once its modules are imported
    (VmHWM: unlike ru_maxrss it does not carry over this test process's peak through exec)."""
    code = (
        "import re\nimport pipelines.report as report\n"
        "def peak():\n"
        "    status = open('/proc/self/status').read()\n"
        "    return int(re.search(r'VmHWM:\\s+(\\d+)', status).group(1)) / 1024\n"
        f"base = peak()\nreport.build_report({str(out)!r})\nprint(peak() - base)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return float(done.stdout.split()[-1])


@pytest.fixture(scope="module")
def parts_200k(tmp_path_factory) -> Path:
    """200,000 clips of 20,000 sources in 320 parts, as the write stage lays them out."""
    return manifest_parts(tmp_path_factory.mktemp("parts") / "out", 200_000, 320)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM from /proc")
def test_report_memory_does_not_grow_with_the_manifest(tmp_path, parts_200k):
    """Ten times the clips in ten times the parts (200,000 in 320, against 20,000 in 32) add
    less than 40 MB to the report's peak (measured: 11 MB, DuckDB's scan keeping ~16 kB a
    part): no query keeps state per clip outside DuckDB's memory limit (report.memory_mb).
    The old reader and queries added 189 MB here: union_by_name kept every part's reader,
    a CTE read twice and the bins' CTE were materialized whole, a window sorted every dropped
    clip, and quantile_cont and list() held every value."""
    small = report_peak_mb(manifest_parts(tmp_path / "small", 20_000, 32))
    big = report_peak_mb(parts_200k)
    assert big - small < 40, (small, big)


def test_groupings_in_passes_fit_a_smaller_memory_and_give_the_same_report(parts_200k):
    """Groupings by source, scene and duplicate group run in passes by hash of their key:
    twenty passes of 10,000 rows (two for the 12,000 duplicated clips) build in 16 MB of
    DuckDB memory (one pass over these 200,000 rows runs out of it: DuckDB finishes a spilled
    grouping a partition at a time, and a partition grows with the groups), and every count,
    sum and list is the one-pass one."""
    config = parts_200k / "config.yaml"

    def built(memory_mb: int, rows_per_pass: int) -> str:
        config.write_text(f"report:\n  memory_mb: {memory_mb}\n  rows_per_pass: {rows_per_pass}\n")
        html = build_report(str(parts_200k))
        return re.sub(r"memory_mb: \d+|rows_per_pass: \d+", "", html)

    try:
        assert built(16, 10_000) == built(64, 1_000_000)
    finally:
        config.unlink()


def test_a_long_tail_is_cut_at_a_percentile_of_a_bounded_sample(tmp_path):
    """Past `quantile_sample` clips, the 99.5th percentile where a histogram's last bar starts
    is that of a sample by hash of id: the same on every build, near the exact one (lognormal
    sharpness, a linear axis, 2,000 of 20,000 clips: within 25 %), and exact up to that many
    clips; the bins still count every clip."""
    from pipelines.report import data
    from pipelines.tables import open_tables

    out = manifest_parts(tmp_path / "out", 20_000, 8)
    tail = data.Score("blur_var", "sharpness (linear)", "blur_var")
    with open_tables(str(out)) as con:
        exact = con.execute("SELECT quantile_cont(blur_var, 0.995) FROM manifest").fetchone()[0]
        whole = data.histograms(con, [(tail, [])], 40, 20_000)[0]
        sampled = [data.histograms(con, [(tail, [])], 40, 2_000)[0] for _ in range(2)]
    assert whole["overflow"] == exact
    assert sampled[0] == sampled[1]
    assert sampled[0]["overflow"] == pytest.approx(exact, rel=0.25)
    assert sampled[0]["overflow"] != exact
    for h in (whole, *sampled):
        assert sum(h["kept"]) + sum(h["dropped"]) == h["count"] == 20_000


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
    shown = strips((out / "report.html").read_text())
    assert page["strips"] == page["strips_loaded"] == len(shown)
    assert page["strips_wide"] == sum(
        image.width >= 2.5 * image.height for image, _ in shown.values()
    )
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


def test_warm_does_ahead_what_the_report_reads_of_no_run():
    """`cliploom run` warms the report on a thread while the pipeline runs: DuckDB imported and
    the versions read once, the same table as a fresh read."""
    import pipelines.report as report

    report.versions.cache_clear()
    fresh = report.versions()
    report.versions.cache_clear()
    report.warm()
    assert "duckdb" in sys.modules
    assert report.versions.cache_info().currsize == 1
    assert report.versions() == fresh


def test_report_of_a_remote_run_reads_the_parts_in_place(tmp_path):
    """`counted://` stands for gs:// or s3://: the same report as the local run's, and nothing
    copied: opening the tables and a query of one column read the footer and that column of
    each part, not the part; the whole report reads each block of a part once (the queries
    read every footer again). The old reader copied every part to local disk, and named the
    parts of both tables alike, so a failures part overwrote a manifest part."""
    out = manifest_parts(tmp_path / "out", 20_000, 8)
    remote = counted_fs.remote(out)
    parts = table_files(str(out), "manifest")
    size = {path: Path(path).stat().st_size for path in parts}
    with open_tables(remote) as con:
        assert con.execute("SELECT count(duration_s) FROM manifest").fetchone()[0] == 20_000
    for path in parts:
        assert 0 < counted_fs.BYTES_READ[path] < 0.75 * size[path], (path, size[path])
    counted_fs.BYTES_READ.clear()
    assert build_report(remote) == build_report(str(out))
    assert all(counted_fs.BYTES_READ[path] <= size[path] for path in parts)
