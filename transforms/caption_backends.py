"""Chat backends for captioning: a transformers VLM in-process, or an OpenAI-compatible endpoint.

Both take the same `ChatRequest`s (a prompt, optional frames, a system prompt) and return one
answer per request, so the caption strategies in `transforms/caption.py` do not care where the
model runs. `available()` runs before the pipeline starts: a model that cannot be had fails the
run there, with the ways out, instead of failing every clip later.
"""

from __future__ import annotations

import base64
import io
import logging
import os
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

BASE_URL_ENV = "CLIPLOOM_OPENAI_BASE_URL"
RETRY_STATUS = (408, 409, 429, 500, 502, 503, 504)


class CaptionUnavailable(RuntimeError):
    """The configured caption model cannot be reached; raised before the pipeline runs."""


class BackendError(Exception):
    """One request failed for good (after retries); `error` is a snake_case kind."""

    def __init__(self, error: str, detail: str):
        super().__init__(f"{error}: {detail}")
        self.error, self.detail = error, detail


@dataclass(frozen=True)
class ChatRequest:
    prompt: str
    frames: tuple = ()  # PIL images, in time order
    system: str | None = None
    json_answer: bool = False


def ways_out(model: str) -> str:
    return (
        "Ways out: put the model in a local directory and set caption.model=/path/to/model "
        f"(a directory with config.json, e.g. a download of {model}); or serve a VLM behind an "
        "OpenAI-compatible endpoint (vLLM, SGLang) and set caption.backend=openai "
        "caption.openai.base_url=http://HOST:PORT/v1 caption.model=NAME; or run without "
        "captions: --set caption.backend=none."
    )


def looks_like_path(model: str) -> bool:
    return model.startswith(("/", ".", "~")) or model.count("/") != 1


def resolve_hf_model(model: str, hub_timeout_s: float = 10.0) -> str:
    """A local directory for `model` (a path, or a hub id already in the local cache), or the hub
    id itself when the hub answers (workers then download it). Raises CaptionUnavailable."""
    path = Path(model).expanduser()
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise CaptionUnavailable(
                f"caption.backend=hf: {model} is a directory without config.json, not a "
                f"transformers model. {ways_out(model)}"
            )
        check_loadable(path, model)
        return str(path.resolve())
    if looks_like_path(model):
        raise CaptionUnavailable(
            f"caption.backend=hf: model directory {model} does not exist. {ways_out(model)}"
        )
    from huggingface_hub import model_info, snapshot_download

    try:
        return snapshot_download(model, local_files_only=True)
    except Exception as cached_error:  # not in the cache: is the hub reachable?
        if os.environ.get("HF_HUB_OFFLINE") not in (None, "", "0"):
            raise CaptionUnavailable(
                f"caption.backend=hf: model {model} is not in the local Hugging Face cache and "
                f"HF_HUB_OFFLINE is set. {ways_out(model)}"
            ) from cached_error
        try:
            model_info(model, timeout=hub_timeout_s)
        except Exception as e:
            raise CaptionUnavailable(
                f"caption.backend=hf: model {model} is not in the local Hugging Face cache and "
                f"the hub cannot be reached ({type(e).__name__}: {e}). {ways_out(model)}"
            ) from e
        log.warning("caption model %s is not cached: each worker downloads it from the hub", model)
        return model


def check_loadable(path: Path, model: str) -> None:
    """Config, processor and weight files load or exist: a broken directory fails at start,
    not in every worker after the videos were decoded."""
    from transformers import AutoConfig, AutoProcessor

    try:
        AutoConfig.from_pretrained(path)
        AutoProcessor.from_pretrained(path)
    except Exception as e:
        raise CaptionUnavailable(
            f"caption.backend=hf: model directory {model} cannot be loaded "
            f"({type(e).__name__}: {str(e)[:300]}). {ways_out(model)}"
        ) from e
    if not any(path.glob("*.safetensors")) and not any(path.glob("*.bin")):
        raise CaptionUnavailable(
            f"caption.backend=hf: model directory {model} has no weights (*.safetensors, *.bin). "
            f"{ways_out(model)}"
        )


