"""Caption: a vision-language model writes English and Chinese captions for each kept clip.

Frames come from the decode pass (`SampledClip.pick`), resized for the model; nothing is decoded
again. The model runs in-process through a Beam `ModelHandler` + `RunInference` (`hf`: batched,
loaded once per worker, on the GPU when there is one) or behind an OpenAI-compatible endpoint
(`openai`), or not at all (`none`: caption_status = skipped). Chinese comes from one bilingual
JSON answer, from separate prompts per language, or from a translation of the English.

Every pair goes through caption QA (`transforms/caption_qa.py`). A pair that fails is asked for
again `reprompts` times with the reasons in the prompt, then the clip is dropped as
`bad_caption`, its captions and issues kept in the manifest. A request that fails for good is a
failures row and a clip dropped as `caption_error`.
"""

from __future__ import annotations

import dataclasses
import io
import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import apache_beam as beam

from configs import read_fields
from schemas import Clip, Failure, SampledClip
from transforms.caption_backends import (
    BackendError,
    ChatRequest,
    api_key,
    resolve_endpoint,
    resolve_hf_model,
)
from transforms.caption_qa import CaptionQA, CaptionQAConfig
from transforms.common import FAILED, StageCounters
from transforms.grounding import camera_contradiction

log = logging.getLogger(__name__)

STAGE = "caption"
DROPPED = "dropped"
BACKENDS = ("none", "hf", "openai")
STRATEGIES = ("bilingual", "separate", "translate")
INVALID_JSON = "invalid_json"
JSON_KEYS = ("caption_en", "caption_zh", "short_caption_en", "short_caption_zh")


class CaptionStatus(StrEnum):
    SKIPPED = "skipped"  # backend none
    OK = "ok"  # passed QA
    REJECTED = "rejected"  # failed QA after the re-prompts: dropped as bad_caption
    ERROR = "error"  # the backend failed for good: dropped as caption_error, a failures row


class CaptionReason(StrEnum):
    BAD_CAPTION = "bad_caption"
    CAPTION_ERROR = "caption_error"


@dataclass(frozen=True)
class HFCaptionConfig:
    device: str = "auto"
    dtype: str = "auto"
    attn_implementation: str | None = "sdpa"
    frames_as: str = "video"
    min_batch_size: int = 1
    max_batch_size: int = 4
    # One model copy per worker machine shared by its SDK processes (Beam's large_model);
    # auto: on where the worker has a GPU (a 7B copy per process would not fit).
    share_model_across_processes: bool | str = "auto"

    def __post_init__(self):
        if self.share_model_across_processes not in (True, False, "auto"):
            raise ValueError("caption.hf.share_model_across_processes must be true, false or auto")
        if self.frames_as not in ("video", "images"):
            raise ValueError("caption.hf.frames_as must be video or images")
        if not 1 <= self.min_batch_size <= self.max_batch_size:
            raise ValueError("caption.hf needs 1 <= min_batch_size <= max_batch_size")
        if self.dtype not in ("auto", "float16", "bfloat16", "float32"):
            raise ValueError("caption.hf.dtype must be auto, float16, bfloat16 or float32")


@dataclass(frozen=True)
class OpenAICaptionConfig:
    base_url: str | None = None
    api_key_env: str | None = "OPENAI_API_KEY"  # read on the workers
    api_key_file: str | None = None  # or a file holding the key (gs://, s3://), read on workers
    concurrency: int = 8
    timeout_s: float = 120.0
    max_retries: int = 4
    backoff_s: float = 1.0
    batch_size: int = 16
    json_mode: bool = True

    def __post_init__(self):
        if self.concurrency < 1 or self.batch_size < 1 or self.max_retries < 0:
            raise ValueError("caption.openai: concurrency, batch_size >= 1, max_retries >= 0")
        if self.timeout_s <= 0 or self.backoff_s < 0:
            raise ValueError("caption.openai: timeout_s > 0 and backoff_s >= 0")


