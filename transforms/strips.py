"""Strips: the report's example pictures, made from the decode pass's samples, never decoded again.

A strip is the sampled frames nearest a clip's first, middle and last frame, side by side, as one
small JPEG (a single middle frame hides a cut or a fade inside a clip; three frames show it).
The report shows a bounded, deterministic sample of clips per drop reason and of kept clips,
chosen by `pick_examples`: per reason the `examples_per_reason` lowest clip ids, and the
`kept_examples` lowest kept ones (ids are hashes, so this is an unbiased sample a re-run picks
again). The write stage applies the same rule to each group's final rows and commits strips for
its picks only, `OUT/strips/part-{group:06d}-of-{groups:06d}.parquet`, so the store is bounded
per group, and the corpus-wide pick (the lowest ids of a reason over all groups) is always among
the groups' picks: the report reads the strips of the clips it shows from their groups' parts.

Frames reach the write stage as `ClipStill`s (three JPEGs the decode pass already made, no image
work): a clip dropped in the decode pass has its final reasons, so only each source's lowest ids
per reason go on (`PickStills`); a clip kept there may still be dropped later for any reason, so
its still goes on with it, beside its samples and media. Strips are composed (decoded, scaled to
`height_px`, joined) only for the picked clips.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass

import apache_beam as beam
import pyarrow as pa

from schemas import Clip, ClipStill, SampledClip

STAGE = "strips"
STRIPS = "strips"
GAP_PX = 2
JPEG_QUALITY = 72
KEPT = "kept"
STRIP_SCHEMA = pa.schema(
    [
        pa.field("clip_id", pa.string()),
        pa.field("frame_times_s", pa.list_(pa.float64())),
        pa.field("jpeg", pa.binary()),  # null: no strip, `note` says why
        pa.field("note", pa.string()),
    ]
)
_NAME = re.compile(r"part-(\d+)-of-(\d+)\.parquet$")


@dataclass(frozen=True)
class StripConfig:
    """How many examples the report shows and how tall their strips are (the `report` section:
    examples_per_reason, kept_examples, strip_height_px); the write stage stores exactly what
    the report can pick."""

    examples_per_reason: int = 4
    kept_examples: int = 8
    height_px: int = 96

    def __post_init__(self):
        if self.examples_per_reason < 0 or self.kept_examples < 0:
            raise ValueError("report.examples_per_reason and report.kept_examples must be >= 0")
        if not 16 <= self.height_px <= 720:
            raise ValueError("report.strip_height_px must be in [16, 720]")


def strip_times(start_s: float, end_s: float, fps: float | None) -> list[float]:
    """First, middle and last frame times of [start_s, end_s)."""
    frame = 1.0 / fps if fps else 0.04
    last = max(start_s, end_s - frame)
    return [start_s, (start_s + last) / 2, last]


def still_of(sampled: SampledClip) -> ClipStill | None:
    """The sampled frames nearest the clip's first, middle and last frame (each once, in time
    order); None when the decode pass sampled no frame inside the clip."""
    times = sampled.frame_times_s
    if not times or not sampled.frames_jpg:
        return None
    clip = sampled.clip
    nearest = {
        min(range(len(times)), key=lambda i, t=t: (abs(times[i] - t), i))
        for t in strip_times(clip.start_s, clip.end_s, clip.fps)
    }
    picked = sorted(nearest)
    return ClipStill(
        source=clip.source,
        clip_id=clip.clip_id,
        frame_times_s=tuple(times[i] for i in picked),
        frames_jpg=tuple(sampled.frames_jpg[i] for i in picked),
    )


def pick_examples(clips: Iterable[Clip], per_reason: int, kept: int) -> dict[str, list[str]]:
    """The report's examples: reason -> the `per_reason` lowest ids of the clips dropped for it
    (a clip with two reasons counts for both), and 'kept' -> the `kept` lowest kept ids.

    The one rule both sides follow: the write stage on a group's rows, the report on the whole
    manifest (`pipelines/report/data.py: strip_samples`, the same rule in SQL). The k lowest of
    a union are among the k lowest of its parts, so the report's picks are the groups' picks.
    """
    ids: dict[str, list[str]] = {}
    for clip in clips:
        if clip.status == KEPT:
            ids.setdefault(KEPT, []).append(clip.clip_id)
        for reason in clip.drop_reasons:
            ids.setdefault(reason, []).append(clip.clip_id)
    return {
        reason: sorted(found)[: kept if reason == KEPT else per_reason]
        for reason, found in sorted(ids.items())
    }


def strip_jpeg(frames_jpg: Iterable[bytes], height_px: int) -> bytes:
    """Frames (upright JPEGs) scaled to `height_px`, side by side with a white gap, as a JPEG."""
    from PIL import Image

    images = []
    for data in frames_jpg:
        image = Image.open(io.BytesIO(data))
        image.draft("RGB", (1, height_px))  # let the JPEG decoder scale down by 1/2^k first
        image = image.convert("RGB")
        width = max(1, round(image.width * height_px / image.height))
        images.append(image.resize((width, height_px), Image.Resampling.BILINEAR, reducing_gap=2))
    width = sum(i.width for i in images) + GAP_PX * (len(images) - 1)
    strip = Image.new("RGB", (width, height_px), "white")
    x = 0
    for image in images:
        strip.paste(image, (x, 0))
        x += image.width + GAP_PX
    buffer = io.BytesIO()
    strip.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return buffer.getvalue()


def why_no_still(clip: Clip) -> str:
    if clip.scene_index is None:
        return "the whole video was dropped before it was decoded"
    return "no frame was sampled inside the clip"


def make_strips(
    rows: list[Clip], stills: Iterable[ClipStill], config: StripConfig
) -> list[dict] | None:
    """The strips of a group's picked clips (`pick_examples` on its final `rows`), as rows of
    `STRIP_SCHEMA` sorted by clip id; stills of other clips are passed over, never held."""
    picked = {
        clip_id
        for ids in pick_examples(rows, config.examples_per_reason, config.kept_examples).values()
        for clip_id in ids
    }
    if not picked:
        return None
    made: dict[str, dict] = {}
    for still in stills:
        if still.clip_id in picked and still.clip_id not in made:
            made[still.clip_id] = {
                "clip_id": still.clip_id,
                "frame_times_s": list(still.frame_times_s),
                "jpeg": strip_jpeg(still.frames_jpg, config.height_px),
                "note": None,
            }
    for clip in rows:
        if clip.clip_id in picked and clip.clip_id not in made:
            made[clip.clip_id] = {
                "clip_id": clip.clip_id,
                "frame_times_s": [],
                "jpeg": None,
                "note": why_no_still(clip),
            }
    return [made[k] for k in sorted(made)]


def strips_table(rows: list[dict]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=STRIP_SCHEMA)


def strips_name(group: int, groups: int) -> str:
    """A group's strips part; the group count in the name lets a reader find a source's part
    (`transforms.write.group_of`) from one listed name."""
    return f"part-{group:06d}-of-{groups:06d}.parquet"


def parse_strips_name(path: str) -> tuple[int, int] | None:
    """(group, groups) of a strips part's path; None for another name."""
    found = _NAME.search(path)
    return (int(found.group(1)), int(found.group(2))) if found else None


