"""Remote sources on real storage servers on 127.0.0.1 (moto's S3, fake-gcs-server), with the
bytes each run fetches counted by a proxy in front of the server."""

import errno
import json
import threading
from pathlib import Path

import apache_beam as beam
import pyarrow.dataset as ds
import pytest
from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing.test_pipeline import TestPipeline

from pipelines.cli import main
from tests.storage_servers import start_fake_gcs, start_moto
from transforms import media
from transforms.media import MediaError, TransientIOError, local_copy, open_stream, sha256_file
from transforms.probe import ProbeConfig, ProbeVideos

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
BIKES = SAMPLES / "bikes.mp4"
CARPHONE = SAMPLES / "carphone_pristine.mp4"
BIKES_S3 = "s3://videos/in/bikes.mp4"


def manifest(out: Path) -> list[dict]:
    path = out / "manifest"
    path = path if path.is_dir() else out / "manifest.parquet"
    return ds.dataset(str(path), format="parquet").to_table().to_pylist()


@pytest.fixture(autouse=True)
def worker_cache(tmp_path, monkeypatch):
    """A fresh copy cache per test, and retries without the production backoff."""
    monkeypatch.setenv(media.CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(media, "BACKOFF_S", 0.01)
    yield
    FileSystems.set_options(PipelineOptions([]))


@pytest.fixture(scope="module")
def s3():
    import boto3

    server = start_moto()
    client = boto3.client(
        "s3",
        endpoint_url=server.proxy.url,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket="videos")
    for path in (BIKES, CARPHONE):
        client.upload_file(str(path), "videos", f"in/{path.name}")
    client.put_object(
        Bucket="videos", Key="in/list.m3u8", Body=b"#EXTM3U\n#EXTINF:1,\nfile:///etc/passwd\n"
    )
    server.options = [
        f"--s3_endpoint_url={server.proxy.url}",
        "--s3_access_key_id=test",
        "--s3_secret_access_key=test",
        "--s3_region_name=us-east-1",
    ]
    yield server
    server.stop()


@pytest.fixture(scope="module")
def gcs(tmp_path_factory):
    from google.cloud import storage

    server = start_fake_gcs(str(tmp_path_factory.mktemp("gcs")))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STORAGE_EMULATOR_HOST", server.proxy.url)
        mp.setenv("NO_GCE_CHECK", "True")  # no metadata-server probe for credentials
        client = storage.Client.create_anonymous_client()
        bucket = client.create_bucket("videos")
        bucket.blob("in/bikes.mp4").upload_from_filename(str(BIKES))
        yield server
    server.stop()


def s3_options(s3) -> None:
    FileSystems.set_options(PipelineOptions(s3.options))


def test_s3_run_reads_each_source_once(s3, tmp_path):
    s3.proxy.reset()
    out = tmp_path / "out"
    args = ["run", "s3://videos/in/bikes.mp4", "s3://videos/in/list.m3u8", "--out", str(out)]
    assert main([*args, *s3.options]) == 0
    # probe, the scene pass and every encode chunk read one cached copy: one full read
    assert s3.proxy.bytes_read("in/bikes.mp4") == BIKES.stat().st_size
    rows = manifest(out)
    kept = [r for r in rows if r["status"] == "kept"]
    assert kept and all(r["source"] == "s3://videos/in/bikes.mp4" for r in rows)
    assert {r["source_sha256"] for r in rows} == {sha256_file(str(BIKES))}
    stats = json.loads((out / "stats.json").read_text())
    # a hostile input is still only a failure row
    assert [(k.rsplit(".", 1)[-1], n) for k, n in stats["failures"].items()] == [("playlist", 1)]


def test_gcs_run_reads_each_source_once(gcs, tmp_path, monkeypatch):
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", gcs.proxy.url)
    monkeypatch.setenv("NO_GCE_CHECK", "True")
    gcs.proxy.reset()
    out = tmp_path / "out"
    assert main(["run", "gs://videos/in/bikes.mp4", "--out", str(out)]) == 0
    assert gcs.proxy.bytes_read("bikes.mp4", "alt=media") == BIKES.stat().st_size
    rows = manifest(out)
    assert any(r["status"] == "kept" for r in rows)
    assert {r["source_sha256"] for r in rows} == {sha256_file(str(BIKES))}


def test_one_copy_per_worker_shared_and_never_evicted_while_read(s3, tmp_path, monkeypatch):
    s3_options(s3)
    s3.proxy.reset()
    monkeypatch.setenv(media.CACHE_MB_ENV, "0.6")  # room for bikes (0.51 MB), not both
    held = threading.Event()
    release = threading.Event()

    def reader():
        with local_copy("s3://videos/in/bikes.mp4") as path:
            held.set()
            release.wait(30)
            assert Path(path).stat().st_size == BIKES.stat().st_size

    thread = threading.Thread(target=reader)
    thread.start()
    held.wait(30)
    with local_copy("s3://videos/in/bikes.mp4") as again:  # a second user: no second fetch
        assert sha256_file(again) == sha256_file(str(BIKES))
    with local_copy("s3://videos/in/carphone_pristine.mp4"):  # over budget, bikes in use
        pass
    release.set()
    thread.join()
    assert s3.proxy.bytes_read("in/bikes.mp4") == BIKES.stat().st_size
    cached = sorted(p.stat().st_size for p in (tmp_path / "cache").glob("*.copy"))
    assert cached == [BIKES.stat().st_size]  # carphone was evicted after use to fit the budget
    with local_copy("s3://videos/in/bikes.mp4"):
        pass
    assert s3.proxy.bytes_read("in/bikes.mp4") == BIKES.stat().st_size


def test_open_stream_probes_without_a_copy(s3, tmp_path):
    import av

    s3_options(s3)
    with open_stream("s3://videos/in/bikes.mp4") as stream:
        options = media.open_options(list(ProbeConfig().allowed_formats))
        with av.open(stream, options=options) as container:
            frame = next(container.decode(video=0))
    with av.open(str(BIKES)) as container:
        local = next(container.decode(video=0))
    assert (frame.width, frame.height, frame.pts) == (local.width, local.height, local.pts)
    assert frame.to_ndarray().tobytes() == local.to_ndarray().tobytes()
    assert not list((tmp_path / "cache").glob("*.copy"))


def test_server_errors_are_retried_then_fail_the_bundle(s3, tmp_path, monkeypatch):
    from apache_beam.utils import retry

    # boto3 and Beam's S3 client retry server errors themselves (Beam: 8 tries over minutes):
    # fewer boto3 tries and no sleeping between Beam's, so the test sees every layer quickly.
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
    monkeypatch.setattr(retry.Clock, "sleep", lambda self, seconds: None)
    s3_options(s3)
    s3.proxy.reset()
    s3.proxy.fail_requests["in/carphone_pristine.mp4"] = 5  # more than boto3 retries alone
    with local_copy("s3://videos/in/carphone_pristine.mp4") as path:
        assert sha256_file(path) == sha256_file(str(CARPHONE))
    assert s3.proxy.fail_requests["in/carphone_pristine.mp4"] == 0

    s3.proxy.fail_requests["in/bikes.mp4"] = 10**6  # the store is down for this object
    try:
        with pytest.raises(TransientIOError, match="failed 3 times"), local_copy(BIKES_S3):
            pass
        # In a pipeline the error is not a failures row: the bundle fails (the runner retries).
        with (
            pytest.raises(Exception, match=r"stat s3://videos/in/bikes\.mp4 failed 3 times"),
            TestPipeline(options=PipelineOptions(s3.options)) as p,
        ):
            _ = p | beam.Create([BIKES_S3]) | ProbeVideos(ProbeConfig())
    finally:
        s3.proxy.fail_requests.clear()


def test_missing_object_is_the_inputs_fault(s3):
    s3_options(s3)
    with pytest.raises(MediaError, match="not_found"), local_copy("s3://videos/in/gone.mp4"):
        pass


def test_full_disk_is_transient():
    def write_to_full_disk():
        with open("/dev/full", "wb") as f:
            f.write(b"x" * 4096)

    with pytest.raises(TransientIOError) as error:
        media.with_retries("copy", "s3://b/k.mp4", write_to_full_disk, retries=1)
    assert error.value.__cause__.errno == errno.ENOSPC
