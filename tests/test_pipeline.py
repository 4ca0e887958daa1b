"""End-to-end runs of the whole pipeline on real and hostile video, plus Beam-level stage tests."""

import gc
import json
from pathlib import Path

import apache_beam as beam
import pytest
import webdataset as wds
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from pipelines.cli import main
from tests.conftest import TESTDATA, read_rows, table_bytes
from transforms.common import FAILED
from transforms.probe import ProbeVideos
from transforms.tables import read_table

BAD = TESTDATA / "synthetic" / "bad"
INPUTS = [
    str(TESTDATA / "real"),
    str(BAD),
    str(TESTDATA / "synthetic/cuts/hard_cuts.mp4"),
    str(TESTDATA / "synthetic/dedup/B.mp4"),
    str(TESTDATA / "synthetic/dedup/B_copy.mp4"),
]
MANIFEST_COLUMNS = {
    "clip_id",
    "source",
    "source_sha256",
    "scene_index",
    "scene_start_s",
    "scene_end_s",
    "start_s",
    "end_s",
    "duration_s",
    "width",
    "height",
    "fps",
    "status",
    "drop_reasons",
    "shard",
}


def run(out: Path, inputs=INPUTS, *extra: str) -> Path:
    assert main(["run", *inputs, "--out", str(out), *extra]) == 0
    assert gc.get_freeze_count() == 0  # only the program's own exit freezes the heap
    return out


def table(out: Path, name: str) -> list[dict]:
    return read_rows(out, name)


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    return run(tmp_path_factory.mktemp("run") / "out")


def rows_for(rows, name):
    return [r for r in rows if Path(r["source"]).name == name]


def test_manifest_has_every_candidate(out):
    manifest = read_table(str(out), "manifest")
    assert set(manifest.column_names) >= MANIFEST_COLUMNS
    rows = manifest.to_pylist()
    assert len({r["clip_id"] for r in rows}) == len(rows)
    for r in rows:
        assert r["status"] in ("kept", "dropped")
        assert (r["status"] == "kept") == (not r["drop_reasons"])
        assert (r["shard"] is not None) == (r["status"] == "kept")
        if r["shard"]:
            assert (out / "shards" / r["shard"]).is_file()
    assert all(
        r["drop_reasons"] == ["low_resolution"] and r["scene_index"] is None
        for r in rows_for(rows, "carphone_pristine.mp4")
    )
    assert {tuple(r["drop_reasons"]) for r in rows_for(rows, "bikes.mp4")} == {(), ("too_short",)}


def test_bikes_clips_stay_inside_published_scenes(out, real_truth):
    cuts = real_truth["bikes.mp4"]["cuts_s"]
    kept = [r for r in rows_for(table(out, "manifest"), "bikes.mp4") if r["shard"]]
    assert len(kept) == 2  # the 2.44 s and 2.2 s scenes; the rest are under 2 s once trimmed
    for r in kept:
        assert not any(r["start_s"] < cut < r["end_s"] for cut in cuts)


def test_exact_duplicate_source_processed_once(out):
    rows = table(out, "manifest")
    (copy,) = rows_for(rows, "B_copy.mp4")
    assert copy["drop_reasons"] == ["duplicate"] and copy["note"].endswith("B.mp4")
    assert any(r["status"] == "kept" for r in rows_for(rows, "B.mp4"))


def test_bad_inputs_fail_cleanly_and_the_rest_is_complete(out, truth):
    failures = table(out, "failures")
    manifest = table(out, "manifest")
    assert set(failures[0]) == {"source", "stage", "error", "detail"}
    for name in truth["bad"]["must_fail_cleanly"]:
        (row,) = rows_for(failures, name)
        assert row["stage"] == "probe" and row["error"] and row["detail"]
        assert not rows_for(manifest, name)
    kept = {r["clip_id"] for r in manifest if r["status"] == "kept"}
    for name in truth["bad"]["must_process"]:
        # Kept, or a near-duplicate of a kept clip: several of these files and a scene of
        # hard_cuts.mp4 render the same lavfi sources.
        assert any(
            r["status"] == "kept" or r["duplicate_of"] in kept for r in rows_for(manifest, name)
        ), name
        assert not rows_for(failures, name)
    truncated = "truncated.mp4"
    assert rows_for(failures, truncated) or rows_for(manifest, truncated)
    real = [f for f in failures if "/real/" in f["source"]]
    assert real == []
    real_sources = {r["source"] for r in manifest if "/real/" in r["source"]}
    assert len(real_sources) == len(
        [p for p in (TESTDATA / "real").iterdir() if p.suffix in (".mp4", ".webm")]
    )