@dataclass(frozen=True)
class CaptionConfig:
    backend: str = "none"
    model: str = "Qwen/Qwen2.5-VL-7B-Instruct"
    strategy: str = "bilingual"
    prompts: str = "prompts/caption_v1.yaml"
    frames: int = 8
    frame_long_side: int = 448
    max_new_tokens: int = 1024
    temperature: float = 0.0
    reprompts: int = 1
    grounding_fields: tuple[str, ...] = ("camera_motion", "n_tracks", "ocr_text")
    # Beam resource hint for the caption step (and its preflight), e.g.
    # "type:nvidia-l4;count:1;install-nvidia-driver" on Dataflow; null: none.
    accelerator: str | None = None
    hf: HFCaptionConfig = field(default_factory=HFCaptionConfig)
    openai: OpenAICaptionConfig = field(default_factory=OpenAICaptionConfig)
    # Where the model was found (`available()`, run on each worker): a directory, hub id or URL.
    model_path: str | None = None

    def __post_init__(self):
        if isinstance(self.hf, dict):
            object.__setattr__(self, "hf", HFCaptionConfig(**self.hf))
        if isinstance(self.openai, dict):
            object.__setattr__(self, "openai", OpenAICaptionConfig(**self.openai))
        object.__setattr__(self, "grounding_fields", tuple(self.grounding_fields or ()))
        if self.backend not in BACKENDS:
            raise ValueError(f"caption.backend must be one of {BACKENDS}, got {self.backend!r}")
        if self.strategy not in STRATEGIES:
            raise ValueError(f"caption.strategy must be one of {STRATEGIES}")
        if self.frames < 1 or self.frame_long_side < 28 or self.max_new_tokens < 1:
            raise ValueError("caption: frames >= 1, frame_long_side >= 28, max_new_tokens >= 1")
        if self.reprompts < 0 or self.temperature < 0:
            raise ValueError("caption: reprompts and temperature must be >= 0")
        unknown = set(self.grounding_fields) - {f.name for f in dataclasses.fields(Clip)}
        if unknown:
            log.info("caption.grounding_fields not on Clip (yet): %s", sorted(unknown))


def available(config: CaptionConfig) -> CaptionConfig:
    """Check that the caption model can be had here; raises CaptionUnavailable if not.

    Runs where the model will run: on each worker (the preflight step and `load_model`), and on
    the launcher too when the runner is local."""
    if config.backend == "none" or config.model_path is not None:
        return config
    if config.backend == "hf":
        return dataclasses.replace(config, model_path=resolve_hf_model(config.model))
    return dataclasses.replace(
        config, model_path=resolve_endpoint(config.openai.base_url, config.model)
    )


SKIPPED_HINT = (
    "captions skipped (caption.backend=none). To caption: --set caption.backend=hf "
    "--set caption.model=/path/to/Qwen2.5-VL-7B-Instruct, or --set caption.backend=openai "
    "--set caption.openai.base_url=http://HOST:PORT/v1 --set caption.model=NAME"
)


# ----------------------------------------------------------------------------- prompts


@dataclass(frozen=True)
class Prompts:
    version: str
    system: str
    facts_header: str
    facts: dict
    bilingual: str
    dense_en: str
    dense_zh: str
    short_en: str
    short_zh: str
    translate: str
    reprompt: str

    @classmethod
    def load(cls, name: str) -> Prompts:
        return read_fields(cls, name)

    def grounding(self, clip: Clip, fields: Sequence[str]) -> str:
        """Measured facts about the clip, one per line, for the prompt (empty when none)."""
        lines = []
        for name in fields:
            value = getattr(clip, name, None)
            if value in (None, "", []):
                continue
            if isinstance(value, list):
                value = "; ".join(map(str, value))
            template = self.facts.get(name, name.replace("_", " ") + ": {value}")
            lines.append(template.format(value=value))
        return "\n".join([self.facts_header, *lines]) if lines else ""


