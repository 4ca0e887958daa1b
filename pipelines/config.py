"""Typed stage configs from the merged YAML dict."""

from __future__ import annotations

from dataclasses import dataclass, field

from transforms.dedup import DedupConfig
from transforms.encode import EncodeConfig
from transforms.gate import GateConfig
from transforms.inputs import InputConfig
from transforms.probe import ProbeConfig
from transforms.scenes import ClipConfig, SceneConfig
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
    dedup: DedupConfig = field(default_factory=DedupConfig)

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
            dedup=DedupConfig(**raw.get("dedup", {})),
        )
