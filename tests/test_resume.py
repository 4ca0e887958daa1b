"""A run that dies part way, re-run with the same command into the same OUT, ends with the corpus
an uninterrupted run makes, without redoing the sources it had completed."""

import json
from pathlib import Path

import pytest

from pipelines.cli import main
from schemas import SampledClip
from tests.conftest import TESTDATA, read_rows, table_bytes
from transforms import tables, write
from transforms.checkpoint import checkpoint_records
from transforms.encode import THUMBNAIL_PICK

DEDUP = TESTDATA / "synthetic" / "dedup"
INPUTS = [
    str(TESTDATA / "synthetic/bad/garbage.mp4"),  # a failure row
    str(DEDUP / "A.mp4"),
    str(DEDUP / "A_half.mp4"),  # near-duplicates of A.mp4's clips, in another group
    str(DEDUP / "E.mp4"),
]
# one source per group; the small synthetic videos pass the resolution gate
ARGS = ("--set", "write.sources_per_group=1", "--set", "gate.min_short_side=null")
COMPARED = ("clip_id", "source", "start_s", "end_s", "status", "drop_reasons", "shard")


class Crash(RuntimeError):
    pass


def run(out: Path) -> Path:
    assert main(["run", *INPUTS, "--out", str(out), *ARGS]) == 0
    return out


def rows_by_source(out: Path) -> dict[str, list[tuple]]:
    by_source: dict[str, list[tuple]] = {}
    for r in read_rows(out):
        by_source.setdefault(Path(r["source"]).name, []).append(tuple(str(r[k]) for k in COMPARED))
    return {s: sorted(rows) for s, rows in by_source.items()}


def kept_ids(out: Path) -> list[str]:
    return sorted(r["clip_id"] for r in read_rows(out) if r["status"] == "kept")


@pytest.fixture(scope="module", autouse=True)
def groups_by_position():
    """Each input in its own group whatever the checkout's path: a group is a hash of the
    source's URI, and in about 1 clone in 64 the four paths fell in one group (no second group
    to crash in: the CI clone at /tmp/tmp.* did)."""
    from pipelines.report import strips

    names = [Path(p).name for p in INPUTS]

    def group_of(source: str, n: int) -> int:
        return names.index(Path(source).name) % n

    with pytest.MonkeyPatch.context() as patch:
        # Both names, so the patch ends with this module: the report's module imported while
        # the write stage's alone was patched kept this module's function for later tests.
        patch.setattr(write, "group_of", group_of)
        patch.setattr(strips, "group_of", group_of)
        yield


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Path:
    return run(tmp_path_factory.mktemp("clean") / "out")


def test_killed_run_resumes_to_the_same_corpus(clean, tmp_path, monkeypatch):
    out = tmp_path / "out"

    commit = tables.commit
    committed = []

    def dies_after_the_first_group(path, data_writer, tmp_dir=None):
        if "/_progress/part-" in path and committed:
            data_writer(open(Path(tmp_dir) / "half-written", "wb"))  # noqa: SIM115
            raise Crash("worker lost")
        commit(path, data_writer, tmp_dir)
        if "/_progress/part-" in path:
            committed.append(path)

    monkeypatch.setattr(tables, "commit", dies_after_the_first_group)
    with pytest.raises(Exception, match="worker lost"):
        run(out)
    monkeypatch.setattr(tables, "commit", commit)
    assert len(committed) == 1 and not (out / "_SUCCESS").exists()
    (done,) = [json.loads(Path(p).read_text())["sources"] for p in committed]
    # the second group had written its shards and rows, but no completion record
    parts = [*(out / "manifest").glob("*.parquet"), *(out / "failures").glob("*.parquet")]
    assert len({p.name for p in parts}) == 2

    run(out)
    stats = json.loads((out / "stats.json").read_text())
    assert stats["counters"]["probe"]["total"] == len(INPUTS) - len(done)  # done: not redone
    assert kept_ids(out) == kept_ids(clean)
    resumed, uninterrupted = rows_by_source(out), rows_by_source(clean)
    assert resumed.keys() == uninterrupted.keys()
    assert resumed == uninterrupted
    # A_half.mp4 repeats A.mp4 (which outranks it) whichever of them completed first
    assert [row[4:6] for row in resumed["A_half.mp4"]] == [("dropped", "['duplicate']")]
    clean_stats = json.loads((clean / "stats.json").read_text())
    assert stats["clips"]["kept"] == clean_stats["clips"]["kept"]
    assert stats["hours_out"] == clean_stats["hours_out"]
    assert stats["failures"] == clean_stats["failures"]
    assert sorted(p.name for p in (out / "shards").iterdir()) == sorted(
        p.name for p in (clean / "shards").iterdir()
    )
    assert table_bytes(out, "strips") == table_bytes(clean, "strips") != {}
    assert not (out / ".tmp").exists() and (out / "_SUCCESS").exists()

    # the same command once more: every source is done, nothing is redone or changed
    before = {p: p.read_bytes() for p in (out / "manifest").iterdir()}
    run(out)
    assert {p: p.read_bytes() for p in (out / "manifest").iterdir()} == before
    assert json.loads((out / "stats.json").read_text())["counters"].get("probe") is None


