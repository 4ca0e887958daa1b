"""One config truth: the stage dataclasses are the schema, default.yaml writes the same values,
and anything they do not allow fails at launch naming the key."""

from pathlib import Path

import pytest
import yaml

import configs
from configs import ConfigError
from pipelines.cli import main
from pipelines.config import DERIVED, PipelineConfig, defaults

BIKES = Path(__file__).resolve().parents[1].parent / "shared" / "testdata" / "real" / "bikes.mp4"
PRESETS = sorted(
    p.name for p in Path(configs.__file__).parent.glob("*.yaml") if "lexicon" not in p.name
)


@pytest.mark.parametrize("section", list(PipelineConfig.sections()))
def test_default_yaml_equals_the_dataclass_defaults(section):
    cls = PipelineConfig.sections()[section]
    expected = {k: v for k, v in defaults(cls).items() if k not in DERIVED.get(section, ())}
    assert configs.default()[section] == expected


def test_every_section_is_in_default_yaml():
    assert set(configs.default()) == set(PipelineConfig.sections())


@pytest.mark.parametrize("preset", PRESETS)
def test_presets_load_and_check(preset):
    config = PipelineConfig.from_dict(configs.load(preset))
    assert config.scenes.allowed_formats == config.probe.allowed_formats


@pytest.mark.parametrize("preset", PRESETS)
def test_dump_yaml_writes_what_safe_dump_writes(preset):
    """OUT/config.yaml and the report's config, written by libyaml's emitter, are the text
    PyYAML's own emitter writes (unicode and quoting included) and read back as the config."""
    raw = configs.load(preset, ["caption.model=模型 'x': y", "clips.max_clip_s=6.5"])
    text = configs.dump_yaml(raw)
    assert text == yaml.safe_dump(raw, sort_keys=False, allow_unicode=True)
    assert configs.parse_yaml(text) == raw


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        pytest.param(
            "gate.min_fps=abc",
            "gate.min_fps: expected a number or null, got 'abc'",
            id="str-for-float",
        ),
        pytest.param(
            "clips.max_clip_s=null", "clips.max_clip_s: expected a number, got None", id="null"
        ),
        pytest.param(
            "encode.crf=23.5", "encode.crf: expected an integer, got 23.5", id="float-for-int"
        ),
        pytest.param(
            "ocr.enabled=1", "ocr.enabled: expected true or false, got 1", id="int-for-bool"
        ),
        pytest.param("caption.hf.min_batch_size=x", "caption.hf.min_batch_size", id="nested"),
        pytest.param("caption.backend=gpt", "caption.backend must be one of", id="choice"),
        pytest.param(
            "caption_qa.en_words=[1,2,3]", "caption_qa.en_words: expected a list of 2", id="pair"
        ),
        pytest.param("probe.allowed_formats=[mp4, 3]", "probe.allowed_formats[1]", id="list-item"),
    ],
)
def test_bad_values_name_the_key_and_what_is_allowed(assignment, message):
    with pytest.raises(ConfigError) as error:
        PipelineConfig.from_dict(configs.load(sets=[assignment]))
    assert message in str(error.value)


def test_unknown_keys_say_what_is_allowed(tmp_path):
    with pytest.raises(ConfigError, match=r"'gate.min_fsp' \(did you mean 'min_fps'\?\).*max_fps"):
        configs.load(sets=["gate.min_fsp=3"])
    preset = tmp_path / "p.yaml"
    preset.write_text("quality:\n  min_blurr: 3\n")
    with pytest.raises(ConfigError, match=r"quality.min_blurr \(did you mean 'min_blur'\?\)"):
        PipelineConfig.from_dict(configs.load(str(preset)))
    preset.write_text("qualty:\n  min_blur: 3\n")
    with pytest.raises(ConfigError, match=r"'qualty' \(did you mean 'quality'\?\)"):
        PipelineConfig.from_dict(configs.load(str(preset)))
    preset.write_text("scenes:\n  allowed_formats: [mp4]\n")
    with pytest.raises(ConfigError, match="derived"):
        PipelineConfig.from_dict(configs.load(str(preset)))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--prevoius", "old"], "--prevoius (did you mean --previous?)", id="misspelt"),
        pytest.param(["--runer=DirectRunner"], "--runer (did you mean --runner?)", id="beam"),
        pytest.param(["--set", "gate.min_fps=abc"], "gate.min_fps: expected a number", id="value"),
        pytest.param(["--set", "gate.min_fsp=3"], "did you mean 'min_fps'", id="key"),
    ],
)
def test_cli_refuses_at_launch(args, message, tmp_path, capsys):
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as exit_:
        main(["run", str(BIKES), "--out", str(out), *args])
    assert exit_.value.code == 2 and not out.exists()
    assert message in capsys.readouterr().err