def resolve_endpoint(base_url: str | None, model: str, timeout_s: float = 10.0) -> str:
    """The endpoint's base URL, checked: it answers and serves `model`."""
    import requests

    base_url = (base_url or os.environ.get(BASE_URL_ENV) or "").rstrip("/")
    if not base_url:
        raise CaptionUnavailable(
            "caption.backend=openai needs an endpoint: set caption.openai.base_url (e.g. "
            f"http://localhost:8000/v1) or {BASE_URL_ENV}. {ways_out(model)}"
        )
    try:
        reply = requests.get(f"{base_url}/models", timeout=timeout_s)
    except requests.RequestException as e:
        raise CaptionUnavailable(
            f"caption.backend=openai: endpoint {base_url} for model {model} cannot be reached "
            f"({type(e).__name__}). {ways_out(model)}"
        ) from e
    if reply.status_code == 200:
        served = [m.get("id") for m in reply.json().get("data", [])]
        if served and model not in served:
            raise CaptionUnavailable(
                f"caption.backend=openai: endpoint {base_url} does not serve model {model}; it "
                f"serves {', '.join(map(str, served))}. Set caption.model to one of them."
            )
    elif reply.status_code in (401, 403):
        raise CaptionUnavailable(
            f"caption.backend=openai: endpoint {base_url} refused the key ({reply.status_code}); "
            "set the environment variable named by caption.openai.api_key_env."
        )
    return base_url


# ----------------------------------------------------------------------------- hf


def pick_device(device: str) -> str:
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return device


def pick_dtype(dtype: str, device: str):
    import torch

    if dtype == "auto":
        return torch.bfloat16 if device.startswith("cuda") else torch.float32
    return getattr(torch, dtype)


class HFChatModel:
    """A transformers vision-language model (Qwen2-VL / Qwen2.5-VL family and other
    image-text-to-text models), loaded once, answering batches of requests with `generate`."""

    def __init__(
        self,
        model_path: str,
        *,
        device: str = "auto",
        dtype: str = "auto",
        attn_implementation: str | None = "sdpa",
        frames_as: str = "video",
        max_new_tokens: int = 512,
        temperature: float = 0.0,
    ):
        import torch
        from transformers import AutoModelForImageTextToText, AutoProcessor

        self.device = pick_device(device)
        self.processor = AutoProcessor.from_pretrained(model_path)
        self.processor.tokenizer.padding_side = "left"  # decoder-only batched generation
        kwargs = {"dtype": pick_dtype(dtype, self.device)}
        if attn_implementation:
            kwargs["attn_implementation"] = attn_implementation
        self.model = AutoModelForImageTextToText.from_pretrained(model_path, **kwargs)
        self.model.to(self.device).eval()
        self.frames_as = frames_as
        self.max_new_tokens = max_new_tokens
        self.temperature = temperature
        self._torch = torch

    def _messages(self, request: ChatRequest) -> list[dict]:
        content: list[dict] = []
        if request.frames:
            if self.frames_as == "video":
                content.append({"type": "video"})
            else:
                content += [{"type": "image"} for _ in request.frames]
        content.append({"type": "text", "text": request.prompt})
        messages = [{"role": "user", "content": content}]
        if request.system:
            messages.insert(
                0, {"role": "system", "content": [{"type": "text", "text": request.system}]}
            )
        return messages

    def generate(self, requests: list[ChatRequest]) -> list[str]:
        if not requests:
            return []
        texts = [
            self.processor.apply_chat_template(
                self._messages(r), add_generation_prompt=True, tokenize=False
            )
            for r in requests
        ]
        media: dict = {}
        with_frames = [r for r in requests if r.frames]
        if with_frames and self.frames_as == "video":
            # Qwen2-VL takes frames as a video (temporal patches of 2): an even count of frames.
            media["videos"] = [
                list(r.frames) + list(r.frames[-1:]) * (len(r.frames) % 2) for r in with_frames
            ]
            media["videos_kwargs"] = {"do_sample_frames": False}
        elif with_frames:
            media["images"] = [list(r.frames) for r in with_frames]
        inputs = self.processor(text=texts, padding=True, return_tensors="pt", **media)
        inputs = inputs.to(self.device)
        sampling = {"do_sample": self.temperature > 0}
        if self.temperature > 0:
            sampling["temperature"] = self.temperature
        with self._torch.inference_mode():
            out = self.model.generate(**inputs, max_new_tokens=self.max_new_tokens, **sampling)
        new_tokens = out[:, inputs["input_ids"].shape[1] :]
        return [
            t.strip() for t in self.processor.batch_decode(new_tokens, skip_special_tokens=True)
        ]


