import dataclasses
import io
import json
import tarfile

import apache_beam as beam
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
import webdataset as wds
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from schemas import Clip, ClipMedia, Failure, arrow_schema
from transforms import tables
from transforms.inputs import InputConfig, ListInputs, names_list
from transforms.write import (
    PROGRESS,
    ReadProgress,
    SkipCompleted,
    WriteConfig,
    WriteCorpus,
    WriteStats,
    _WriteGroupFn,
    group_of,
    pack,
    shard_name,
    start_or_resume,
)


def make_clip(i: int, source: str | None = None) -> Clip:
    return Clip(
        clip_id=f"id{i:03d}",
        source=source or f"s{i}.mp4",
        source_sha256="0" * 64,
        scene_index=0,
        scene_start_s=0.0,
        scene_end_s=3.0,
        start_s=0.1,
        end_s=2.9,
        duration_s=2.8,
        width=64,
        height=48,
        fps=25.0,
        source_duration_s=3.0,
    )


def write_corpus(out, media, rows=(), failures=(), config=None, sources=None):
    """Run WriteCorpus and WriteStats as the pipeline wires them."""
    config = config or WriteConfig()
    sources = sources or sorted({m.clip.source for m in media} | {r.source for r in rows})
    with TestPipeline() as p:
        summaries = {
            "media": p | "Media" >> beam.Create(media),
            "rows": p | "Rows" >> beam.Create(list(rows)),
            "failures": p | "Failures" >> beam.Create(list(failures)),
        } | WriteCorpus(str(out), config, sources=p | "Sources" >> beam.Create(sources))
        _ = summaries | WriteStats(str(out))
    return out


def test_pack_sorts_ids_and_fills_to_target():
    sizes = [("c", 40), ("a", 40), ("b", 40), ("d", 10)]
    assert pack(sizes, target_bytes=100) == [["a", "b"], ["c", "d"]]
    assert pack(list(reversed(sizes)), 100) == [["a", "b"], ["c", "d"]]
    assert pack([("a", 500), ("b", 1)], 100) == [["a"], ["b"]]  # oversized: a shard of its own
    assert pack([], 100) == []


def test_group_of_is_stable_and_spreads():
    groups = [group_of(f"gs://bucket/v{i}.mp4", 8) for i in range(400)]
    assert groups == [group_of(f"gs://bucket/v{i}.mp4", 8) for i in range(400)]
    assert set(groups) == set(range(8))
    assert group_of("a.mp4", 1) == 0


def test_one_group_written_read_back_and_reproducible(tmp_path):
    media = [
        ClipMedia(make_clip(i, "one.mp4"), mp4=b"\x00" * 5000 + bytes([i]), jpg=b"\xff\xd8")
        for i in range(5)
    ]
    dropped = dataclasses.replace(make_clip(9, "one.mp4"), start_s=0.0).with_reasons("too_short")
    failure = Failure("one.mp4", "encode", "undecodable", "clip id009")
    config = WriteConfig(shard_prefix="t", target_shard_mb=0.012)
    outs = [write_corpus(tmp_path / r, media, [dropped], [failure], config) for r in "ab"]

    shards = sorted((outs[0] / "shards").iterdir())
    names = [shard_name("t", 0, part) for part in range(3)]
    assert [p.name for p in shards] == names
    for name in ("shards", "manifest", "failures", PROGRESS):
        first = {p.name: p.read_bytes() for p in (outs[0] / name).iterdir()}
        assert first == {p.name: p.read_bytes() for p in (outs[1] / name).iterdir()}, name
    assert not any((outs[0] / tables.TMP).iterdir())  # every temporary file renamed

    samples = list(wds.WebDataset([str(p) for p in shards], shardshuffle=False).decode())
    assert [s["__key__"] for s in samples] == [f"id{i:03d}" for i in range(5)]
    assert samples[2]["json"]["shard"] == names[1] and samples[4]["mp4"][-1] == 4
    with tarfile.open(fileobj=io.BytesIO(shards[0].read_bytes())) as tar:
        assert {m.mtime for m in tar.getmembers()} == {946684800}

    manifest = ds.dataset(outs[0] / "manifest", format="parquet")
    assert manifest.schema == arrow_schema(Clip)
    rows = manifest.to_table().to_pylist()
    assert [(r["clip_id"], r["shard"]) for r in rows] == [
        ("id009", None),  # starts first: rows sorted by (source, start_s, clip_id)
        *[(s["__key__"], s["json"]["shard"]) for s in samples],
    ]
    assert pq.read_table(outs[0] / "failures").to_pylist() == [dataclasses.asdict(failure)]
    (record,) = [json.loads(p.read_text()) for p in (outs[0] / PROGRESS).iterdir()]
    assert record["sources"] == ["one.mp4"] and record["summary"]["kept"] == 5
    stats = json.loads((outs[0] / "stats.json").read_text())
    assert stats["clips"] == {"candidates": 6, "kept": 5, "dropped": 1}
    assert stats["drop_reasons"] == {"too_short": 1} and stats["shards"] == 3
    assert stats["failures"] == {"encode.undecodable": 1}