# ----------------------------------------------------------------------------- frames, answers


def clip_frames(sampled: SampledClip, n: int, long_side: int) -> tuple:
    """`n` frames spread over the clip as RGB PIL images, long side at most `long_side`."""
    from PIL import Image

    frames = []
    for i in sampled.pick(n):
        image = Image.open(io.BytesIO(sampled.frames_jpg[i])).convert("RGB")
        scale = long_side / max(image.size)
        if scale < 1:
            size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
            image = image.resize(size, Image.Resampling.BICUBIC)
        frames.append(image)
    return tuple(frames)


_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.IGNORECASE)


def parse_json_answer(text: str, keys: Sequence[str] = JSON_KEYS) -> dict[str, str] | None:
    """The bilingual answer as {key: non-empty string}, or None when it is not that.

    Tolerates a code fence and text around the object; nothing else (no repair of broken JSON).
    """
    text = _FENCE.sub("", text.strip())
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end <= start:
        return None
    try:
        value = json.loads(text[start : end + 1])
    except ValueError:
        return None
    if not isinstance(value, dict):
        return None
    answer = {k: value.get(k) for k in keys}
    if not all(isinstance(v, str) and v.strip() for v in answer.values()):
        return None
    return {k: v.strip() for k, v in answer.items()}


# ----------------------------------------------------------------------------- the captioner


@dataclass
class CaptionResult:
    caption_en: str | None = None
    caption_zh: str | None = None
    short_caption_en: str | None = None
    short_caption_zh: str | None = None
    status: str = CaptionStatus.ERROR
    ok: bool | None = None
    issues: list[str] = field(default_factory=list)
    attempts: int = 0
    normalized_traditional: bool = False
    reprompt: bool = True  # QA: asking again may help (caption_qa.actions: reprompt, not drop)
    error: str | None = None
    detail: str | None = None


