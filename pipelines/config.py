"""Typed stage configs from the merged YAML dict: the one place a config is checked.

The stage dataclasses (one per stage module) are the schema: their fields name the allowed keys,
their type hints the allowed values, their defaults the defaults (`configs/default.yaml` writes
the same values out, with the reasons; `tests/test_config.py` keeps the two equal), and their
`__post_init__` the cross-field rules. Loading checks every key and value against them, so an
unknown key, a misspelling or a value of the wrong type fails at launch with the key's full
name and what it allows, never later on a worker.
"""

from __future__ import annotations

import dataclasses
import difflib
import types
import typing
from dataclasses import dataclass

from configs import ConfigError
from pipelines.report_config import ReportConfig
from transforms.borders import BorderConfig
from transforms.buckets import BucketConfig
from transforms.caption import CaptionConfig
from transforms.caption_qa import CaptionQAConfig
from transforms.dedup import DedupConfig
from transforms.detect import DetectConfig
from transforms.encode import EncodeConfig
from transforms.gate import GateConfig
from transforms.inputs import InputConfig
from transforms.motion import MotionConfig
from transforms.objects import ObjectsConfig
from transforms.probe import ProbeConfig
from transforms.quality import FrameQualityConfig, QualityConfig
from transforms.scenes import ClipConfig, SceneConfig
from transforms.score import AestheticConfig, OcrConfig
from transforms.watermark import WatermarkConfig
from transforms.write import WriteConfig

# Fields filled by the loader or at run time, never written in YAML.
DERIVED = {
    "scenes": ("allowed_formats",),  # = probe.allowed_formats
    "encode": ("allowed_formats",),
    "caption": ("model_path",),  # where the model was found, on the worker
}


def did_you_mean(name: str, allowed) -> str:
    close = difflib.get_close_matches(name, list(allowed), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _type_name(hint) -> str:
    if isinstance(hint, type):
        return {"float": "a number", "int": "an integer", "bool": "true or false"}.get(
            hint.__name__, hint.__name__
        )
    args = typing.get_args(hint)
    if type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return " or ".join(_type_name(a) for a in rest) + " or null"
    origin = typing.get_origin(hint)
    if origin in (tuple, list):
        if len(args) == 2 and args[1] is Ellipsis:
            return f"a list of {_type_name(args[0])}"
        return f"a list of {len(args)}: [{', '.join(_type_name(a) for a in args)}]"
    return str(hint)


def _bad(key: str, hint, value) -> ConfigError:
    return ConfigError(f"{key}: expected {_type_name(hint)}, got {value!r}")


def check_value(key: str, value, hint):
    """`value` as `hint` allows it (lists become tuples, integers floats); raises ConfigError."""
    if dataclasses.is_dataclass(hint):
        if isinstance(value, hint):
            return value
        if not isinstance(value, dict):
            raise ConfigError(f"{key}: expected a mapping of {hint.__name__} keys, got {value!r}")
        return build(hint, value, key)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        errors = []
        for arg in (a for a in args if a is not type(None)):
            try:
                return check_value(key, value, arg)
            except ConfigError as e:
                errors.append(e)
        others = [a for a in args if a is not type(None)]
        if len(others) == 1 and dataclasses.is_dataclass(others[0]):
            raise errors[0]  # an optional section: its own error names the bad key
        raise _bad(key, hint, value)
    if origin in (tuple, list):
        if not isinstance(value, list | tuple):
            raise _bad(key, hint, value)
        if len(args) == 2 and args[1] is Ellipsis:
            items = [check_value(f"{key}[{i}]", v, args[0]) for i, v in enumerate(value)]
        elif args:
            if len(value) != len(args):
                raise _bad(key, hint, value)
            pairs = enumerate(zip(value, args, strict=True))
            items = [check_value(f"{key}[{i}]", v, a) for i, (v, a) in pairs]
        else:
            items = list(value)
        return tuple(items) if origin is tuple else items
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _bad(key, hint, value)
        return float(value)
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _bad(key, hint, value)
        return value
    if hint in (bool, str):
        if not isinstance(value, hint):
            raise _bad(key, hint, value)
        return value
    return value  # a type this loader does not know: the dataclass checks it


def build(cls, raw: dict, section: str):
    """`cls(**raw)` with every key and value checked against `cls`'s fields and type hints."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{section}: expected a mapping, got {raw!r}")
    hints = typing.get_type_hints(cls)
    allowed = [f.name for f in dataclasses.fields(cls) if f.init]
    for name in raw:
        if name not in allowed:
            raise ConfigError(
                f"unknown config key {section}.{name}{did_you_mean(str(name), allowed)}; "
                f"{section} allows: {', '.join(allowed)}"
            )
    values = {name: check_value(f"{section}.{name}", v, hints[name]) for name, v in raw.items()}
    try:
        return cls(**values)
    except (ValueError, TypeError) as e:
        message = str(e)
        prefix = "" if message.startswith(section) else f"{section}: "
        raise ConfigError(prefix + message) from e


def defaults(cls) -> dict:
    """A dataclass's defaults as YAML would write them (nested configs as mappings)."""
    out = {}
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            value = f.default
        elif f.default_factory is not dataclasses.MISSING:
            value = f.default_factory()
        else:
            continue
        if dataclasses.is_dataclass(value):
            value = defaults(type(value))
        out[f.name] = list(value) if isinstance(value, tuple) else value
    return out


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
    objects: ObjectsConfig
    borders: BorderConfig
    ocr: OcrConfig
    aesthetics: AestheticConfig
    dedup: DedupConfig
    detect: DetectConfig
    buckets: BucketConfig
    report: ReportConfig

    @classmethod
    def sections(cls) -> dict[str, type]:
        return typing.get_type_hints(cls)

    @classmethod
    def from_dict(cls, raw: dict) -> PipelineConfig:
        """Every section built and checked; raises ConfigError naming the first bad key."""
        sections = cls.sections()
        for name in raw:
            if name not in sections:
                raise ConfigError(
                    f"unknown config section {name!r}{did_you_mean(str(name), sections)}; "
                    f"allowed: {', '.join(sections)}"
                )
        built = {}
        for name, section_cls in sections.items():
            values = dict(raw.get(name) or {})
            for derived in DERIVED.get(name, ()):
                if derived in values:
                    raise ConfigError(f"{name}.{derived} is not set in YAML (it is derived)")
            if "allowed_formats" in DERIVED.get(name, ()):
                values["allowed_formats"] = (raw.get("probe") or {}).get(
                    "allowed_formats", ProbeConfig().allowed_formats
                )
            built[name] = build(section_cls, values, name)
        return cls(**built)
