"""The project reaches workers as a wheel: built, installed into a fresh virtual environment with
no source tree, and run from there on the sample video; Beam stages it with `--extra_package`."""

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pyarrow.dataset as ds
import pytest

ROOT = Path(__file__).resolve().parents[1]
IGNORED = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", "out"
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """`pip wheel .` of a copy of the tree (the build leaves nothing in the worktree)."""
    work = tmp_path_factory.mktemp("wheel")
    shutil.copytree(ROOT, work / "src", ignore=IGNORED)
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    subprocess.run([*cmd, "-q", "-w", str(work / "dist"), str(work / "src")], check=True)
    (built,) = (work / "dist").glob("cliploom-*.whl")
    return built


def test_wheel_holds_the_data_files(wheel):
    import zipfile

    names = set(zipfile.ZipFile(wheel).namelist())
    for name in (
        "configs/default.yaml",
        "configs/hq.yaml",
        "configs/dataflow.yaml",
        "configs/flink.yaml",
        "configs/lexicon_en_zh.yaml",
        "configs/prompts/caption_v1.yaml",
        "pipelines/cli.py",
        "transforms/media.py",
        "schemas/records.py",
    ):
        assert name in names, name
    assert not any(n.startswith(("tests/", "bench/", "samples/")) for n in names)


def test_wheel_runs_the_sample_pipeline_without_the_source_tree(wheel, tmp_path):
    env_dir = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    python = env_dir / "bin" / "python"
    # The fresh environment sees the shared dependencies (torch, Beam, PyAV...) through a .pth
    # after its own site-packages, so cliploom itself can only come from the wheel.
    site = Path(
        subprocess.check_output(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            text=True,
        ).strip()
    )
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps"]
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # no tree on the path
    subprocess.run([*pip, str(wheel)], check=True, env=clean)
    (site / "shared-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    run = tmp_path / "run"
    run.mkdir()
    env = {"PATH": f"{env_dir / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path)}
    where = subprocess.check_output(
        [
            str(python),
            "-c",
            "import pipelines, configs; print(pipelines.__file__, configs.__file__)",
        ],
        cwd=run,
        env=env,
        text=True,
    ).split()
    assert all(path.startswith(str(site)) for path in where), where
    sample = ROOT / "samples" / "bikes.mp4"
    result = subprocess.run(
        [str(env_dir / "bin" / "cliploom"), "run", str(sample), "--out", str(run / "out")],
        cwd=run,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = run / "out"
    manifest = out / "manifest" if (out / "manifest").is_dir() else out / "manifest.parquet"
    rows = ds.dataset(str(manifest), format="parquet").to_table().to_pylist()
    assert any(r["status"] == "kept" for r in rows)
    assert list((out / "shards").glob("*.tar"))


def test_beam_stages_the_wheel_with_extra_package(wheel, tmp_path):
    from apache_beam.options.pipeline_options import PipelineOptions
    from apache_beam.runners.portability.stager import Stager

    options = PipelineOptions([f"--extra_package={wheel}", f"--staging_location={tmp_path}"])
    resources = Stager.create_job_resources(
        options, str(tmp_path), log_submission_env_dependencies=False
    )
    assert wheel.name in str(resources)
