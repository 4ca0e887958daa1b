"""The model judge of caption QA: a model compares the two captions of a borderline pair.

The fast checks are cheap and exact about what they know; a pair they find borderline (a check
set to `flag`, or few nouns with a counterpart) can be shown to a model, the captioning VLM or a
text LLM, through the same backends as captioning (`transforms/caption_backends.py`: `hf` in
process, `openai` behind an OpenAI-compatible endpoint). It answers JSON,
`{"disagreements": [{"kind", "en", "zh"}]}`; each becomes `judge_mismatch:KIND:EN|ZH`. An answer
that is not such JSON, or a failed request, leaves the fast verdict as it was.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass

from configs import read_fields

log = logging.getLogger(__name__)

JUDGE_KINDS = ("colour", "number", "count", "noun", "direction", "role", "negation", "other")
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.IGNORECASE)


@dataclass(frozen=True)
class JudgePrompts:
    version: str
    system: str
    compare: str

    @classmethod
    def load(cls, name: str) -> JudgePrompts:
        return read_fields(cls, name)


def _clean(text, limit: int = 60) -> str:
    return re.sub(r"[\s|:]+", " ", str(text)).strip()[:limit]


def parse_judgement(text: str) -> list[str] | None:
    """The disagreements of a judge's answer as `KIND:EN|ZH` strings ([] when it finds none), or
    None when the answer is not the JSON asked for."""
    text = _FENCE.sub("", (text or "").strip())
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end <= start:
        return None
    try:
        value = json.loads(text[start : end + 1])
    except ValueError:
        return None
    items = value.get("disagreements") if isinstance(value, dict) else None
    if not isinstance(items, list):
        return None
    found = []
    for item in items:
        if not isinstance(item, dict):
            return None
        kind = str(item.get("kind", "other")).lower()
        kind = kind if kind in JUDGE_KINDS else "other"
        found.append(f"{kind}:{_clean(item.get('en', ''))}|{_clean(item.get('zh', ''))}")
    return found


def judge_backend(config, caption_model: str | None = None, caption_base_url: str | None = None):
    """A chat backend for `config.judge` (hf | openai), built as captioning builds its own.
    Raises `CaptionUnavailable` when the model cannot be had."""
    from transforms.caption_backends import (
        HFChatModel,
        OpenAIChatClient,
        resolve_endpoint,
        resolve_hf_model,
    )

    model = config.judge_model or caption_model
    if not model:
        raise ValueError("caption_qa.judge needs caption_qa.judge_model (or the caption model)")
    if config.judge == "hf":
        return HFChatModel(resolve_hf_model(model), max_new_tokens=config.judge_max_new_tokens)
    base_url = resolve_endpoint(config.judge_base_url or caption_base_url, model)
    return OpenAIChatClient(base_url, model, max_new_tokens=config.judge_max_new_tokens)


class CaptionJudge:
    """Asks `backend` (`generate(list[ChatRequest]) -> list[str | BackendError]`) about pairs."""

    def __init__(self, backend, prompts: JudgePrompts):
        self.backend, self.prompts = backend, prompts
        self.version = prompts.version

    @classmethod
    def from_config(cls, config, backend=None, **models) -> CaptionJudge:
        prompts = JudgePrompts.load(config.judge_prompts)
        return cls(backend if backend is not None else judge_backend(config, **models), prompts)

    def requests(self, pairs):
        from transforms.caption_backends import ChatRequest

        return [
            ChatRequest(
                prompt=self.prompts.compare.format(caption_en=en or "", caption_zh=zh or ""),
                system=self.prompts.system,
                json_answer=True,
            )
            for en, zh in pairs
        ]

    def judge(self, pairs: list[tuple[str, str]]) -> list[list[str] | None]:
        """One batch: per pair its disagreements, or None where the judge gave no usable answer."""
        from transforms.caption_backends import BackendError

        answers = self.backend.generate(self.requests(pairs))
        out = []
        for answer in answers:
            if isinstance(answer, BackendError):
                log.debug("caption QA judge failed: %s", answer)
                out.append(None)
            else:
                out.append(parse_judgement(answer))
        return out
