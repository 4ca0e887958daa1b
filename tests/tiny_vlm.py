"""A tiny Qwen2-VL built offline for tests: the real architecture, processor and loading path,
random weights (its text is noise, as it must be), and a local OpenAI-compatible server that
serves it for real.
"""

from __future__ import annotations

import base64
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SPECIAL = [
    "<|endoftext|>",
    "<|im_start|>",
    "<|im_end|>",
    "<|vision_start|>",
    "<|vision_end|>",
    "<|image_pad|>",
    "<|video_pad|>",
]
CHAT_TEMPLATE = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n"
    "{% if message['content'] is string %}{{ message['content'] }}{% else %}"
    "{% for part in message['content'] %}"
    "{% if part['type'] == 'image' %}<|vision_start|><|image_pad|><|vision_end|>"
    "{% elif part['type'] == 'video' %}<|vision_start|><|video_pad|><|vision_end|>"
    "{% elif part['type'] == 'text' %}{{ part['text'] }}{% endif %}{% endfor %}{% endif %}"
    "<|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
CORPUS = [
    "A man in a red jacket walks two brown dogs along a wet city street at night.",
    "夜晚，一名穿着红色夹克的男子牵着两只棕色的狗，沿着湿漉漉的城市街道行走。",
    '{"caption_en": "...", "caption_zh": "...", "short_caption_en": "...", "short_caption_zh": ""}',
    "These are frames taken in order from one video clip. Describe the whole clip in English.",
]


def build_tiny_qwen2_vl(path: Path, hidden: int = 64, vision_layers: int = 2) -> Path:
    """Save a tiny Qwen2-VL (tokenizer, processor, model) to `path`; returns `path`."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import (
        PreTrainedTokenizerFast,
        Qwen2VLConfig,
        Qwen2VLForConditionalGeneration,
        Qwen2VLImageProcessor,
        Qwen2VLProcessor,
        Qwen2VLVideoProcessor,
    )

    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=400, special_tokens=SPECIAL, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()
    )
    bpe.train_from_iterator(CORPUS * 10, trainer)
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=bpe,
        eos_token="<|im_end|>",
        pad_token="<|endoftext|>",
        chat_template=CHAT_TEMPLATE,
    )
    ids = {t: tokenizer.convert_tokens_to_ids(t) for t in SPECIAL}
    heads = 4
    head_dim = hidden // heads
    config = Qwen2VLConfig(
        text_config={
            "vocab_size": len(tokenizer),
            "hidden_size": hidden,
            "intermediate_size": 2 * hidden,
            "num_hidden_layers": 2,
            "num_attention_heads": heads,
            "num_key_value_heads": 2,
            "max_position_embeddings": 4096,
            # mrope sections (temporal, height, width) sum to half the head dim
            "rope_parameters": {
                "rope_type": "default",
                "rope_theta": 10000.0,
                "mrope_section": [
                    head_dim // 2 - 2 * (head_dim // 6),
                    head_dim // 6,
                    head_dim // 6,
                ],
            },
            "bos_token_id": ids["<|endoftext|>"],
            "eos_token_id": ids["<|im_end|>"],
            "pad_token_id": ids["<|endoftext|>"],
        },
        vision_config={
            "depth": vision_layers,
            "embed_dim": 32,
            "hidden_size": hidden,
            "num_heads": 2,
            "mlp_ratio": 2,
            "patch_size": 14,
            "spatial_merge_size": 2,
            "temporal_patch_size": 2,
        },
        image_token_id=ids["<|image_pad|>"],
        video_token_id=ids["<|video_pad|>"],
        vision_start_token_id=ids["<|vision_start|>"],
        vision_end_token_id=ids["<|vision_end|>"],
    )
    model = Qwen2VLForConditionalGeneration(config)
    model.generation_config.eos_token_id = ids["<|im_end|>"]
    model.generation_config.pad_token_id = ids["<|endoftext|>"]
    pixels = 28 * 28
    processor = Qwen2VLProcessor(
        image_processor=Qwen2VLImageProcessor(min_pixels=4 * pixels, max_pixels=64 * pixels),
        video_processor=Qwen2VLVideoProcessor(
            size={"shortest_edge": 4 * pixels, "longest_edge": 64 * 8 * pixels}
        ),
        tokenizer=tokenizer,
        chat_template=CHAT_TEMPLATE,
    )
    model.save_pretrained(path)
    processor.save_pretrained(path)
    return path


class ChatServer:
    """An OpenAI-compatible `/v1/chat/completions` on 127.0.0.1 that runs `chat_model` (an
    `HFChatModel`) on each request. Serves at most `max_requests` completions, then answers 503;
    `fail_first` makes the first N answers 503 (retries); stops with `close()` or by itself after
    `lifetime_s`."""

    def __init__(self, chat_model, name: str, max_requests: int = 200, lifetime_s: float = 300):
        from transforms.caption_backends import ChatRequest

        self.requests: list[dict] = []
        self.fail_first = 0
        self.reject_with: int | None = None
        lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path == "/v1/models":
                    self._send(200, {"object": "list", "data": [{"id": name}]})
                else:
                    self._send(404, {"error": "not found"})

            def do_POST(self):
                if self.path != "/v1/chat/completions":
                    return self._send(404, {"error": "not found"})
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with lock:
                    server.requests.append(body)
                    count = len(server.requests)
                if server.reject_with:
                    return self._send(server.reject_with, {"error": "rejected by test"})
                if count <= server.fail_first or count > max_requests:
                    return self._send(503, {"error": "busy"})
                system, prompt, frames = None, "", []
                for message in body["messages"]:
                    if message["role"] == "system":
                        system = message["content"]
                        continue
                    for part in message["content"]:
                        if part["type"] == "text":
                            prompt += part["text"]
                        elif part["type"] == "image_url":
                            frames.append(decode_data_url(part["image_url"]["url"]))
                request = ChatRequest(prompt=prompt, frames=tuple(frames), system=system)
                with lock:  # one generate at a time, as one GPU would
                    (text,) = chat_model.generate([request])
                self._send(200, {"choices": [{"message": {"role": "assistant", "content": text}}]})

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.timer = threading.Timer(lifetime_s, self.close)
        self.timer.daemon = True
        self.timer.start()

    def close(self) -> None:
        self.timer.cancel()
        self.httpd.shutdown()
        self.httpd.server_close()


def decode_data_url(url: str):
    from PIL import Image

    header, data = url.split(",", 1)
    assert header == "data:image/jpeg;base64", header
    return Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB")
