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
        large = config.backend == "hf" and config.hf.share_model_across_processes
        super().__init__(**batch, large_model=large)
        self.config, self.qa_config = config, qa_config

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
