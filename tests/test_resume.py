"""A run that dies part way, re-run with the same command into the same OUT, ends with the corpus
an uninterrupted run makes, without redoing the sources it had completed."""

import json
from pathlib import Path

import pytest

from pipelines.cli import main
from tests.conftest import TESTDATA, read_rows
from transforms import tables

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


def test_killed_run_resumes_to_the_same_corpus(tmp_path, monkeypatch):
    clean = run(tmp_path / "clean")
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
    assert not (out / ".tmp").exists() and (out / "_SUCCESS").exists()

    # the same command once more: every source is done, nothing is redone or changed
    before = {p: p.read_bytes() for p in (out / "manifest").iterdir()}
    run(out)
    assert {p: p.read_bytes() for p in (out / "manifest").iterdir()} == before
    assert json.loads((out / "stats.json").read_text())["counters"].get("probe") is None


def test_a_different_command_into_the_same_out_is_refused(tmp_path):
    out = tmp_path / "out"
    assert main(["run", INPUTS[0], "--out", str(out)]) == 0  # garbage.mp4: fails at probe
    with pytest.raises(SystemExit, match="other inputs or settings"):
        main(["run", INPUTS[0], "--out", str(out), "--set", "clips.min_clip_s=1.5"])
