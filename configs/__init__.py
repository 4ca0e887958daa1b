"""YAML presets. `load` merges default.yaml, an optional preset and `--set key=value` overrides."""

from __future__ import annotations

import copy
import difflib
from importlib import resources
from pathlib import Path

import yaml


class ConfigError(ValueError):
    """A config key or value that is not allowed; the message names the key."""


def _merge(base: dict, extra: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def parse_yaml(text: str):
    """`yaml.safe_load` through libyaml's parser where PyYAML has it (the same resolver and
    constructors, so the same values; ~10x faster on default.yaml, read a few times per run)."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def dump_yaml(data) -> str:
    """`yaml.safe_dump(data, sort_keys=False, allow_unicode=True)` through libyaml's emitter where
    PyYAML has it (the same representer and resolver; the same text on every preset, ~4x less
    CPU: a run writes its config twice, to OUT/config.yaml and into the report)."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True)


def read_yaml(name: str):
    """A YAML file by path, or by name inside this package (presets, prompts, the lexicon)."""
    path = Path(name)
    if not path.exists():
        path = Path(str(resources.files(__package__).joinpath(name)))
    return parse_yaml(path.read_text(encoding="utf-8"))


def read_fields(cls, name: str):
    """A dataclass whose every field is read from the YAML file `name` (prompt files)."""
    import dataclasses

    raw = read_yaml(name)
    return cls(**{f.name: raw[f.name] for f in dataclasses.fields(cls)})


def default() -> dict:
    return parse_yaml(resources.files(__package__).joinpath("default.yaml").read_text())


def _unknown(kind: str, dotted: str, name: str, allowed) -> ConfigError:
    close = difflib.get_close_matches(name, [str(a) for a in allowed], n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return ConfigError(
        f"unknown config {kind} {dotted!r}{hint}; allowed: {', '.join(map(str, allowed))}"
    )


def apply_set(config: dict, assignment: str) -> dict:
    """Apply one `section.key=value` override; the value is parsed as YAML (null, lists)."""
    if "=" not in assignment:
        raise ValueError(f"--set expects key=value, got {assignment!r}")
    dotted, raw = assignment.split("=", 1)
    keys = dotted.strip().split(".")
    # An optional section that is off by default (null) takes any key here; they are
    # checked when the config is built.
    node, base, opened = config, default(), False
    for key in keys[:-1]:
        base = base.get(key) if isinstance(base, dict) else None
        opened = opened or (key in node and base is None)
        if key in node and node[key] is None:
            node[key] = {}
        if not isinstance(node.get(key), dict):
            raise _unknown(
                "section", dotted, key, [k for k, v in node.items() if isinstance(v, dict)]
            )
        node = node[key]
    if keys[-1] not in node and not opened:
        raise _unknown("key", dotted, keys[-1], list(node))
    node[keys[-1]] = yaml.safe_load(raw)
    return config


def load(path: str | None = None, sets: list[str] | None = None) -> dict:
    config = default()
    if path:
        config = _merge(config, read_yaml(path) or {})
    for assignment in sets or []:
        config = apply_set(config, assignment)
    return config
