"""The Beam `ModelHandler` that runs the captioner inside `RunInference`.

A module of its own because Beam's inference module imports torch: only a run that captions
loads it.
"""

from __future__ import annotations

from apache_beam.ml.inference.base import ModelHandler, PredictionResult

from schemas import SampledClip
from transforms.caption import STAGE, CaptionConfig, LoadedCaptioner
from transforms.caption_qa import CaptionQAConfig


class CaptionModelHandler(ModelHandler[SampledClip, PredictionResult, LoadedCaptioner]):
    """RunInference handler: SampledClips in, PredictionResult(clip, CaptionResult) out."""

    def __init__(self, config: CaptionConfig, qa_config: CaptionQAConfig):
        if config.backend == "hf":
            batch = {
                "min_batch_size": config.hf.min_batch_size,
                "max_batch_size": config.hf.max_batch_size,
            }
        else:
            batch = {"min_batch_size": 1, "max_batch_size": config.openai.batch_size}
        # Through the methods below, not ModelHandler's constructor: its batching and large_model
        # arguments exist only from Beam 2.72, these methods from much earlier.
        super().__init__()
        self.batch, self.config, self.qa_config = batch, config, qa_config

    def batch_elements_kwargs(self) -> dict:
        return dict(self.batch)

    def share_model_across_processes(self) -> bool:
        """Asked on the worker: `auto` is on where that machine has a GPU."""
        if self.config.backend != "hf":
            return False
        share = self.config.hf.share_model_across_processes
        if share == "auto":
            from transforms.caption_backends import pick_device

            return pick_device(self.config.hf.device).startswith("cuda")
        return bool(share)

    def load_model(self) -> LoadedCaptioner:
        return LoadedCaptioner(self.config, self.qa_config)

    def run_inference(self, batch, model, inference_args=None):
        results = model.caption(list(batch))
        return [
            PredictionResult(s, r, model_id=self.config.model)
            for s, r in zip(batch, results, strict=True)
        ]

    def get_num_bytes(self, batch) -> int:
        return sum(len(f) for s in batch for f in s.frames_jpg)

    def get_metrics_namespace(self) -> str:
        return STAGE