def test_staged_mp4_read_into_the_shard_as_bytes_are_and_then_removed(tmp_path):
    """A ClipMedia whose mp4 the encode stage staged (`mp4_path`) gives the same shard as one
    carrying the bytes, and its staged file is gone once the group is committed."""
    staging = tmp_path / "staged" / tables.TMP / "media"
    staging.mkdir(parents=True)
    carried, staged = [], []
    for i in range(3):
        clip, mp4 = make_clip(i, "one.mp4"), b"\x00" * 3000 + bytes([i])
        (staging / f"{clip.clip_id}.mp4").write_bytes(mp4)
        carried.append(ClipMedia(clip, mp4=mp4, jpg=b"\xff\xd8"))
        path = str(staging / f"{clip.clip_id}.mp4")
        staged.append(ClipMedia(clip, mp4=b"", jpg=b"\xff\xd8", mp4_path=path))
    config = WriteConfig(shard_prefix="t", target_shard_mb=0.008)
    outs = [
        write_corpus(tmp_path / name, media, config=config)
        for name, media in (("carried", carried), ("staged", staged))
    ]
    shards = [{p.name: p.read_bytes() for p in (o / "shards").iterdir()} for o in outs]
    assert len(shards[0]) == 2 and shards[0] == shards[1]
    assert not any(staging.iterdir())

    # A retried bundle (the group committed, its staged mp4s gone) yields the recorded summary.
    fn = _WriteGroupFn(str(outs[1]), config)
    fn.setup()
    (summary,) = fn.process((0, [("media", m) for m in staged]), groups=1)
    (record,) = [json.loads(p.read_text()) for p in (outs[1] / PROGRESS).iterdir()]
    assert summary == record["summary"] and summary["kept"] == 3
    assert shards[1] == {p.name: p.read_bytes() for p in (outs[1] / "shards").iterdir()}


def test_sources_spread_over_groups_and_each_shard_holds_one_group(tmp_path):
    media = [ClipMedia(make_clip(i), mp4=b"\x00" * 100, jpg=b"\xff\xd8") for i in range(12)]
    out = write_corpus(tmp_path / "o", media, config=WriteConfig(sources_per_group=3))
    rows = tables.read_table(str(out), tables.MANIFEST).to_pylist()
    assert sorted(r["clip_id"] for r in rows) == [m.clip.clip_id for m in media]
    for r in rows:  # 12 sources / 3 per group = 4 groups; the shard names its source's group
        assert r["shard"] == shard_name("clips", group_of(r["source"], 4), 0)
    parts = sorted(p.name for p in (out / "manifest").iterdir())
    assert parts == sorted({tables.part_name(group_of(r["source"], 4)) for r in rows})
    stats = json.loads((out / "stats.json").read_text())
    assert stats["clips"]["kept"] == 12 and stats["shards"] == len(parts)


def test_commit_leaves_nothing_when_the_writer_fails(tmp_path):
    path = str(tmp_path / "shards" / "x.tar")
    (tmp_path / "shards").mkdir()

    def broken(stream):
        stream.write(b"half a shard")
        raise RuntimeError("worker died")

    with pytest.raises(RuntimeError):
        tables.commit(path, broken, str(tmp_path / tables.TMP))
    assert list((tmp_path / "shards").iterdir()) == []
    assert list((tmp_path / tables.TMP).iterdir()) == []
    tables.commit(path, lambda s: s.write(b"whole"), str(tmp_path / tables.TMP))
    assert (tmp_path / "shards" / "x.tar").read_bytes() == b"whole"


def test_readers_take_the_directory_or_an_old_single_file(tmp_path):
    clips = [make_clip(i) for i in range(3)]
    table = tables.rows_table(clips, tables.MANIFEST)
    (tmp_path / "new" / "manifest").mkdir(parents=True)
    pq.write_table(table.slice(0, 2), tmp_path / "new" / "manifest" / "part-000000.parquet")
    pq.write_table(table.slice(2), tmp_path / "new" / "manifest" / "part-000001.parquet")
    (tmp_path / "old").mkdir()
    pq.write_table(table, tmp_path / "old" / "manifest.parquet")
    for out in ("new", "old"):
        got = tables.read_table(str(tmp_path / out), tables.MANIFEST, ["clip_id", "status"])
        assert got.to_pylist() == [{"clip_id": c.clip_id, "status": "kept"} for c in clips]
        assert tables.has_table(str(tmp_path / out), tables.MANIFEST)
    empty = tables.read_table(str(tmp_path / "new"), tables.FAILURES)
    assert empty.num_rows == 0 and empty.schema == arrow_schema(Failure)


