"""OUT/report.html: what a run decided and why, for a person tuning it, at any corpus size.

Built from the run's own files: the manifest and failures (queried in DuckDB through
`pipelines.tables`, so aggregates read every row without loading them into Python), stats.json
and the config the run recorded (OUT/config.yaml, whose thresholds are drawn on the charts).
Aggregates come from all rows; pictures (strips of first, middle and last frames, which the run
stored for exactly these samples), caption pairs and duplicate groups from bounded,
deterministic samples, so the file's size does not grow with the corpus. Written at the end of
`cliploom run` and by `cliploom report OUT`.
"""

from __future__ import annotations

import functools
import importlib.metadata
import json
import logging
import platform

from apache_beam.io.filesystems import FileSystems

import configs
from pipelines.report import data, page
from pipelines.report.strips import read_strips
from pipelines.report_config import ReportConfig
from pipelines.rescore import RUN_CONFIG
from pipelines.tables import columns, open_tables
from transforms.stats import STATS

log = logging.getLogger(__name__)
REPORT = "report.html"
_PACKAGES = ("cliploom", "apache-beam", "av", "scenedetect-headless", "opencv-python-headless",
             "pyarrow", "duckdb", "webdataset", "transformers", "torch", "open_clip_torch",
             "rapidocr-onnxruntime")  # fmt: skip


def _read_text(path: str) -> str | None:
    if not FileSystems.exists(path):
        return None
    with FileSystems.open(path) as f:
        return f.read().decode("utf-8")


def run_config(out_dir: str) -> dict:
    """The run's recorded config merged over today's defaults (an old run may lack sections)."""
    text = _read_text(FileSystems.join(out_dir, RUN_CONFIG))
    recorded = (configs.parse_yaml(text) or {}) if text else {}
    merged = configs.default()
    for section, values in recorded.items():
        if isinstance(values, dict) and isinstance(merged.get(section), dict):
            merged[section] = {**merged[section], **values}
        else:
            merged[section] = values
    return merged


def switched_off(config: dict) -> list[str]:
    """What this config did not do, in words."""
    off = []
    if (config.get("caption") or {}).get("backend") == "none":
        off.append("captions (caption.backend: none)")
    for section, what in (
        ("aesthetics", "aesthetics: aesthetic and image_embedding are null, no low_aesthetic"),
        ("ocr", "OCR: text_area_frac is null, no text_overlay/subtitles"),
        ("motion", "optical flow: motion scores are null, no low_motion/chaotic_motion"),
        ("frame_quality", "brightness and blur: null, no too_dark/too_bright/blurry"),
    ):
        if (config.get(section) or {}).get("enabled") is False:
            off.append(f"{what} ({section}.enabled: false)")
    ocr = config.get("ocr") or {}
    if ocr.get("enabled") and not ocr.get("recognize_text"):
        off.append("OCR text recognition: ocr_text is null (ocr.recognize_text: false)")
    dedup = config.get("dedup") or {}
    if dedup.get("max_hamming") is None:
        off.append("near-duplicate video (dedup.max_hamming: null)")
    if dedup.get("caption_mode") is None:
        off.append("caption near-duplicates (dedup.caption_mode: null)")
    elif dedup.get("caption_mode") == "flag":
        off.append("dropping caption near-duplicates: flagged only (dedup.caption_mode: flag)")
    if dedup.get("per_source_cap") is None:
        off.append("clips-per-source cap (dedup.per_source_cap: null)")
    for section in ("gate", "quality"):
        for key, value in (config.get(section) or {}).items():
            if value is None:
                off.append(f"check {section}.{key} (null)")
    return off


def warm() -> None:
    """What the report reads that no run output decides, done ahead (a thread of `cliploom
    run` calls it while the pipeline runs, when a core is free): DuckDB's import and the
    installed versions, ~0.3 s of the report's serial wall after the run."""
    import duckdb  # noqa: F401

    versions()


@functools.cache
def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in _PACKAGES:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return found


def _timing(stats: dict) -> dict | None:
    from pipelines.progress import ordered

    timing = stats.get("timing")
    if not timing or not timing.get("stages"):
        return timing
    stages = timing["stages"]
    return {**timing, "stages": {s: stages[s] for s in ordered(stages)}}


def build_report(out_dir: str, stats: dict | None = None) -> str:
    """The report's HTML for the run in `out_dir`."""
    out_dir = out_dir.rstrip("/")
    config = run_config(out_dir)
    report = ReportConfig(**(config.get("report") or {}))
    if stats is None:
        text = _read_text(FileSystems.join(out_dir, STATS))
        stats = json.loads(text) if text else {}
    with open_tables(out_dir, f"{report.memory_mb}MB") as con:
        known = columns(con)
        funnel = data.funnel(con, report.rows_per_pass)
        shown, unthresholded = [], []
        for score in data.scores(config):
            if all(c in known for c in (score.needs or (score.name,))):
                shown.append((score, data.threshold_values(config, score.thresholds)))
                unthresholded += [
                    k for k in score.thresholds if data.config_value(config, k) is None
                ]
        found = data.histograms(con, shown, report.histogram_bins, report.quantile_sample)
        found = {score.name: h for (score, _), h in zip(shown, found, strict=True)}
        histograms = [h for h in found.values() if h is not None]
        missing = [score.name for score in data.scores(config) if found.get(score.name) is None]
        camera = []
        if "camera_motion" in known:
            camera = data.counts(
                con, "SELECT camera_motion, count(*) FROM manifest WHERE camera_motion IS NOT NULL "
                "GROUP BY 1 ORDER BY 2 DESC, 1"
            )  # fmt: skip
        samples = data.strip_samples(con, known, report.examples_per_reason, report.kept_examples)
        captions = data.caption_pairs(con, known, report.caption_pairs)
        dups = data.duplicate_groups(con, known, report.duplicate_groups, report.rows_per_pass)
        failures = data.failure_groups(con, report.failure_examples)
        source_total, source_rows = data.per_source(con, report.sources, report.rows_per_pass)
    picked = {c["clip_id"]: c for clips in samples.values() for c in clips}
    strips = read_strips(out_dir, picked.values())
    reason_counts = {r["reason"]: r["clips"] for r in funnel["reasons"]}
    reason_counts["kept"] = funnel["steps"][4][1]
    sections = [
        page.summary(stats, funnel),
        page.funnel_section(funnel),
        page.scores_section(histograms, missing, sorted(set(unthresholded)), camera),
        page.examples_section(samples, strips, reason_counts),
        page.captions_section(captions, (config.get("caption") or {}).get("backend")),
        page.duplicates_section(dups),
        page.failures_section(failures),
        page.sources_section(source_total, source_rows),
        page.run_section(config, switched_off(config), versions(), _timing(stats)),
    ]
    return page.page("cliploom report", sections)


def write_report(out_dir: str, stats: dict | None = None) -> str:
    """Write OUT/report.html (atomically); returns its path."""
    from transforms.tables import write_atomically

    html = build_report(out_dir, stats).encode()
    path = FileSystems.join(out_dir.rstrip("/"), REPORT)
    write_atomically(path, lambda stream: stream.write(html))
    return path