DROPPED_STILLS = "dropped_stills"


def _route_still(sampled, examples_per_reason: int):
    """A clip's still: kept clips' to the main output, a dropped clip's once per drop reason,
    keyed (source, reason), to `dropped_stills` (none when no example is wanted)."""
    still = still_of(sampled)
    if still is None:
        return
    clip = sampled.clip
    if clip.kept:
        yield still
    elif examples_per_reason:
        for reason in clip.drop_reasons:
            yield beam.pvalue.TaggedOutput(DROPPED_STILLS, ((clip.source, str(reason)), still))


class PickStills(beam.PTransform):
    """SampledClips of the decode pass -> ClipStills the write stage may need: every clip kept
    so far (a later stage may drop it for any reason), and of the dropped ones each source's
    `examples_per_reason` lowest ids per reason (Beam combines these before the shuffle)."""

    def __init__(self, config: StripConfig):
        super().__init__()
        self.config = config

    def expand(self, sampled):
        k = self.config.examples_per_reason
        stills = sampled | "Stills" >> beam.FlatMap(_route_still, k).with_outputs(
            DROPPED_STILLS, main="kept"
        )
        if not k:
            return stills.kept
        lowest = (
            stills[DROPPED_STILLS]
            | "LowestIds" >> beam.combiners.Top.SmallestPerKey(k, key=lambda still: still.clip_id)
            | "Lowest" >> beam.FlatMap(lambda kv: kv[1])
        )
        return (stills.kept, lowest) | "AllStills" >> beam.Flatten()