def test_resume_skips_recorded_sources_and_cleans_unfinished_groups(tmp_path):
    out = tmp_path / "o"
    media = [ClipMedia(make_clip(i), mp4=b"\x00" * 100, jpg=b"\xff\xd8") for i in range(6)]
    config = WriteConfig(sources_per_group=2)
    command = {"inputs": ["x"], "config": {}}
    assert start_or_resume(str(out), command, config) is False
    write_corpus(out, media, config=config)
    records = sorted((out / PROGRESS).glob("part-*.json"))
    assert len(records) >= 2  # 6 sources hashed into 3 groups: one may stay empty
    # an attempt that died in group `lost`: its files stay, its completion record is gone
    lost = records[0]
    lost_group = int(lost.stem.split("-")[1])
    lost_sources = json.loads(lost.read_text())["sources"]
    lost.unlink()
    assert start_or_resume(str(out), command, config) is True
    assert not (out / "manifest" / tables.part_name(lost_group)).exists()
    assert not list((out / "shards").glob(f"clips-{lost_group:06d}-*.tar"))
    assert len(list((out / "manifest").iterdir())) == len(records) - 1

    uris = [m.clip.source for m in media] + ["new.mp4"]
    with TestPipeline() as p:
        progress = p | ReadProgress(str(out))
        todo = p | beam.Create(uris) | SkipCompleted(progress)
        assert_that(todo, equal_to([*lost_sources, "new.mp4"]))
    with pytest.raises(ValueError, match="other inputs or settings"):
        start_or_resume(str(out), {"inputs": ["y"], "config": {}}, config)


def test_uri_lists_are_read_in_parallel_without_checking_entries(tmp_path):
    (tmp_path / "videos").mkdir()
    (tmp_path / "videos" / "a.mp4").write_bytes(b"x")
    (tmp_path / "videos" / "notes.md").write_bytes(b"x")
    text = tmp_path / "list.txt"
    text.write_text(f"# comment\n{tmp_path}/missing.mp4\n\n{tmp_path}/videos\ngs://b/c.webm\n")
    parquet = tmp_path / "list.parquet"
    uris = [f"gs://b/{i}.mp4" for i in range(5)]
    pq.write_table(pa.table({"uri": uris, "n": list(range(5))}), parquet, row_group_size=2)
    assert pq.ParquetFile(parquet).num_row_groups == 3
    specs = [str(text), str(parquet), str(tmp_path / "nope.txt")]
    with TestPipeline() as p:
        listed = p | beam.Create(specs) | ListInputs(InputConfig())
        assert_that(
            listed["uris"],
            equal_to(
                [
                    f"{tmp_path}/missing.mp4",  # passed on: probe reports it
                    f"{tmp_path}/videos/a.mp4",
                    "gs://b/c.webm",
                    *uris,
                ]
            ),
            label="uris",
        )
        assert_that(
            listed["failed"] | beam.Map(lambda f: (f.source, f.error)),
            equal_to([(str(tmp_path / "nope.txt"), "not_found")]),
            label="failed",
        )


def test_inputs_without_lists_leave_the_list_steps_out(tmp_path):
    (tmp_path / "videos").mkdir()
    for name in ("a.mp4", "b.mkv", "notes.md"):
        (tmp_path / "videos" / name).write_bytes(b"x")
    text = tmp_path / "list.txt"
    text.write_text(f"{tmp_path}/videos/a.mp4\n")
    videos = tmp_path / "videos"
    specs = [str(videos), str(videos / "a.mp4"), str(tmp_path / "nope.mp4")]
    assert not any(map(names_list, specs))
    assert names_list(str(text)) and not names_list(f"{tmp_path}/*.txt")
    p = TestPipeline()
    listed = p | beam.Create(specs) | ListInputs(InputConfig(), lists=False)
    assert_that(listed["uris"], equal_to([str(videos / "a.mp4"), str(videos / "b.mkv")]))
    assert_that(
        listed["failed"] | beam.Map(lambda f: (f.source, f.error)),
        equal_to([(str(tmp_path / "nope.mp4"), "not_found")]),
        label="failed",
    )
    steps = [t.full_label for t in p.transforms_stack[0].parts if "ListInputs" in t.full_label]
    parts = [
        s.full_label for t in p.transforms_stack[0].parts if t.full_label in steps for s in t.parts
    ]
    assert steps and parts == [f"{steps[0]}/Expand", f"{steps[0]}/Distinct"]
    p.run()
    with pytest.raises(Exception, match="is a list"), TestPipeline() as p:
        _ = p | beam.Create([str(text)]) | ListInputs(InputConfig(), lists=False)


def test_no_listed_source_still_writes_its_failures_and_stats(tmp_path):
    """Every input named nothing: no source to count, so the groups are those of a count of 0
    (the count's side input has a default instead of a default-value step)."""
    failure = Failure("nope.mp4", "inputs", "not_found", "no such input: nope.mp4")
    out = write_corpus(tmp_path / "out", [], failures=[failure], sources=[])
    failures = ds.dataset(out / "failures", format="parquet").to_table().to_pylist()
    assert [(f["source"], f["error"]) for f in failures] == [("nope.mp4", "not_found")]
    assert json.loads((out / "stats.json").read_text())["failures"] == {"inputs.not_found": 1}