def test_known_beam_options_pass(tmp_path):
    from pipelines.cli import check_beam_args

    check_beam_args(["--runner=DirectRunner", "--direct_num_workers", "2", "--s3_endpoint_url=x"])
    check_beam_args(["--resource_hints=accelerator=type:nvidia-l4;count:1;install-nvidia-driver"])
    with pytest.raises(ConfigError, match="--flink_mastr"):
        check_beam_args(["--runner=FlinkRunner", "--flink_mastr=localhost:8081"])


def test_a_run_naming_no_runner_goes_to_the_fn_api_runner():
    from apache_beam.options.pipeline_options import PipelineOptions
    from apache_beam.runners.portability.fn_api_runner.fn_runner import FnApiRunner

    from pipelines.cli import local_runner

    assert isinstance(local_runner(PipelineOptions([])), FnApiRunner)
    mp = PipelineOptions(["--direct_running_mode=multi_processing", "--direct_num_workers=2"])
    assert isinstance(local_runner(mp), FnApiRunner)
    assert local_runner(PipelineOptions(["--streaming"])) is None  # Beam's DirectRunner decides


def test_a_local_run_skips_beams_construction_type_check():
    import apache_beam as beam
    from apache_beam.options.pipeline_options import PipelineOptions, TypeOptions

    from pipelines.cli import run_options

    local = run_options(["--direct_running_mode=multi_processing", "--direct_num_workers=2"])
    assert local.view_as(TypeOptions).pipeline_type_check is False
    remote = run_options(["--runner=DataflowRunner", "--project=p", "--region=r"])
    assert remote.view_as(TypeOptions).pipeline_type_check is True
    # What it skips: the output type inferred from each function's bytecode at every step.
    checked = beam.Pipeline(options=PipelineOptions([])) | beam.Create(["a"]) | beam.Map(len)
    assert checked.element_type is int
    unchecked = beam.Pipeline(options=local) | beam.Create(["a"]) | beam.Map(len)
    assert unchecked.element_type is None  # coders then treat it as Any


def test_a_runs_options_make_each_view_once_and_share_its_values():
    from apache_beam.options.pipeline_options import SetupOptions, StandardOptions

    from pipelines.cli import run_options

    options = run_options(["--direct_num_workers=2", "--sdk_location=container"])
    standard = options.view_as(StandardOptions)
    assert options.view_as(StandardOptions) is standard  # Beam builds a new view each time
    assert options.view_as(SetupOptions).sdk_location == "container"
    standard.runner = "DirectRunner"
    assert options.get_all_options()["runner"] == "DirectRunner"
    assert options.get_all_options()["direct_num_workers"] == 2


def readme_commands() -> list[str]:
    text = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    section = text.split("## Running on Dataflow, Flink and locally", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("cliploom run ")]


def test_readme_launch_commands_are_valid():
    """Every `cliploom run` line of the README's runner section: its options are known to Beam
    (or cliploom) and its config loads and checks. (Nothing is launched.)"""
    import argparse
    import shlex

    from pipelines.cli import _run_parser, check_beam_args, load_config

    commands = readme_commands()
    assert len(commands) >= 6
    runners = set()
    for command in commands:
        parser = argparse.ArgumentParser()
        _run_parser(parser.add_subparsers(dest="command"))
        args, rest = parser.parse_known_args(shlex.split(command)[1:])
        check_beam_args(rest)
        _, config = load_config(args)
        runners.add(next((a for a in rest if a.startswith("--runner=")), "direct"))
        if "dataflow.yaml" in command:
            assert config.caption.accelerator and config.caption.backend == "hf"
    assert runners == {"direct", "--runner=DataflowRunner", "--runner=FlinkRunner"}
