"""Caption and aesthetics throughput on a GPU at real model sizes (random weights).

    PYTHONPATH=. python bench/bench_caption_gpu.py [--batches 1,4,8,16] [--new-tokens 256]

No checkpoint can be downloaded here, but a model's speed does not depend on its weights: this
builds Qwen2-VL-7B's architecture (text 28 x 3584, vision 32 x 1280) with random weights in
bf16 on the GPU, with the tiny offline tokenizer and processor of `tests/tiny_vlm.py` (so the
vocabulary, and with it the LM head, is tiny: ~7 % less compute than the real model), and runs
the project's own `HFChatModel.generate` on 8 frames at 448 px per clip, as the caption stage
sends them. Every answer is forced to `--new-tokens` tokens (a bilingual dense caption is
~200-300), so clips/s is for that length. Then CLIP ViT-L/14's image tower (the aesthetics
model) through timm with random weights: images/s on the GPU and on this machine's CPU cores
in the same run.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def qwen2_vl_7b(tiny_dir: Path, device: str = "cuda", smoke: bool = False):
    import torch
    from transformers import AutoConfig, Qwen2VLForConditionalGeneration

    config = AutoConfig.from_pretrained(tiny_dir)
    if smoke:  # the tiny model itself, to check this script on a CPU
        with torch.device(device):
            return Qwen2VLForConditionalGeneration._from_config(config).eval()
    text = config.text_config
    text.hidden_size, text.intermediate_size = 3584, 18944
    text.num_hidden_layers, text.num_attention_heads, text.num_key_value_heads = 28, 28, 4
    text.layer_types = ["full_attention"] * text.num_hidden_layers
    text.max_window_layers = text.num_hidden_layers
    text.rope_parameters = {**text.rope_parameters, "mrope_section": [16, 24, 24]}
    vision = config.vision_config
    vision.depth, vision.embed_dim, vision.num_heads = 32, 1280, 16
    vision.mlp_ratio, vision.hidden_size = 4, 3584
    with torch.device(device):
        model = Qwen2VLForConditionalGeneration._from_config(config, dtype=torch.bfloat16)
    model.generation_config.eos_token_id = text.eos_token_id
    model.generation_config.pad_token_id = text.pad_token_id
    return model.eval()


def caption_throughput(batches: list[int], new_tokens: int, repeat: int, smoke: bool) -> None:
    import numpy as np
    import torch
    from PIL import Image
    from transformers import AutoProcessor

    from tests.tiny_vlm import build_tiny_qwen2_vl
    from transforms.caption_backends import ChatRequest, HFChatModel

    with tempfile.TemporaryDirectory() as tmp:
        tiny = build_tiny_qwen2_vl(Path(tmp) / "tiny")
        start = time.perf_counter()
        device = "cpu" if smoke else "cuda"
        model = qwen2_vl_7b(tiny, device, smoke)
        params = sum(p.numel() for p in model.parameters()) / 1e9
        print(f"Qwen2-VL-7B architecture, random bf16 weights: {params:.2f} B parameters, "
              f"built in {time.perf_counter() - start:.1f} s")  # fmt: skip
        chat = object.__new__(HFChatModel)
        chat.device, chat.frames_as, chat.temperature, chat._torch = device, "video", 0.0, torch
        chat.processor = AutoProcessor.from_pretrained(tiny)
        chat.processor.tokenizer.padding_side = "left"
        chat.model, chat.max_new_tokens = model, new_tokens
        model.generation_config.min_new_tokens = new_tokens  # every answer runs to full length
    rng = np.random.default_rng(0)
    frames = tuple(
        Image.fromarray(rng.integers(0, 255, (252, 448, 3), dtype=np.uint8)) for _ in range(8)
    )
    prompt = (
        "These are frames taken in order from one video clip. Describe the whole clip in "
        "English and in Chinese: subjects, actions, setting, camera motion, lighting. Answer "
        'as JSON with the keys "caption_en", "caption_zh", "short_caption_en", '
        '"short_caption_zh".'
    )

    def sync():
        if not smoke:
            torch.cuda.synchronize()

    print("| batch | clips/s | output tokens/s | s per batch | peak GPU GiB |")
    print("|---|---|---|---|---|")
    for batch in batches:
        requests = [ChatRequest(prompt, frames, json_answer=True) for _ in range(batch)]
        chat.generate(requests[:1])  # warm-up
        sync()
        if not smoke:
            torch.cuda.reset_peak_memory_stats()
        start = time.perf_counter()
        for _ in range(repeat):
            chat.generate(requests)
        sync()
        per_batch = (time.perf_counter() - start) / repeat
        peak = 0.0 if smoke else torch.cuda.max_memory_allocated() / 2**30
        print(f"| {batch} | {batch / per_batch:.2f} | {batch * new_tokens / per_batch:.0f} "
              f"| {per_batch:.2f} | {peak:.1f} |")  # fmt: skip


def aesthetics_throughput(batch: int, cpu_images: int) -> None:
    import timm
    import torch

    model = timm.create_model("vit_large_patch14_clip_224", pretrained=False, num_classes=0)
    model.eval()
    with torch.inference_mode():
        x = torch.randn(cpu_images, 3, 224, 224)
        model(x[:1])
        start = time.perf_counter()
        model(x)
        cpu = cpu_images / (time.perf_counter() - start)
        gpu_model = model.to("cuda", torch.bfloat16)
        x = torch.randn(batch, 3, 224, 224, device="cuda", dtype=torch.bfloat16)
        gpu_model(x)
        torch.cuda.synchronize()
        start = time.perf_counter()
        for _ in range(5):
            gpu_model(x)
        torch.cuda.synchronize()
        gpu = 5 * batch / (time.perf_counter() - start)
    print(f"CLIP ViT-L/14 image tower (aesthetics): GPU bf16 batch {batch}: {gpu:.0f} images/s "
          f"= {gpu / 3:.0f} clips/s at 3 frames; CPU fp32 ({torch.get_num_threads()} threads): "
          f"{cpu:.1f} images/s; GPU/CPU {gpu / cpu:.0f}x")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batches", default="1,4,8,16")
    parser.add_argument("--new-tokens", type=int, default=256)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--smoke", action="store_true", help="tiny model on CPU: checks the script")
    args = parser.parse_args()
    import torch

    batches = [int(b) for b in args.batches.split(",")]
    if args.smoke:
        caption_throughput(batches, args.new_tokens, 1, smoke=True)
        return
    print(f"device: {torch.cuda.get_device_name()}, torch {torch.__version__}")
    aesthetics_throughput(64, 8)
    caption_throughput(batches, args.new_tokens, args.repeat, smoke=False)


if __name__ == "__main__":
    main()
