"""Typed stage configs from the merged YAML dict."""

from __future__ import annotations

from dataclasses import dataclass

from transforms.caption import CaptionConfig
from transforms.caption_qa import CaptionQAConfig
from transforms.dedup import DedupConfig
from transforms.encode import EncodeConfig
from transforms.gate import GateConfig
from transforms.inputs import InputConfig
from transforms.motion import MotionConfig
from transforms.probe import ProbeConfig
from transforms.quality import FrameQualityConfig, QualityConfig
from transforms.scenes import ClipConfig, SceneConfig
from transforms.score import AestheticConfig, OcrConfig
from transforms.watermark import WatermarkConfig
from transforms.write import WriteConfig


@dataclass(frozen=True)
class PipelineConfig:
    inputs: InputConfig
    probe: ProbeConfig
    gate: GateConfig
    scenes: SceneConfig
    clips: ClipConfig
    encode: EncodeConfig
    write: WriteConfig
    caption: CaptionConfig
    caption_qa: CaptionQAConfig
    quality: QualityConfig
    frame_quality: FrameQualityConfig
    motion: MotionConfig
    watermark: WatermarkConfig
    ocr: OcrConfig
    aesthetics: AestheticConfig
    dedup: DedupConfig

    @classmethod
    def from_dict(cls, raw: dict) -> PipelineConfig:
        formats = raw["probe"]["allowed_formats"]
        return cls(
            inputs=InputConfig(**raw["inputs"]),
            probe=ProbeConfig(**raw["probe"]),
            gate=GateConfig(**raw["gate"]),
            scenes=SceneConfig(**raw["scenes"], allowed_formats=formats),
            clips=ClipConfig(**raw["clips"]),
            encode=EncodeConfig(**raw["encode"], allowed_formats=formats),
            write=WriteConfig(**raw["write"]),
            caption=CaptionConfig(**raw["caption"]),
            caption_qa=CaptionQAConfig(**raw["caption_qa"]),
            quality=QualityConfig(**raw["quality"]),
            frame_quality=FrameQualityConfig(**raw["frame_quality"]),
            motion=MotionConfig(**raw["motion"]),
            watermark=WatermarkConfig(**raw["watermark"]),
            ocr=OcrConfig(**raw["ocr"]),
            aesthetics=AestheticConfig(**raw["aesthetics"]),
            dedup=DedupConfig(**raw["dedup"]),
        )
