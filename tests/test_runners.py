"""The same run on every runner cliploom supports gives the same corpus as DirectRunner in memory.

Two short real videos (one kept, one gated), so each runner's start-up dominates; marked
`runners` (run in CI with the rest; `-m "not runners"` skips them locally).
"""

from pathlib import Path

import pytest

from pipelines.cli import main
from tests.conftest import TESTDATA, read_rows

pytestmark = pytest.mark.runners

INPUTS = [str(TESTDATA / "real/bikes.mp4"), str(TESTDATA / "real/carphone_pristine.mp4")]
# what a run on another runner must reproduce: every manifest column but the scores measured
# from floating point decode paths is identical, and these are enough to say so
COMPARED = ("clip_id", "source", "start_s", "end_s", "status", "drop_reasons", "shard")


def run(out: Path, *extra: str) -> Path:
    assert main(["run", *INPUTS, "--out", str(out), *extra]) == 0
    return out


def corpus(out: Path) -> list[tuple]:
    rows = read_rows(out)
    return sorted(tuple(str(r[k]) for k in COMPARED) for r in rows)


def kept_ids(out: Path) -> list[str]:
    return sorted(r["clip_id"] for r in read_rows(out) if r["status"] == "kept")


@pytest.fixture(scope="module")
def in_memory(tmp_path_factory) -> Path:
    out = run(tmp_path_factory.mktemp("mem") / "out")
    assert len(kept_ids(out)) == 2  # bikes' two scenes long enough; carphone is gated
    return out


def assert_same_corpus(out: Path, in_memory: Path) -> None:
    assert kept_ids(out) == kept_ids(in_memory)
    assert corpus(out) == corpus(in_memory)
    shards = sorted(p.name for p in (out / "shards").iterdir())
    assert shards == sorted(p.name for p in (in_memory / "shards").iterdir())
    assert (out / "_SUCCESS").exists()


def test_direct_multi_processing(in_memory, tmp_path):
    out = run(tmp_path / "o", "--direct_running_mode=multi_processing", "--direct_num_workers=2")
    assert_same_corpus(out, in_memory)


def test_portable_runner_embedded_job_server(in_memory, tmp_path):
    # LOOPBACK: the SDK harness is this process (the default starts a Docker container)
    out = run(
        tmp_path / "o",
        "--runner=PortableRunner",
        "--job_endpoint=embed",
        "--environment_type=LOOPBACK",
    )
    assert_same_corpus(out, in_memory)


def test_dask_runner_on_a_local_cluster_of_two_processes(in_memory, tmp_path):
    import distributed  # the `test` extra installs dask[distributed]

    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    ) as cluster:
        out = run(
            tmp_path / "o",
            "--runner=pipelines.dask_runner.DaskRunner",
            f"--dask_client_address={cluster.scheduler_address}",
        )
    assert_same_corpus(out, in_memory)


def test_dask_translation_bounds_partitions_through_dedup_rounds(config, tmp_path):
    # each CoGroupByKey is a Flatten (a concatenation: partitions add up) and a GroupByKey (a
    # shuffle that keeps them); dedup's label propagation chains 8 of them per pass, which took
    # the default graph to 15,248 partitions and 702,766 tasks before Flatten and GroupByKey
    # were cut back to the runner's partition count
    import apache_beam as beam
    from apache_beam.runners.dask import dask_runner
    from dask.highlevelgraph import HighLevelGraph

    from pipelines.dask_runner import DaskRunner
    from pipelines.pipeline import build

    assert config.dedup.component_rounds == 8  # the default this guards
    p = beam.Pipeline()
    build(p, INPUTS, str(tmp_path / "out"), config)
    p.replace_all(dask_runner.dask_overrides())
    visitor = DaskRunner.to_dask_bag_visitor({}, partitions=3)
    p.visit(visitor)
    widest = max(bag.npartitions for bag in visitor.bags.values() if bag is not None)
    assert widest == 3  # Reshuffles spread to 3, nothing grows past it
    tasks = len(HighLevelGraph.merge(*(bag.dask for bag in visitor.sinks())))
    assert tasks < 5000


# Run in a fresh interpreter (the test process has imported Beam whole): a local run with local
# paths, as the `cliploom` program runs it (main() reads sys.argv), then the modules it left out,
# which must still import and register their filesystem. The run imports none of the packages
# only captions, aesthetics or detection need, and leaves the heap frozen for the exit.
FRESH_RUN = """
import gc, json, sys
from pipelines.cli import REMOTE_IO_MODULES, main
sys.argv = ["cliploom", "run", sys.argv[1], "--out", sys.argv[2], "--quiet"]
code = main()
frozen = gc.get_freeze_count() > 0
unused = ["torch", "torchvision", "transformers", "open_clip", "webdataset", "pandas", "scipy"]
held = [*REMOTE_IO_MODULES, "boto3", "google.cloud.storage", *unused]
loaded = sorted(m for m in held if m in sys.modules)
from apache_beam.io.filesystems import FileSystems
import apache_beam.io.aws.s3filesystem, apache_beam.io.gcp.gcsfilesystem
schemes = [type(FileSystems.get_filesystem(p)).__name__ for p in ("gs://b/x", "s3://b/x")]
print(json.dumps({"code": code, "loaded": loaded, "schemes": schemes, "frozen": frozen}))
"""


def test_local_run_imports_no_remote_io_yet_it_stays_importable(tmp_path):
    import json
    import subprocess
    import sys

    from tests.conftest import ROOT, make_video

    video = make_video(tmp_path / "black.mp4", "-f", "lavfi", "-i", "color=s=320x240:r=25:d=1")
    done = subprocess.run(
        [sys.executable, "-c", FRESH_RUN, str(video), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    schemes = ["GCSFileSystem", "S3FileSystem"]
    assert found == {"code": 0, "loaded": [], "schemes": schemes, "frozen": True}
    assert "apitools" not in done.stderr and "bson" not in done.stderr
    assert (tmp_path / "out" / "_SUCCESS").exists()


@pytest.mark.parametrize(
    ("paths", "beam_args", "local"),
    [
        pytest.param(["a.mp4", "out"], [], True, id="local"),
        pytest.param(["a.mp4", "file:///o"], ["--runner=DirectRunner"], True, id="file-uri"),
        pytest.param(["a.mp4", "s3://b/out"], [], False, id="remote-out"),
        pytest.param(["gs://b/a.mp4", "out"], [], False, id="remote-input"),
        pytest.param(["a.mp4", "out"], ["--s3_endpoint_url=http://h:9000"], False, id="endpoint"),
        pytest.param(["videos.TXT", "out"], [], False, id="list-may-name-remote"),
        pytest.param(["a.mp4", "out"], ["--runner", "FlinkRunner"], False, id="remote-runner"),
    ],
)
def test_local_paths_only(paths, beam_args, local):
    from pipelines.cli import _LIST_SUFFIXES, local_paths_only
    from transforms.inputs import LIST_SUFFIXES

    assert _LIST_SUFFIXES == LIST_SUFFIXES
    assert local_paths_only(paths, beam_args) is local