# ----------------------------------------------------------------------------- openai


def jpeg_data_url(frame, quality: int = 90) -> str:
    buffer = io.BytesIO()
    frame.convert("RGB").save(buffer, format="JPEG", quality=quality)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode()


class OpenAIChatClient:
    """An OpenAI-compatible `/chat/completions` endpoint: frames go as base64 JPEG image parts.

    At most `concurrency` requests are in flight per client; each has a timeout and is retried on
    timeouts, connection errors, 429 and 5xx with exponential backoff and jitter. A request that
    fails for good is returned as a `BackendError`, so one bad answer never fails a batch.
    """

    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        api_key: str | None = None,
        concurrency: int = 8,
        timeout_s: float = 120.0,
        max_retries: int = 4,
        backoff_s: float = 1.0,
        max_new_tokens: int = 512,
        temperature: float = 0.0,
        json_mode: bool = True,
    ):
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model, self.api_key = model, api_key
        self.timeout_s, self.max_retries, self.backoff_s = timeout_s, max_retries, backoff_s
        self.max_new_tokens, self.temperature, self.json_mode = (
            max_new_tokens,
            temperature,
            json_mode,
        )
        self.pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="caption-http")
        self._local = threading.local()

    def __getstate__(self):  # Beam may pickle the loaded model with its handler
        raise TypeError("OpenAIChatClient is created per worker in load_model(), not pickled")

    def payload(self, request: ChatRequest) -> dict:
        content: list[dict] = [
            {"type": "image_url", "image_url": {"url": jpeg_data_url(f)}} for f in request.frames
        ]
        content.append({"type": "text", "text": request.prompt})
        messages = [{"role": "user", "content": content}]
        if request.system:
            messages.insert(0, {"role": "system", "content": request.system})
        body = {
            "model": self.model,
            "messages": messages,
            "max_tokens": self.max_new_tokens,
            "temperature": self.temperature,
        }
        if request.json_answer and self.json_mode:
            body["response_format"] = {"type": "json_object"}
        return body

    def _session(self):
        import requests

        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
            if self.api_key:
                session.headers["Authorization"] = f"Bearer {self.api_key}"
        return session

    def _wait(self, attempt: int, retry_after: str | None) -> None:
        delay = self.backoff_s * 2**attempt + random.uniform(0, self.backoff_s)
        if retry_after and retry_after.isdigit():
            delay = max(delay, min(float(retry_after), 60.0))
        time.sleep(delay)

    def _post(self, request: ChatRequest) -> str | BackendError:
        import requests

        body = self.payload(request)
        last = BackendError("caption_request_failed", "no attempt made")
        for attempt in range(self.max_retries + 1):
            retry_after = None
            try:
                reply = self._session().post(self.url, json=body, timeout=self.timeout_s)
            except requests.Timeout:
                last = BackendError("caption_timeout", f"no answer in {self.timeout_s}s")
            except requests.RequestException as e:
                last = BackendError("caption_connection_error", f"{type(e).__name__}: {e}")
            else:
                if reply.status_code == 200:
                    try:
                        return reply.json()["choices"][0]["message"]["content"] or ""
                    except (ValueError, KeyError, IndexError, TypeError) as e:
                        return BackendError("caption_bad_response", f"{e}: {reply.text[:200]}")
                last = BackendError(f"caption_http_{reply.status_code}", reply.text[:500])
                if reply.status_code not in RETRY_STATUS:
                    return last
                retry_after = reply.headers.get("Retry-After")
            if attempt < self.max_retries:
                self._wait(attempt, retry_after)
        return last

    def generate(self, requests: list[ChatRequest]) -> list[str | BackendError]:
        return list(self.pool.map(self._post, requests))


def api_key(env_name: str | None, key_file: str | None = None) -> str | None:
    """The endpoint's key on this worker: from `key_file` (any Beam path, e.g. gs://, readable
    with the worker's service account) when set, else the environment variable `env_name`."""
    if key_file:
        from apache_beam.io.filesystems import FileSystems

        with FileSystems.open(key_file) as f:
            return f.read().decode().strip()
    return os.environ.get(env_name) if env_name else None
