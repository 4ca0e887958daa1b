"""Aspect and resolution buckets: which batch of a diffusion transformer a clip belongs in.

Diffusion transformers train on native aspect ratios and sizes (Sora, Open-Sora's bucket
config): a trainer batches clips of one bucket together. A clip's bucket is the configured
aspect ratio nearest to its display aspect (in log space, so 16:9 and 9:16 are as far from
1:1) and the largest configured resolution (short side) that its encoded frame reaches.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class BucketConfig:
    aspects: tuple[str, ...] = ("21:9", "16:9", "4:3", "1:1", "3:4", "9:16")
    resolutions: tuple[int, ...] = (240, 360, 480, 720, 1080)  # short side in px
    group_shards: bool = False  # write shards grouped by bucket (one shard never mixes two)

    def __post_init__(self):
        object.__setattr__(self, "aspects", tuple(self.aspects))
        object.__setattr__(self, "resolutions", tuple(sorted(self.resolutions)))
        if not self.aspects or not self.resolutions:
            raise ValueError("buckets.aspects and buckets.resolutions must not be empty")
        for name in self.aspects:
            aspect_value(name)
        if any(r < 16 for r in self.resolutions):
            raise ValueError("buckets.resolutions are short sides in px, at least 16")


def aspect_value(name: str) -> float:
    """'16:9' -> 1.777..."""
    try:
        w, h = (float(part) for part in name.split(":"))
    except ValueError:
        raise ValueError(f"an aspect bucket is W:H, e.g. 16:9, not {name!r}") from None
    if w <= 0 or h <= 0:
        raise ValueError(f"an aspect bucket needs positive sides: {name!r}")
    return w / h


def bucket(width: int, height: int, config: BucketConfig) -> tuple[str, str]:
    """(aspect bucket, resolution bucket) of a frame `width`x`height` with square pixels.

    A frame smaller than the smallest resolution gets that one's name with a `<` prefix.
    """
    aspect = width / height
    name = min(config.aspects, key=lambda a: (abs(math.log(aspect / aspect_value(a))), a))
    short = min(width, height)
    fits = [r for r in config.resolutions if r <= short]
    resolution = f"{fits[-1]}p" if fits else f"<{config.resolutions[0]}p"
    return name, resolution


def bucket_name(aspect: str, resolution: str) -> str:
    return f"{aspect.replace(':', 'x')}_{resolution}"
