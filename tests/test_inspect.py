"""`cliploom inspect`: filters over the manifest in either layout, and a --where that only
accepts comparisons of columns with literals."""

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipelines.cli import main
from pipelines.inspect import WhereError, parse_where
from pipelines.tables import open_tables, table_files
from schemas import Clip, arrow_schema
from tests import counted_fs

KNOWN = {
    "clip_id": "VARCHAR",
    "status": "VARCHAR",
    "motion_mean_px": "DOUBLE",
    "scene_index": "BIGINT",
    "caption_ok": "BOOLEAN",
    "drop_reasons": "VARCHAR[]",
}


def clip_row(i: int, **fields) -> dict:
    row = {
        "clip_id": f"c{i:03d}",
        "source": f"/videos/{'a' if i % 2 else 'b'}.mp4",
        "source_sha256": "0" * 64,
        "scene_index": i,
        "scene_start_s": float(i),
        "scene_end_s": i + 3.0,
        "start_s": float(i),
        "end_s": i + 3.0,
        "duration_s": 3.0,
        "width": 640,
        "height": 360,
        "fps": 25.0,
        "source_duration_s": 100.0,
        "status": "kept",
        "drop_reasons": [],
        "motion_mean_px": i / 10,
        "embedding_model": None,
    }
    row.update(fields)
    return row


def rows() -> list[dict]:
    out = []
    for i in range(30):
        reasons = ["low_motion"] if i < 10 else (["blurry", "low_motion"] if i == 10 else [])
        out.append(clip_row(i, status="dropped" if reasons else "kept", drop_reasons=reasons))
    return out


def write(out: Path, layout: str) -> Path:
    table = pa.Table.from_pylist(rows(), schema=arrow_schema(Clip))
    out.mkdir(parents=True)
    if layout == "file":
        pq.write_table(table, out / "manifest.parquet")
    else:
        (out / "manifest").mkdir()
        pq.write_table(table.slice(0, 12), out / "manifest" / "part-00000.parquet")
        pq.write_table(table.slice(12), out / "manifest" / "part-00001.parquet")
        (out / "manifest" / ".tmp-123-part-00002.parquet").write_bytes(b"half a file")
    return out


@pytest.fixture(params=["file", "directory"])
def out(request, tmp_path) -> Path:
    return write(tmp_path / "out", request.param)


def inspect(capsys, *args: str) -> tuple[int, list[str], str]:
    code = main(["inspect", *args])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


def test_both_layouts_read_as_one_table(out):
    files = table_files(str(out), "manifest")
    assert len(files) == (1 if (out / "manifest.parquet").exists() else 2)
    with open_tables(str(out)) as con:
        assert con.execute("SELECT count(*) FROM manifest").fetchone()[0] == 30
        assert con.execute("SELECT count(*) FROM failures").fetchone()[0] == 0  # none written


def test_reason_source_and_where_filter(out, capsys):
    code, lines, _ = inspect(capsys, str(out), "--reason", "low_motion", "--json")
    assert code == 0
    assert len([line for line in lines if line.startswith("{")]) == 11
    code, lines, _ = inspect(
        capsys, str(out), "--where", "motion_mean_px < 1 and status = 'dropped'",
        "--columns", "clip_id,motion_mean_px",
    )  # fmt: skip
    assert code == 0 and lines[0] == "clip_id\tmotion_mean_px"
    assert sorted(line.split("\t")[0] for line in lines[1:-1]) == [f"c{i:03d}" for i in range(10)]
    assert lines[-1] == "# 10 matching clips"
    code, lines, _ = inspect(
        capsys, str(out), "--source", "a.mp4", "--where",
        "(motion_mean_px >= 2.5 or scene_index = 0) and status != 'dropped'", "--json",
    )  # fmt: skip
    ids = [line.split('"clip_id": "')[1][:4] for line in lines if line.startswith("{")]
    assert ids == [f"c{i:03d}" for i in range(25, 30) if i % 2]


def test_limit_and_clip_record(out, capsys):
    code, lines, _ = inspect(capsys, str(out), "--where", "status = 'kept'", "--limit", "5")
    assert (
        code == 0 and len(lines) == 1 + 5 + 1 and lines[-1].startswith("# 5 of 19 matching clips")
    )
    code, lines, _ = inspect(capsys, str(out), "--clip", "c010")
    assert code == 0
    record = dict(line.split(None, 1) for line in lines)
    assert record["drop_reasons"] == '["blurry", "low_motion"]'
    assert record["motion_mean_px"] == "1.0" and record["status"] == '"dropped"'
    _, lines, _ = inspect(capsys, str(out))
    assert lines[0] == "30 clips: 19 kept, 11 dropped"
    assert lines[1].split() == ["low_motion", "11"]


@pytest.mark.parametrize(
    "expr",
    [
        "1 = 1",
        "motion_mean_px < 1; DROP TABLE manifest",
        "motion_mean_px < abs(1)",
        "motion_mean_px < other_column",
        "status = kept",
        "nope < 1",
        "drop_reasons = 'x'",
        "motion_mean_px < 1 or",
        "(motion_mean_px < 1",
        "motion_mean_px < 1) or (1 = 1",
        "motion_mean_px < 1 union select 1",
        "motion_mean_px between 1 and 2",
        "motion_mean_px < null",
        "",
        "motion_mean_px < 'a' -- comment",
        "motion_mean_px < 1e999",
    ],
)
def test_where_refuses_anything_but_comparisons(expr):
    with pytest.raises(WhereError):
        parse_where(expr, KNOWN)


def test_where_parameterises_literals():
    sql, params = parse_where(
        "motion_mean_px<1 AND (status == 'it''s' OR caption_ok = true) or clip_id != null",
        KNOWN,
    )
    assert sql == (
        '(("motion_mean_px" < ? AND ("status" = ? OR "caption_ok" = ?)) OR "clip_id" IS NOT NULL)'
    )
    assert params == [1, "it's", True]


def test_bad_where_is_an_error_not_a_crash(out, capsys):
    code, _, err = inspect(capsys, str(out), "--where", "motion_mean_px < 1; select 1")
    assert code == 2 and "cannot read" in err
    code, _, err = inspect(capsys, str(out), "--columns", "clip_id,nope")
    assert code == 2 and "unknown columns" in err
    code, _, err = inspect(capsys, str(out), "--clip", "nope")
    assert code == 1 and "no clip 'nope'" in err
    code, _, err = inspect(capsys, str(out.parent / "missing"))
    assert code == 2 and "no manifest" in err


def test_a_remote_run_reads_as_the_local_one(out, capsys):
    """`counted://` stands for gs:// or s3://: DuckDB reads the parts through Beam.
    (tests/test_report.py checks that they are read in place, by range.)"""
    remote = counted_fs.remote(out)
    for args in (
        (),
        ("--reason", "low_motion", "--json"),
        ("--where", "motion_mean_px < 1", "--columns", "clip_id,motion_mean_px"),
        ("--clip", "c007"),
    ):
        local = inspect(capsys, str(out), *args)
        assert local[0] == 0 and local[1]
        assert inspect(capsys, remote, *args) == local