class Captioner:
    """The caption strategies, QA and re-prompts over any backend with
    `generate(list[ChatRequest]) -> list[str | BackendError]`. No Beam."""

    def __init__(self, config: CaptionConfig, qa: CaptionQA, prompts: Prompts | None = None):
        self.config, self.qa = config, qa
        self.prompts = prompts or Prompts.load(config.prompts)

    def caption(self, clips: Sequence[SampledClip], backend) -> list[CaptionResult]:
        config = self.config
        frames = [clip_frames(s, config.frames, config.frame_long_side) for s in clips]
        facts = [self.prompts.grounding(s.clip, config.grounding_fields) for s in clips]
        results = [CaptionResult() for _ in clips]
        pending = list(range(len(clips)))
        for attempt in range(config.reprompts + 1):
            drafts = self._drafts(
                [frames[i] for i in pending],
                [facts[i] for i in pending],
                [results[i].issues if attempt else [] for i in pending],
                backend,
            )
            retry = []
            usable = [d for d in drafts if isinstance(d, dict) and not d.get("invalid")]
            # one QA batch per attempt, so a model judge sees the borderline pairs together
            verdicts = iter(self.qa.check_many([tuple(d[k] for k in JSON_KEYS) for d in usable]))
            for i, draft in zip(pending, drafts, strict=True):
                verdict = next(verdicts) if any(draft is d for d in usable) else None
                results[i] = self._grounded(self._judge(draft, attempt + 1, verdict), clips[i])
                if (
                    results[i].status == CaptionStatus.REJECTED
                    and results[i].reprompt
                    and attempt < config.reprompts
                ):
                    retry.append(i)
            pending = retry
            if not pending:
                break
        return results

    def _judge(self, draft: dict | BackendError, attempts: int, verdict=None) -> CaptionResult:
        if isinstance(draft, BackendError):
            return CaptionResult(attempts=attempts, error=draft.error, detail=draft.detail)
        if draft.get("invalid"):
            return CaptionResult(
                status=CaptionStatus.REJECTED, ok=False, issues=[INVALID_JSON], attempts=attempts
            )
        verdict = verdict or self.qa.check(*(draft[k] for k in JSON_KEYS))
        return CaptionResult(
            caption_en=draft["caption_en"],
            caption_zh=verdict.caption_zh,
            short_caption_en=draft["short_caption_en"],
            short_caption_zh=verdict.short_caption_zh,
            status=CaptionStatus.OK if verdict.ok else CaptionStatus.REJECTED,
            ok=verdict.ok,
            issues=verdict.issues,
            attempts=attempts,
            normalized_traditional=verdict.normalized_traditional,
            reprompt=verdict.reprompt,
        )

    def _grounded(self, result: CaptionResult, sampled: SampledClip) -> CaptionResult:
        """`result` with `camera_mismatch` when its camera claim contradicts the measurement."""
        action = self.qa.config.actions.get("camera")
        if action is None or result.caption_en is None:
            return result
        issue = camera_contradiction(
            result.caption_en, result.caption_zh, sampled.clip.camera_motion
        )
        if issue is None:
            return result
        if action == "flag":
            return dataclasses.replace(result, issues=[*result.issues, issue])
        return dataclasses.replace(
            result,
            status=CaptionStatus.REJECTED,
            ok=False,
            issues=[*result.issues, issue],
            reprompt=result.reprompt
            if result.status == CaptionStatus.REJECTED
            else (action == "reprompt"),
        )

    def _request(self, template: str, frames: tuple, facts: str, issues: list[str], **kw):
        prompt = template.format(frames=len(frames), facts=facts, **kw).replace("\n\n\n", "\n\n")
        if issues:
            prompt += "\n\n" + self.prompts.reprompt.format(issues=", ".join(issues))
        return ChatRequest(prompt=prompt.strip(), frames=frames, system=self.prompts.system)

    def _drafts(self, frames, facts, issues, backend) -> list[dict | BackendError]:
        """One draft per clip: {caption_en, caption_zh, short_caption_en, short_caption_zh},
        {"invalid": True} for an unusable bilingual answer, or the BackendError."""
        p, strategy = self.prompts, self.config.strategy
        if strategy == "bilingual":
            requests = [
                dataclasses.replace(self._request(p.bilingual, f, x, i), json_answer=True)
                for f, x, i in zip(frames, facts, issues, strict=True)
            ]
            drafts = []
            for answer in backend.generate(requests):
                if isinstance(answer, BackendError):
                    drafts.append(answer)
                else:
                    drafts.append(parse_json_answer(answer) or {"invalid": True})
            return drafts
        keys = ("caption_en", "short_caption_en")
        templates = [p.dense_en, p.short_en]
        if strategy == "separate":
            keys += ("caption_zh", "short_caption_zh")
            templates += [p.dense_zh, p.short_zh]
        requests = [
            self._request(t, f, x, i)
            for f, x, i in zip(frames, facts, issues, strict=True)
            for t in templates
        ]
        answers = backend.generate(requests)
        drafts: list = []
        for c in range(len(frames)):
            mine = answers[c * len(keys) : (c + 1) * len(keys)]
            error = next((a for a in mine if isinstance(a, BackendError)), None)
            drafts.append(error or dict(zip(keys, mine, strict=True)))
        if strategy == "translate":
            todo = [d for d in drafts if isinstance(d, dict)]
            requests = [
                self._request(p.translate, (), "", [], text=d[k])
                for d in todo
                for k in ("caption_en", "short_caption_en")
            ]
            answers = backend.generate(requests)
            for n, d in enumerate(todo):
                zh, short_zh = answers[2 * n], answers[2 * n + 1]
                error = zh if isinstance(zh, BackendError) else short_zh
                if isinstance(error, BackendError):
                    drafts[drafts.index(d)] = error
                else:
                    d.update(caption_zh=zh, short_caption_zh=short_zh)
        return drafts


# ----------------------------------------------------------------------------- Beam