def test_run_killed_before_the_write_stage_resumes_from_checkpoints(clean, tmp_path, monkeypatch):
    out = tmp_path / "out"
    commit = tables.commit
    outputs = ("/shards/", "/manifest/", "/failures/", "/signatures/", "/strips/")
    outputs += ("/_progress/part-",)

    def dies_at_the_first_output(path, data_writer, tmp_dir=None):
        if any(name in path for name in outputs):
            raise Crash("worker lost")
        commit(path, data_writer, tmp_dir)

    monkeypatch.setattr(tables, "commit", dies_at_the_first_output)
    with pytest.raises(Exception, match="worker lost"):
        run(out)
    monkeypatch.setattr(tables, "commit", commit)
    # every source that was decoded has its checkpoint; nothing of the write stage is there
    assert len(list((out / "_checkpoint").glob("*.pkl"))) == 3  # garbage.mp4 fails at probe
    # kept clips are saved signed, with only their thumbnail's frame (captions are off)
    kept = [
        record
        for path in (out / "_checkpoint").glob("*.pkl")
        for record in checkpoint_records({"path": str(path)})
        if isinstance(record, SampledClip)
    ]
    assert kept and all(s.clip.phash is not None for s in kept)
    for s in kept:
        assert {i for i, f in enumerate(s.frames_jpg) if f} == set(s.pick(THUMBNAIL_PICK))
    assert not list(out.glob("*/*.parquet")) and not list(out.glob("shards/*.tar"))

    run(out)
    counters = json.loads((out / "stats.json").read_text())["counters"]
    assert counters["probe"]["total"] == len(INPUTS)  # probe and gate are cheap: run again
    assert "scenes" not in counters and "score" not in counters  # nothing decoded again
    assert kept_ids(out) == kept_ids(clean)
    assert rows_by_source(out) == rows_by_source(clean)
    assert sorted(p.name for p in (out / "shards").iterdir()) == sorted(
        p.name for p in (clean / "shards").iterdir()
    )
    for shard in (out / "shards").iterdir():  # byte-identical tars: same clips, same bytes
        assert shard.read_bytes() == (clean / "shards" / shard.name).read_bytes()
    # the report's strips, made from the checkpointed samples: the same examples, same pictures
    assert table_bytes(out, "strips") == table_bytes(clean, "strips") != {}
    clean_stats = json.loads((clean / "stats.json").read_text())
    stats = json.loads((out / "stats.json").read_text())
    assert stats["clips"] == clean_stats["clips"] and stats["failures"] == clean_stats["failures"]
    # a group's checkpoints go once its completion record is committed
    assert not (out / "_checkpoint").exists() and (out / "_SUCCESS").exists()


def test_a_different_command_into_the_same_out_is_refused(tmp_path):
    out = tmp_path / "out"
    assert main(["run", INPUTS[0], "--out", str(out)]) == 0  # garbage.mp4: fails at probe
    with pytest.raises(SystemExit, match="other inputs or settings"):
        main(["run", INPUTS[0], "--out", str(out), "--set", "clips.min_clip_s=1.5"])
