"""Clips per second of the `hf` caption backend with the tiny offline Qwen2-VL (random weights).

    PYTHONPATH=. python bench/bench_caption_hf.py [--clips 8] [--batch 4] [--max-new-tokens 32]

Runs the real path: frames picked from the decode pass of a real video and resized, the
bilingual prompt, batched `generate`, JSON validation and QA (no re-prompt, so one pass per
clip). It measures the stage's overhead around a model, not a real model's speed: with the tiny
config nearly all the time is Python, preprocessing and the generate loop. On a GPU machine run
it with `--hidden 1536 --vision-layers 32` for a model of realistic width (random weights).
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
import time
from pathlib import Path

import configs
from pipelines.config import PipelineConfig
from tests.conftest import TESTDATA
from tests.tiny_vlm import build_tiny_qwen2_vl
from transforms.caption import Captioner
from transforms.caption_backends import HFChatModel, pick_device
from transforms.caption_qa import CaptionQA
from transforms.probe import probe_file
from transforms.scenes import analyze_video, build_clips


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clips", type=int, default=8)
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--frames", type=int, default=8)
    parser.add_argument("--max-new-tokens", type=int, default=32)
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--vision-layers", type=int, default=2)
    parser.add_argument("--device", default="auto")
    args = parser.parse_args()

    config = PipelineConfig.from_dict(configs.load())
    video = str(TESTDATA / "real" / "bikes.mp4")
    info = probe_file(video, video, config.probe)
    sampled = build_clips(
        info, analyze_video(video, info, config.scenes), config.scenes, config.clips
    )
    clips = [sampled[i % len(sampled)] for i in range(args.clips)]
    caption = dataclasses.replace(
        config.caption, frames=args.frames, max_new_tokens=args.max_new_tokens, reprompts=0
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = build_tiny_qwen2_vl(Path(tmp), hidden=args.hidden, vision_layers=args.vision_layers)
        start = time.perf_counter()
        model = HFChatModel(str(path), device=args.device, max_new_tokens=args.max_new_tokens)
        load_s = time.perf_counter() - start
        captioner = Captioner(caption, CaptionQA(config.caption_qa))
        captioner.caption(clips[:1], model)  # warm-up
        start = time.perf_counter()
        for i in range(0, len(clips), args.batch):
            captioner.caption(clips[i : i + args.batch], model)
        elapsed = time.perf_counter() - start
    print(
        f"hf backend, tiny Qwen2-VL (hidden {args.hidden}, {args.vision_layers} vision layers) on "
        f"{pick_device(args.device)}: {len(clips) / elapsed:.2f} clips/s "
        f"({args.frames} frames, batch {args.batch}, {args.max_new_tokens} new tokens max); "
        f"load {load_s:.1f}s"
    )


if __name__ == "__main__":
    main()