class LoadedCaptioner:
    """What `load_model` returns: the backend and the captioner around it (one per worker)."""

    def __init__(self, config: CaptionConfig, qa_config: CaptionQAConfig):
        from transforms.caption_backends import HFChatModel, OpenAIChatClient

        config = available(config)  # resolved here, on the worker
        if config.backend == "hf":
            hf = config.hf
            self.backend = HFChatModel(
                config.model_path,
                device=hf.device,
                dtype=hf.dtype,
                attn_implementation=hf.attn_implementation,
                frames_as=hf.frames_as,
                max_new_tokens=config.max_new_tokens,
                temperature=config.temperature,
            )
        else:
            oa = config.openai
            self.backend = OpenAIChatClient(
                config.model_path,
                config.model,
                api_key=api_key(oa.api_key_env, oa.api_key_file),
                concurrency=oa.concurrency,
                timeout_s=oa.timeout_s,
                max_retries=oa.max_retries,
                backoff_s=oa.backoff_s,
                max_new_tokens=config.max_new_tokens,
                temperature=config.temperature,
                json_mode=oa.json_mode,
            )
        # caption_qa.judge on the caption backend with no judge_model: the loaded model judges
        same = qa_config.judge == config.backend and qa_config.judge_model is None
        qa = CaptionQA(qa_config, judge_backend=self.backend if same else None)
        self.captioner = Captioner(config, qa)

    def caption(self, clips: Sequence[SampledClip]) -> list[CaptionResult]:
        return self.captioner.caption(clips, self.backend)


def with_caption(clip: Clip, result: CaptionResult, model: str, prompt_version: str) -> Clip:
    return dataclasses.replace(
        clip,
        caption_en=result.caption_en,
        caption_zh=result.caption_zh,
        short_caption_en=result.short_caption_en,
        short_caption_zh=result.short_caption_zh,
        caption_model=model,
        caption_prompt_version=prompt_version,
        caption_status=str(result.status),
        caption_ok=result.ok,
        caption_issues=list(result.issues),
    )


class _RouteCaptionFn(beam.DoFn):
    """PredictionResult -> captioned SampledClip (main), dropped Clip, Failure."""

    def __init__(self, config: CaptionConfig):
        self.config = config

    def setup(self):
        self.counters = StageCounters(STAGE)
        self.version = Prompts.load(self.config.prompts).version

    def process(self, prediction):  # a RunInference PredictionResult
        sampled, result = prediction.example, prediction.inference
        clip = with_caption(sampled.clip, result, self.config.model, self.version)
        self.counters.inc("total")
        self.counters.inc(f"status.{result.status}")
        if result.attempts > 1:
            self.counters.inc("reprompted")
        if result.normalized_traditional:
            self.counters.inc("normalized.traditional")
        for issue in result.issues:  # the name, not its evidence (colours_mismatch:car=red|蓝色)
            self.counters.inc(f"issue.{issue.split(':', 1)[0]}")
        if result.status == CaptionStatus.OK:
            self.counters.inc("kept")
            yield dataclasses.replace(sampled, clip=clip)
        elif result.status == CaptionStatus.REJECTED:
            self.counters.inc(f"dropped.{CaptionReason.BAD_CAPTION}")
            yield beam.pvalue.TaggedOutput(DROPPED, clip.with_reasons(CaptionReason.BAD_CAPTION))
        else:
            self.counters.inc(f"failed.{result.error}")
            self.counters.inc(f"dropped.{CaptionReason.CAPTION_ERROR}")
            detail = f"clip {clip.clip_id}: {result.detail}"
            yield beam.pvalue.TaggedOutput(
                FAILED, Failure(clip.source, STAGE, result.error, detail)
            )
            yield beam.pvalue.TaggedOutput(DROPPED, clip.with_reasons(CaptionReason.CAPTION_ERROR))


def _skip(sampled: SampledClip) -> SampledClip:
    clip = dataclasses.replace(sampled.clip, caption_status=CaptionStatus.SKIPPED.value)
    return dataclasses.replace(sampled, clip=clip)


