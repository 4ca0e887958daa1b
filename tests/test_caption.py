"""Captioning on a tiny Qwen2-VL built offline: the `hf` path through RunInference, the `openai`
path against a local server that runs the same model, start-up failures, and what a shard holds.

The tiny model has random weights: its captions are noise, and the tests assert that the pipeline
carries them and that QA rejects them, never what they say.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import apache_beam as beam
import pytest
import webdataset as wds
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to, is_empty
from PIL import Image

import configs
from pipelines.cli import main
from schemas import ClipMedia
from tests.conftest import TESTDATA, read_rows
from tests.test_write import make_clip, write_corpus
from tests.tiny_vlm import ChatServer, build_tiny_qwen2_vl
from transforms.caption import (
    DROPPED,
    CaptionClips,
    CaptionConfig,
    Captioner,
    Prompts,
    available,
    clip_frames,
    parse_json_answer,
)
from transforms.caption_backends import (
    BackendError,
    CaptionUnavailable,
    ChatRequest,
    HFChatModel,
    OpenAIChatClient,
)
from transforms.caption_qa import CaptionQA
from transforms.common import FAILED
from transforms.probe import probe_file
from transforms.scenes import analyze_video, build_clips

BIKES = TESTDATA / "real" / "bikes.mp4"
FAST = {"frames": 4, "max_new_tokens": 8, "reprompts": 1}


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    return build_tiny_qwen2_vl(tmp_path_factory.mktemp("tiny-qwen2-vl"))


@pytest.fixture(scope="module")
def clips(config):
    """Kept clips of a real video, with the frames sampled in the decode pass."""
    info = probe_file(str(BIKES), str(BIKES), config.probe)
    analysis = analyze_video(str(BIKES), info, config.scenes)
    kept = [s for s in build_clips(info, analysis, config.scenes, config.clips) if s.clip.kept]
    assert len(kept) == 2 and all(len(s.frames_jpg) >= 4 for s in kept)
    return kept


def caption_config(config, **overrides) -> CaptionConfig:
    return dataclasses.replace(config.caption, **{**FAST, **overrides})


@pytest.fixture(scope="module")
def chat_model(tiny_model) -> HFChatModel:
    return HFChatModel(str(tiny_model), max_new_tokens=8)


# ----------------------------------------------------------------------------- hf


def test_hf_model_answers_a_batch_of_frames_and_text(chat_model, clips):
    frames = clip_frames(clips[0], 4, 448)
    assert len(frames) == 4 and max(frames[0].size) <= 448
    requests = [
        ChatRequest("Describe the clip.", frames=frames, system="You caption video."),
        ChatRequest("Translate: a dog.", frames=()),
    ]
    answers = chat_model.generate(requests)
    assert len(answers) == 2 and all(isinstance(a, str) for a in answers)
    chat_model.frames_as = "images"  # each frame as an image instead of one video
    try:
        assert len(chat_model.generate(requests[:1])) == 1
    finally:
        chat_model.frames_as = "video"


def test_hf_through_run_inference_rejects_noise(tiny_model, clips, config):
    caption = caption_config(
        config, backend="hf", model=str(tiny_model), strategy="separate", hf={"max_batch_size": 2}
    )
    ids = sorted(s.clip.clip_id for s in clips)

    def check_dropped(rows):
        assert sorted(r.clip_id for r in rows) == ids
        for r in rows:
            assert r.drop_reasons == ["bad_caption"] and r.status == "dropped"
            assert r.caption_status == "rejected" and r.caption_ok is False
            assert r.caption_model == str(tiny_model)
            assert r.caption_prompt_version == "caption-v1"
            assert isinstance(r.caption_en, str) and isinstance(r.caption_zh, str)
            # 8 tokens of noise can never be a 30-word English caption
            names = {i.split(":", 1)[0] for i in r.caption_issues}
            assert {"en_too_short", "en_empty"} & names, r.caption_issues

    with TestPipeline() as p:
        out = p | beam.Create(clips) | CaptionClips(caption, config.caption_qa)
        assert_that(out["clips"], is_empty(), label="kept")
        assert_that(out[DROPPED], check_dropped, label="dropped")
        assert_that(out[FAILED], is_empty(), label="failed")


def test_bilingual_noise_is_invalid_json_after_one_reprompt(chat_model, clips, config):
    qa = CaptionQA(config.caption_qa)
    captioner = Captioner(caption_config(config, strategy="bilingual"), qa)
    results = captioner.caption(clips, chat_model)
    assert [(r.status, r.issues, r.attempts) for r in results] == [
        ("rejected", ["invalid_json"], 2)
    ] * 2


def test_parse_json_answer():
    answer = {
        "caption_en": "A dog runs.",
        "caption_zh": "一只狗在跑。",
        "short_caption_en": "A dog.",
        "short_caption_zh": "狗。",
    }
    text = json.dumps(answer, ensure_ascii=False)
    assert parse_json_answer(text) == answer
    assert parse_json_answer(f"```json\n{text}\n```") == answer
    assert parse_json_answer(f"Here you go: {text} Enjoy.") == answer
    assert parse_json_answer(json.dumps({**answer, "caption_zh": "  "})) is None
    assert (
        parse_json_answer(json.dumps({k: v for k, v in answer.items() if k != "caption_zh"}))
        is None
    )
    assert parse_json_answer(json.dumps({**answer, "caption_en": 3})) is None
    assert parse_json_answer(text[:-5]) is None
    assert parse_json_answer("[1, 2]") is None and parse_json_answer("no json") is None


def test_prompts_carry_grounding_facts(config, clips):
    prompts = Prompts.load(config.caption.prompts)
    clip = clips[0].clip
    assert prompts.grounding(clip, ["camera_motion", "ocr_text"]) == ""
    assert prompts.grounding(clip, ["source"]).endswith(f"source: {clip.source}")
    assert prompts.version == "caption-v1"


# ----------------------------------------------------------------------------- openai


@pytest.fixture
def server(chat_model):
    server = ChatServer(chat_model, "tiny-qwen2-vl", max_requests=50, lifetime_s=120)
    yield server
    server.close()


def test_openai_through_run_inference_sends_frames_and_rejects_noise(server, clips, config):
    caption = caption_config(
        config,
        backend="openai",
        model="tiny-qwen2-vl",
        openai={"base_url": server.base_url, "concurrency": 2, "backoff_s": 0.01},
    )
    with TestPipeline() as p:
        out = p | beam.Create(clips) | CaptionClips(caption, config.caption_qa)
        assert_that(out["clips"], is_empty(), label="kept")
        assert_that(
            out[DROPPED] | beam.Map(lambda c: (c.drop_reasons, c.caption_issues)),
            equal_to([(["bad_caption"], ["invalid_json"])] * 2),
            label="dropped",
        )
        assert_that(out[FAILED], is_empty(), label="failed")
    # bilingual: one request per clip and attempt (a re-prompt each), 4 frames as JPEG parts
    assert len(server.requests) == 4
    for body in server.requests:
        assert body["model"] == "tiny-qwen2-vl"
        assert body["response_format"] == {"type": "json_object"}
        parts = body["messages"][1]["content"]
        assert [p["type"] for p in parts] == ["image_url"] * 4 + ["text"]
    reprompts = [b for b in server.requests if "rejected by an automatic check" in str(b)]
    assert len(reprompts) == 2 and "invalid_json" in str(reprompts[0])


def test_openai_client_retries_then_gives_up_cleanly(server):
    client = OpenAIChatClient(
        server.base_url, "tiny-qwen2-vl", max_retries=2, backoff_s=0.01, timeout_s=30
    )
    server.fail_first = 2  # two 503s, then the model answers
    frame = Image.new("RGB", (64, 48), (200, 30, 30))
    (answer,) = client.generate([ChatRequest("Describe.", frames=(frame,))])
    assert isinstance(answer, str) and len(server.requests) == 3
    server.reject_with = 400  # a client error is not retried
    (answer,) = client.generate([ChatRequest("Describe.")])
    assert isinstance(answer, BackendError) and answer.error == "caption_http_400"
    assert len(server.requests) == 4


def test_openai_errors_become_failure_rows(server, clips, config):
    server.reject_with = 400
    caption = caption_config(
        config, backend="openai", model="tiny-qwen2-vl", openai={"base_url": server.base_url}
    )
    with TestPipeline() as p:
        out = p | beam.Create(clips[:1]) | CaptionClips(caption, config.caption_qa)
        assert_that(out["clips"], is_empty(), label="kept")
        assert_that(
            out[DROPPED] | beam.Map(lambda c: (c.drop_reasons, c.caption_status)),
            equal_to([(["caption_error"], "error")]),
            label="dropped",
        )
        assert_that(
            out[FAILED] | beam.Map(lambda f: (f.stage, f.error)),
            equal_to([("caption", "caption_http_400")]),
            label="failed",
        )


# ----------------------------------------------------------------------------- start-up


def test_missing_model_fails_at_start_with_the_ways_out(tmp_path, capsys):
    missing = tmp_path / "no-such-model"
    with pytest.raises(CaptionUnavailable) as error:
        available(CaptionConfig(backend="hf", model=str(missing)))
    message = str(error.value)
    assert str(missing) in message
    assert "caption.model=/path/to/model" in message and "caption.backend=openai" in message
    assert "caption.backend=none" in message
    out = tmp_path / "out"
    code = main(
        [
            "run",
            str(BIKES),
            "--out",
            str(out),
            "--set",
            "caption.backend=hf",
            "--set",
            f"caption.model={missing}",
        ]
    )
    assert code == 2 and not out.exists()
    assert "caption.backend=none" in capsys.readouterr().err


def test_broken_model_directory_fails_at_start(tmp_path, tiny_model):
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "qwen2_vl"}))
    with pytest.raises(CaptionUnavailable, match="cannot be loaded"):
        available(CaptionConfig(backend="hf", model=str(tmp_path)))
    no_weights = tmp_path / "no-weights"
    no_weights.mkdir()
    for f in tiny_model.iterdir():
        if f.suffix != ".safetensors":
            (no_weights / f.name).write_bytes(f.read_bytes())
    with pytest.raises(CaptionUnavailable, match="has no weights"):
        available(CaptionConfig(backend="hf", model=str(no_weights)))
    assert available(CaptionConfig(backend="hf", model=str(tiny_model))).model_path == str(
        tiny_model.resolve()
    )


def test_unreachable_endpoint_fails_at_start():
    with pytest.raises(CaptionUnavailable, match="needs an endpoint"):
        available(CaptionConfig(backend="openai", model="m"))
    with pytest.raises(CaptionUnavailable, match=r"cannot be reached.*caption\.backend=none"):
        available(
            CaptionConfig(backend="openai", model="m", openai={"base_url": "http://127.0.0.1:9/v1"})
        )


def test_endpoint_must_serve_the_model(server):
    with pytest.raises(CaptionUnavailable, match="serves tiny-qwen2-vl"):
        available(
            CaptionConfig(backend="openai", model="other", openai={"base_url": server.base_url})
        )


def test_config_validates():
    with pytest.raises(ValueError, match="backend"):
        CaptionConfig(backend="magic")
    with pytest.raises(ValueError, match="strategy"):
        CaptionConfig(strategy="guess")
    with pytest.raises(ValueError, match="frames_as"):
        CaptionConfig(hf={"frames_as": "gif"})


# ----------------------------------------------------------------------------- end to end


def test_default_run_skips_captions_and_says_how_to_enable(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(BIKES), "--out", str(out)]) == 0
    assert "captions skipped" in capsys.readouterr().out
    rows = read_rows(out)
    kept = [r for r in rows if r["status"] == "kept"]
    assert kept and all(r["caption_status"] == "skipped" and r["caption_en"] is None for r in kept)


def tiny_hf_sets(tiny_model) -> list[str]:
    """`--set` arguments that caption with the tiny model, briefly and without re-prompts."""
    sets = [
        "caption.backend=hf",
        f"caption.model={tiny_model}",
        "caption.max_new_tokens=8",
        "caption.frames=4",
        "caption.reprompts=0",
    ]
    return [a for s in sets for a in ("--set", s)]


def test_run_with_tiny_hf_model_drops_noise_as_bad_caption(tmp_path, tiny_model):
    out = tmp_path / "out"
    assert main(["run", str(BIKES), "--out", str(out), *tiny_hf_sets(tiny_model)]) == 0
    rows = read_rows(out)
    captioned = [r for r in rows if r["caption_status"]]
    assert len(captioned) == 2 and all(r["drop_reasons"] == ["bad_caption"] for r in captioned)
    assert all(r["caption_issues"] == ["invalid_json"] for r in captioned)
    stats = json.loads((out / "stats.json").read_text())
    assert stats["drop_reasons"]["bad_caption"] == 2 and stats["clips"]["kept"] == 0
    assert stats["counters"]["caption"]["dropped.bad_caption"] == 2


def test_near_duplicates_are_dropped_before_captioning(tmp_path, tiny_model):
    dedup = BIKES.parent.parent / "synthetic" / "dedup"
    out = tmp_path / "out"
    args = ["run", str(dedup / "B.mp4"), str(dedup / "B_trim.mp4"), "--out", str(out)]
    assert main([*args, *tiny_hf_sets(tiny_model)]) == 0
    rows = {Path(r["source"]).name: r for r in read_rows(out)}
    assert rows["B_trim.mp4"]["drop_reasons"] == ["duplicate"]
    assert rows["B_trim.mp4"]["caption_status"] is None  # never sent to the model
    assert rows["B.mp4"]["caption_status"] == "rejected"  # the tiny model writes noise


def test_shards_hold_caption_text(tmp_path):
    clip = dataclasses.replace(
        make_clip(1), caption_en="A dog runs.", caption_zh="一只狗在跑。", caption_status="ok"
    )
    plain = make_clip(2)
    media = [
        ClipMedia(clip=c, mp4=b"\x00\x00\x00\x18ftypmp42", jpg=b"\xff\xd8") for c in (clip, plain)
    ]
    write_corpus(tmp_path, media)
    shards = sorted(str(s) for s in (tmp_path / "shards").glob("*.tar"))
    samples = {s["__key__"]: s for s in wds.WebDataset(shards, shardshuffle=False)}
    assert samples["id001"]["en.txt"].decode() == "A dog runs."
    assert samples["id001"]["zh.txt"].decode() == "一只狗在跑。"
    assert json.loads(samples["id001"]["json"])["caption_zh"] == "一只狗在跑。"
    assert "en.txt" not in samples["id002"] and "zh.txt" not in samples["id002"]


def test_default_config_is_offline_safe():
    assert configs.load()["caption"]["backend"] == "none"


class Recording:
    """Wraps a real backend and records what it was asked (the answers stay the model's)."""

    def __init__(self, backend):
        self.backend, self.calls = backend, []

    def generate(self, requests):
        answers = self.backend.generate(requests)
        self.calls.append((requests, answers))
        return answers


def test_translate_strategy_translates_the_english_answers(chat_model, clips, config):
    qa = CaptionQA(config.caption_qa)
    captioner = Captioner(caption_config(config, strategy="translate", reprompts=0), qa)
    backend = Recording(chat_model)
    results = captioner.caption(clips, backend)
    (english, en_answers), (translate, zh_answers) = backend.calls
    assert len(english) == 4 and all(len(r.frames) == 4 for r in english)  # dense + short
    assert len(translate) == 4 and all(r.frames == () for r in translate)
    for request, answer in zip(translate, en_answers, strict=True):
        assert request.prompt.endswith(answer.strip()) and "Simplified Chinese" in request.prompt
    simplified = [qa.to_simplified.convert(a) for a in zh_answers]  # QA normalises Traditional
    assert [r.caption_zh for r in results] == simplified[0::2]
    assert [r.short_caption_zh for r in results] == simplified[1::2]
    assert all(r.status == "rejected" and r.attempts == 1 for r in results)
