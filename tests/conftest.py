import json
import os
import subprocess
from pathlib import Path

import pytest

import configs
from pipelines.config import PipelineConfig

ROOT = Path(__file__).resolve().parents[1]
TESTDATA = ROOT.parent / "shared" / "testdata"

if not TESTDATA.is_dir():
    pytest.exit(f"test videos not found at {TESTDATA} (../shared/testdata)", returncode=2)


@pytest.fixture(scope="session")
def truth() -> dict:
    return json.loads((TESTDATA / "synthetic" / "truth.json").read_text())


@pytest.fixture(scope="session")
def real_truth() -> dict:
    return json.loads((TESTDATA / "real" / "truth.json").read_text())


@pytest.fixture(scope="session")
def config() -> PipelineConfig:
    return PipelineConfig.from_dict(configs.load())


def make_video(path: Path, *args: str) -> Path:
    """Render a test video with the bundled ffmpeg: `args` go between the binary and `path`."""
    from transforms.media import ffmpeg_exe

    cmd = [ffmpeg_exe(), "-nostdin", "-loglevel", "error", "-y", *args, str(path)]
    subprocess.run(cmd, check=True, env={**os.environ})
    return path


@pytest.fixture
def rotated_video(tmp_path) -> Path:
    """A 320x240 H.264 clip whose display matrix turns it a quarter: upright it is 240x320."""
    src = make_video(
        tmp_path / "src.mp4",
        "-f",
        "lavfi",
        "-i",
        "testsrc2=s=320x240:d=3:r=25",
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
    )
    return make_video(tmp_path / "rot.mp4", "-display_rotation", "90", "-i", str(src), "-c", "copy")


def read_rows(out: Path, name: str = "manifest") -> list[dict]:
    """Rows of OUT's `manifest` or `failures` table (the directory of parts, or an old file)."""
    from transforms.tables import read_table

    return read_table(str(out), name).to_pylist()


def table_bytes(out: Path, name: str = "manifest") -> dict[str, bytes]:
    """The files of OUT's table `name` by file name: equal when two runs wrote the same table."""
    return {p.name: p.read_bytes() for p in sorted((out / name).glob("*.parquet"))}
