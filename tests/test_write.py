import io
import tarfile

import apache_beam as beam
import webdataset as wds
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from schemas import Clip, ClipMedia
from transforms.write import WriteConfig, WriteShards, assign_shards, shard_name


def make_clip(i: int) -> Clip:
    return Clip(
        clip_id=f"id{i:03d}",
        source=f"s{i}.mp4",
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


def test_assign_packs_sorted_ids_to_target():
    sizes = [("c", 40), ("a", 40), ("b", 40), ("d", 10)]
    assignment = assign_shards(sizes, target_bytes=100, prefix="clips")
    assert assignment == {
        "a": "clips-000000.tar",
        "b": "clips-000000.tar",
        "c": "clips-000001.tar",
        "d": "clips-000001.tar",
    }
    assert assign_shards(list(reversed(sizes)), 100, "clips") == assignment


def test_oversized_clip_gets_its_own_shard():
    assert assign_shards([("a", 500), ("b", 1)], 100, "x") == {
        "a": shard_name("x", 0),
        "b": shard_name("x", 1),
    }


def test_shards_written_read_back_and_reproducible(tmp_path):
    media = [
        ClipMedia(make_clip(i), mp4=b"\x00" * 5000 + bytes([i]), jpg=b"\xff\xd8" + bytes([i]))
        for i in range(5)
    ]
    config = WriteConfig(shard_prefix="t", target_shard_mb=0.012)
    outputs = []
    for run in ("a", "b"):
        with TestPipeline() as p:
            clips = p | beam.Create(media) | WriteShards(str(tmp_path / run), config)
            assert_that(
                clips | beam.Map(lambda c: (c.clip_id, c.shard)),
                equal_to(
                    [
                        ("id000", "t-000000.tar"),
                        ("id001", "t-000000.tar"),
                        ("id002", "t-000001.tar"),
                        ("id003", "t-000001.tar"),
                        ("id004", "t-000002.tar"),
                    ]
                ),
            )
        outputs.append(sorted((tmp_path / run / "shards").iterdir()))
    names = [p.name for p in outputs[0]]
    assert names == ["t-000000.tar", "t-000001.tar", "t-000002.tar"]  # no temp files left
    assert [p.read_bytes() for p in outputs[0]] == [p.read_bytes() for p in outputs[1]]

    samples = list(wds.WebDataset([str(p) for p in outputs[0]], shardshuffle=False).decode())
    assert [s["__key__"] for s in samples] == [f"id{i:03d}" for i in range(5)]
    assert samples[2]["json"]["shard"] == "t-000001.tar"
    assert samples[4]["mp4"][-1] == 4
    with tarfile.open(fileobj=io.BytesIO(outputs[0][0].read_bytes())) as tar:
        assert {m.mtime for m in tar.getmembers()} == {946684800}