def test_shards_read_back_with_webdataset(out):
    manifest = table(out, "manifest")
    kept = {r["clip_id"]: r for r in manifest if r["status"] == "kept"}
    shards = sorted(str(p) for p in (out / "shards").glob("*.tar"))
    assert shards and all(Path(s).name.startswith("clips-") for s in shards)
    samples = list(wds.WebDataset(shards, shardshuffle=False).decode())
    assert sorted(s["__key__"] for s in samples) == sorted(kept)
    for sample in samples:
        meta = sample["json"]
        assert meta["clip_id"] == sample["__key__"] and meta["status"] == "kept"
        assert meta == {k: kept[meta["clip_id"]][k] for k in meta}
        assert sample["mp4"][4:8] == b"ftyp" and sample["jpg"][:2] == b"\xff\xd8"


def test_stats_agree_with_tables(out):
    stats = json.loads((out / "stats.json").read_text())
    manifest = table(out, "manifest")
    failures = table(out, "failures")
    assert stats["clips"]["kept"] == sum(r["status"] == "kept" for r in manifest)
    assert sum(stats["failures"].values()) == len(failures)
    # B_copy (byte-identical) + near-duplicates: rotated.mp4 and 测试 视频.mp4 of a hard_cuts
    # scene, vp9.webm and vfr.mp4 of another (the same testsrc2 frames, timestamp overlay and
    # all; found since the samples are scaled with the area filter on a fixed 0.5 s grid)
    assert stats["drop_reasons"]["duplicate"] == 5
    assert 0 < stats["hours_out"] < stats["hours_in"]
    assert stats["counters"]["probe"]["total"] == stats["inputs"]
    assert stats["counters"]["scenes"]["dropped.too_short"] == stats["drop_reasons"]["too_short"]


def test_outputs_are_committed_and_marked_done(out):
    names = {p.name for p in out.iterdir()}
    assert {"shards", "manifest", "failures", "stats.json", "report.html", "_SUCCESS"} <= names
    assert not (out / ".tmp").exists()  # temporary files renamed or removed
    assert all(p.suffix == ".tar" for p in (out / "shards").iterdir())
    done = [json.loads(p.read_text()) for p in (out / "_progress").glob("part-*.json")]
    inputs = {r["source"] for r in table(out, "manifest")} | {
        f["source"] for f in table(out, "failures")
    }
    assert sorted(s for record in done for s in record["sources"]) == sorted(inputs)


def test_rerun_is_byte_identical(out, tmp_path):
    again = run(tmp_path / "again")
    for name in ("manifest", "failures"):
        assert table_bytes(out, name) == table_bytes(again, name), name
    first = {p.name: p.read_bytes() for p in (out / "shards").iterdir()}
    second = {p.name: p.read_bytes() for p in (again / "shards").iterdir()}
    assert first == second


def test_config_overrides_change_the_result(tmp_path):
    out = run(
        tmp_path / "o",
        [str(TESTDATA / "real/bikes.mp4")],
        "--set",
        "clips.min_clip_s=1.5",
        "--set",
        "write.shard_prefix=bikes",
    )
    rows = table(out, "manifest")
    assert sum(r["status"] == "kept" for r in rows) == 4  # scenes of 1.6-2 s now qualify
    assert [p.name for p in (out / "shards").iterdir()] == ["bikes-000000-000.tar"]


def test_probe_stage_routes_bad_files_to_dead_letter(config):
    good, bad = str(TESTDATA / "real/bikes.mp4"), str(BAD / "empty.mp4")
    with TestPipeline() as p:
        result = p | beam.Create([good, bad]) | ProbeVideos(config.probe)
        assert_that(
            result.videos | beam.Map(lambda v: (v.source, v.width)),
            equal_to([(good, 640)]),
            label="main",
        )
        assert_that(
            result[FAILED] | beam.Map(lambda f: (f.source, f.stage, f.error)),
            equal_to([(bad, "probe", "empty_file")]),
            label="dead_letter",
        )


def test_missing_inputs_are_failure_rows(tmp_path):
    listed = tmp_path / "list.txt"
    listed.write_text(f"{tmp_path / 'gone.mp4'}\n")  # a list's entries are not checked: probe
    inputs = [str(TESTDATA / "real/bikes.mp4"), str(tmp_path / "nope.mp4"), str(listed)]
    out = run(tmp_path / "o", inputs)
    failures = {Path(f["source"]).name: (f["stage"], f["error"]) for f in table(out, "failures")}
    assert failures == {"nope.mp4": ("inputs", "not_found"), "gone.mp4": ("probe", "not_a_file")}


def test_hostile_file_names_are_only_names(tmp_path):
    src = (TESTDATA / "synthetic/bad/vp9.webm").read_bytes()
    inputs = tmp_path / "in"
    inputs.mkdir()
    names = ["-i.webm", "concat:a|b.webm", "file:x.webm", "new\nline.webm", "$(id).webm"]
    for i, name in enumerate(names):
        (inputs / name).write_bytes(src + bytes([i]))  # distinct content, distinct clip ids
    # the copies are near-duplicates of each other: near-duplicate dedup off for this test
    out = run(tmp_path / "o", [str(inputs)], "--set", "dedup.max_hamming=null")
    rows = table(out, "manifest")
    assert table(out, "failures") == []
    assert sorted({Path(r["source"]).name for r in rows if r["status"] == "kept"}) == sorted(names)


