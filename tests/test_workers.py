"""Models on workers: the caption model is checked on a worker before any video is read, the
caption step carries its GPU resource hint, and one model copy per GPU machine by default."""

from pathlib import Path

import apache_beam as beam
import pytest
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing.test_pipeline import TestPipeline

import configs
from pipelines.config import PipelineConfig
from pipelines.pipeline import build
from transforms.caption import CaptionConfig
from transforms.caption_inference import CaptionModelHandler
from transforms.caption_qa import CaptionQAConfig

BIKES = Path(__file__).resolve().parents[1] / "samples" / "bikes.mp4"
L4 = "type:nvidia-l4;count:1;install-nvidia-driver"


def caption_config(tmp_path, **caption) -> PipelineConfig:
    sets = [f"caption.{k}={v}" for k, v in caption.items()]
    return PipelineConfig.from_dict(configs.load(sets=sets))


def test_missing_model_fails_the_job_in_the_preflight_step(tmp_path):
    """The launcher of a remote job does not look for the model (it may exist only in the worker
    image): the PreflightModels step does, on a worker, and the inputs wait for its result (a
    side input), so the job fails there and no stage after it has written anything."""
    config = caption_config(tmp_path, backend="hf", model=str(tmp_path / "no-model"))
    out = tmp_path / "out"
    with (
        pytest.raises(Exception, match=r"(?s)no-model does not exist.*PreflightModels/CheckModel"),
        TestPipeline(options=PipelineOptions([])) as p,
    ):
        build(p, [str(BIKES)], str(out), config)
    assert not list(out.glob("**/*.parquet")) and not list(out.glob("**/*.tar"))


def test_caption_step_and_its_check_carry_the_accelerator_hint(tmp_path):
    config = caption_config(tmp_path, backend="hf", model="/models/m", accelerator=f'"{L4}"')
    p = beam.Pipeline()
    build(p, [str(BIKES)], str(tmp_path / "out"), config)
    proto = p.to_runner_api()
    hinted = set()
    environments = proto.components.environments  # resource hints live on the environment
    for transform in proto.components.transforms.values():
        hints = (
            environments[transform.environment_id].resource_hints
            if transform.environment_id
            else {}
        )
        if any(L4.encode() in value for value in hints.values()):
            hinted.add(transform.unique_name)
    assert any(name.startswith("CaptionClips/Caption") for name in hinted), hinted
    assert any(name.startswith("PreflightModels/CheckModel") for name in hinted), hinted
    assert not any(
        name.startswith(("ProbeVideos", "SplitScenes", "EncodeClips")) for name in hinted
    )


@pytest.mark.parametrize(
    ("share", "expected"),
    [
        pytest.param("auto", False, id="auto-without-gpu"),  # this machine has no GPU
        pytest.param(True, True, id="on"),
        pytest.param(False, False, id="off"),
    ],
)
def test_one_model_copy_per_gpu_machine(share, expected):
    config = CaptionConfig(
        backend="hf", hf={"share_model_across_processes": share, "max_batch_size": 6}
    )
    handler = CaptionModelHandler(config, CaptionQAConfig())
    assert handler.share_model_across_processes() is expected
    assert handler.batch_elements_kwargs() == {"min_batch_size": 1, "max_batch_size": 6}


def test_auto_shares_on_a_gpu_device():
    config = CaptionConfig(backend="hf", hf={"device": "cuda:0"})
    assert CaptionModelHandler(config, CaptionQAConfig()).share_model_across_processes()
    openai = CaptionConfig(backend="openai", openai={"batch_size": 3})
    handler = CaptionModelHandler(openai, CaptionQAConfig())
    assert not handler.share_model_across_processes()
    assert handler.batch_elements_kwargs()["max_batch_size"] == 3


def test_api_key_is_read_on_the_worker_from_a_file_or_the_environment(tmp_path, monkeypatch):
    from transforms.caption_backends import api_key

    (tmp_path / "key").write_text("sk-test\n")
    monkeypatch.setenv("MY_KEY", "from-env")
    assert api_key("MY_KEY", str(tmp_path / "key")) == "sk-test"
    assert api_key("MY_KEY") == "from-env"
    assert api_key(None) is None