def _failed_batch(failed):
    """A batch RunInference could not run (the model would not load or raised): each clip is a
    failures row and a dropped clip."""
    batch, exc = failed
    for sampled in batch:
        clip = sampled.clip
        detail = f"clip {clip.clip_id}: {type(exc).__name__}: {exc}"[:2000]
        yield beam.pvalue.TaggedOutput(FAILED, Failure(clip.source, STAGE, "model_error", detail))
        yield beam.pvalue.TaggedOutput(
            DROPPED,
            dataclasses.replace(clip, caption_status=CaptionStatus.ERROR.value).with_reasons(
                CaptionReason.CAPTION_ERROR
            ),
        )


class _PreflightFn(beam.DoFn):
    """Resolves and checks the caption model on a worker; raising fails the job at its start."""

    def __init__(self, config: CaptionConfig):
        self.config = config

    def process(self, _):
        config = available(self.config)  # CaptionUnavailable fails the bundle, then the job
        log.info("caption model %s found on the worker at %s", config.model, config.model_path)
        yield config.model_path


class PreflightModels(beam.PTransform):
    """Inputs -> the same inputs, released only after the caption model was checked on a worker
    (with the caption step's resource hints, so on the machines that will run it).

    A model that cannot be had fails the job in its first minute, before any video is read,
    instead of failing every clip after the decode.
    """

    def __init__(self, config: CaptionConfig):
        super().__init__()
        self.config = config

    def expand(self, inputs):
        if self.config.backend == "none":
            return inputs
        check = beam.ParDo(_PreflightFn(self.config))
        if self.config.accelerator:
            check = check.with_resource_hints(accelerator=self.config.accelerator)
        ready = inputs.pipeline | "Once" >> beam.Create([None]) | "CheckModel" >> check
        return inputs | "AfterCheck" >> beam.Map(lambda uri, _: uri, beam.pvalue.AsSingleton(ready))


class CaptionClips(beam.PTransform):
    """Kept SampledClips -> {"clips": captioned SampledClips, DROPPED: Clips, FAILED: Failures}.

    The model is resolved and loaded on the workers (`load_model`); `PreflightModels` checks it
    there before any video is read. `caption.accelerator` puts the step on GPU workers.
    """

    def __init__(self, config: CaptionConfig, qa_config: CaptionQAConfig):
        super().__init__()
        self.config = config
        self.qa_config = qa_config

    def expand(self, clips):
        if self.config.backend == "none":
            # One step: its dropped and failed outputs stay empty.
            skipped = clips | "Skip" >> beam.Map(_skip).with_outputs(DROPPED, FAILED, main="clips")
            return {"clips": skipped.clips, DROPPED: skipped[DROPPED], FAILED: skipped[FAILED]}
        # Imported here: Beam's inference module imports torch, which a run without captions
        # (and each of its workers) need not load.
        from apache_beam.ml.inference.base import RunInference

        from transforms.caption_inference import CaptionModelHandler

        handler = CaptionModelHandler(self.config, self.qa_config)
        caption = RunInference(handler).with_exception_handling()
        if self.config.accelerator:
            caption = caption.with_resource_hints(accelerator=self.config.accelerator)
        predictions, errors = clips | "Spread" >> beam.Reshuffle() | "Caption" >> caption
        routed = predictions | "Route" >> beam.ParDo(_RouteCaptionFn(self.config)).with_outputs(
            FAILED, DROPPED, main="clips"
        )
        failed = errors.failed_inferences | "FailedBatches" >> beam.FlatMap(
            _failed_batch
        ).with_outputs(FAILED, DROPPED)
        return {
            "clips": routed.clips,
            DROPPED: (routed[DROPPED], failed[DROPPED]) | "AllDropped" >> beam.Flatten(),
            FAILED: (routed[FAILED], failed[FAILED]) | "AllFailed" >> beam.Flatten(),
        }