def test_report_shows_reasons_strips_duplicates_and_failures(out):
    html = (out / "report.html").read_text()
    rows = table(out, "manifest")
    kept = [r for r in rows if r["status"] == "kept"]
    kept_section = html[html.index("<div class=strips data-reason='kept'>") :]
    kept_section = kept_section[: kept_section.index("<h2 ")]
    assert kept_section.count("<figure class=strip") == min(len(kept), 8)
    assert kept_section.count("<img src='data:image/jpeg") == min(len(kept), 8)
    assert "frames from sampled frames at " in kept_section
    for reason in ("too_short", "low_resolution", "duplicate"):
        assert f"<h3 id='examples-{reason}'>" in html
    for failure in table(out, "failures"):
        assert f"<code>{failure['error']}</code>" in html
    groups = {r["dup_group"] for r in rows if r["dup_group"]}
    assert f"{len(groups):,} near-duplicate groups" in html


def test_a_run_without_captions_builds_no_caption_steps(tmp_path):
    """Every Beam step costs each run start-up time: with caption.backend none, captioning and
    the caption dedup pass are one step each, a fresh run builds no resume steps, and a label
    propagation round of the video dedup is one GroupByKey and one step."""
    import configs
    from pipelines.config import PipelineConfig
    from pipelines.pipeline import build

    config = PipelineConfig.from_dict(configs.load())
    assert config.caption.backend == "none"
    p = beam.Pipeline()
    build(p, [str(TESTDATA / "real/bikes.mp4")], str(tmp_path / "out"), config)
    leaves: dict[str, list[str]] = {}

    def visit(node):
        for part in node.parts:
            visit(part)
        if not node.parts:
            leaves.setdefault(node.full_label.split("/")[0], []).append(node.full_label)

    for part in p.transforms_stack[0].parts:
        visit(part)
    assert len(leaves["CaptionClips"]) == len(leaves["DedupCaptions"]) == 1
    assert not {"Completed", "NoCheckpoints", "RestoreCheckpoints"} & set(leaves)
    rounds = [s for s in leaves["DedupClips"] if "/VisualGroups/" in s]
    assert len(rounds) == 1 + 2 * (config.dedup.component_rounds + 1)


def test_cached_beam_signatures_still_find_state_and_timers():
    """transforms.common caches Beam's method signatures: a DoFn with state is still stateful,
    one without is not, and a bound method's signature still drops its first argument."""
    import inspect

    from apache_beam.coders import VarIntCoder
    from apache_beam.transforms import core, userstate

    import transforms.common  # noqa: F401  (installs the cache)

    class Counting(beam.DoFn):
        COUNT = userstate.ReadModifyWriteStateSpec("count", VarIntCoder())

        def process(self, element, count=beam.DoFn.StateParam(COUNT)):  # noqa: B008
            yield element

    class Plain(beam.DoFn):
        def process(self, element, scale=2):
            yield element * scale

    assert core.get_signature.cliploom_cached
    for _ in range(2):  # the second time from the cache
        assert userstate.is_stateful_dofn(Counting())
        assert not userstate.is_stateful_dofn(Plain())
        assert core.get_function_args_defaults(Plain().process) == (["element", "scale"], [2])
    assert core.get_signature(Plain.process) == inspect.signature(Plain.process)


def test_cached_dofn_specs_look_at_each_dofn_once(monkeypatch):
    """transforms.common caches a DoFn's state and timer specs: asking again (as Beam does at
    each check) wraps none of its methods again, and each caller gets sets of its own."""
    from apache_beam.coders import VarIntCoder
    from apache_beam.runners import common as runners_common
    from apache_beam.transforms import userstate

    import transforms.common  # noqa: F401  (installs the cache)

    class Counting(beam.DoFn):
        COUNT = userstate.ReadModifyWriteStateSpec("count", VarIntCoder())

        def process(self, element, count=beam.DoFn.StateParam(COUNT)):  # noqa: B008
            yield element

    wrapped = []

    class CountedWrapper(runners_common.MethodWrapper):
        def __init__(self, obj, name):
            wrapped.append(name)
            super().__init__(obj, name)

    monkeypatch.setattr(runners_common, "MethodWrapper", CountedWrapper)
    fn = Counting()
    assert userstate.is_stateful_dofn(fn)
    first = len(wrapped)
    assert "process" in wrapped
    userstate.validate_stateful_dofn(fn)
    assert userstate.is_stateful_dofn(fn)
    assert len(wrapped) == first
    state_specs, _ = userstate.get_dofn_specs(fn)
    assert [s.name for s in state_specs] == ["count"]
    state_specs.clear()
    assert userstate.get_dofn_specs(fn)[0] == {Counting.COUNT}
    assert userstate.is_stateful_dofn(Counting())  # a new DoFn is looked at anew
    assert len(wrapped) > first
