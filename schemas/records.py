"""Every record that flows between stages, defined once.

Units live in field names (`_s`, `_px`, `_bytes`). Manifest and failures columns are derived
from these dataclasses by `arrow_schema`, so a field added here is a column everywhere.
"""

from __future__ import annotations

import dataclasses
import hashlib
import types
import typing
from dataclasses import dataclass, field

import pyarrow as pa


@dataclass(frozen=True)
class VideoInfo:
    """What the probe learned about one source video, before decoding it."""

    source: str
    source_sha256: str
    size_bytes: int
    container: str
    codec: str
    pix_fmt: str
    width: int  # after rotation
    height: int  # after rotation
    rotation_deg: int  # clockwise degrees to apply for upright display: 0, 90, 180, 270
    duration_s: float
    fps: float  # average frame rate
    fps_real: float  # r_frame_rate: the lowest rate that represents every timestamp
    bit_rate: int | None
    frame_count: int | None
    has_audio: bool
    start_time_s: float = 0.0
    # Display shape: sample aspect ratio of the stored pixels (1.0 = square; a missing or absurd
    # SAR is treated as square), and the upright size with square pixels (SAR and rotation
    # applied). None where not probed: treat as (width, height).
    sample_aspect_ratio: float = 1.0
    display_width: int | None = None
    display_height: int | None = None
    vfr: bool = False  # frame durations vary (variable frame rate)
    # Stored as fields (interlaced: the stream's field order or its first frame says so):
    # deinterlaced when re-encoded, never copied.
    interlaced: bool = False
    # HDR transfer ("smpte2084" PQ or "arib-std-b67" HLG; None: SDR): seen and written as SDR
    # BT.709 (transforms/hdr.py)
    hdr: str | None = None

    @property
    def bits_per_pixel(self) -> float | None:
        if not self.bit_rate or not self.fps or not self.width or not self.height:
            return None
        return self.bit_rate / (self.width * self.height * self.fps)


@dataclass(frozen=True)
class Clip:
    """One candidate clip, kept or dropped: a row of the manifest and the JSON in a shard."""

    clip_id: str
    source: str
    source_sha256: str
    scene_index: int | None
    scene_start_s: float | None
    scene_end_s: float | None
    start_s: float
    end_s: float
    duration_s: float
    width: int
    height: int
    fps: float
    source_duration_s: float
    # display shape and timing of the source (see VideoInfo); rotation is clockwise degrees
    sample_aspect_ratio: float | None = None
    display_width: int | None = None
    display_height: int | None = None
    rotation: int | None = None
    source_fps_avg: float | None = None
    vfr: bool | None = None
    interlaced: bool | None = None  # the source is interlaced; its clips are deinterlaced
    hdr: str | None = None  # the source's HDR transfer; its clips are tone-mapped to SDR
    # The picture inside black bars (transforms/borders.py), [x, y, w, h] fractions of the
    # upright frame: what the clip, its samples and object boxes keep; None: no bars
    crop_box: list[float] | None = None
    # how the clip's scene starts and ends (transforms/transitions.py BoundaryKind): cut,
    # gradual, video_start, video_end, segment (a border between time segments of a long video)
    scene_start_kind: str | None = None
    scene_end_kind: str | None = None
    status: str = "kept"  # kept | dropped
    drop_reasons: list[str] = field(default_factory=list)
    note: str | None = None
    shard: str | None = None
    out_width: int | None = None
    out_height: int | None = None
    out_fps: float | None = None
    out_bytes: int | None = None
    # how the clip was written (transforms/encode.py): copy | smart | reencode; the source
    # times of its first and last frame, and its length as written (frames x frame duration)
    encode_mode: str | None = None
    first_frame_s: float | None = None
    last_frame_s: float | None = None
    out_duration_s: float | None = None
    # captions (transforms/caption.py); caption_status: skipped | ok | rejected | error
    caption_en: str | None = None
    caption_zh: str | None = None
    short_caption_en: str | None = None
    short_caption_zh: str | None = None
    caption_model: str | None = None
    caption_prompt_version: str | None = None
    caption_status: str | None = None
    caption_ok: bool | None = None
    caption_issues: list[str] | None = None
    # Quality and motion scores (transforms/quality.py, motion.py, score.py); null where not
    # computed. Cheap ones come from the decode pass for every clip, OCR and aesthetics only
    # for clips that passed the cheap checks. Motion is in px at short side 256 per 1/8 s.
    luma_mean: float | None = None
    dark_frac: float | None = None
    bright_frac: float | None = None
    blur_var: float | None = None
    luma_flicker: float | None = None
    motion_mean_px: float | None = None
    motion_top5_px: float | None = None
    camera_motion: str | None = None
    camera_pan_px: float | None = None
    camera_tilt_px: float | None = None
    camera_zoom_px: float | None = None
    camera_jitter_px: float | None = None
    text_area_frac: float | None = None
    text_area_fracs: list[float] | None = None
    ocr_text: str | None = None
    aesthetic: float | None = None
    image_embedding: list[float] | None = None  # L2-normalised mean of the frames' embeddings
    embedding_model: str | None = None
    camera_speed_px: float | None = None  # median per-step camera motion (pan, tilt, zoom)
    edge_sharpness: float | None = None  # steepness of the strongest edges (~1: a step edge)
    # Static overlay (transforms/watermark.py): share of the frame and the box (x, y, w, h as
    # fractions of the upright frame; of the picture inside crop_box where there is one) of
    # edges that stay put while the picture changes.
    watermark_frac: float | None = None
    watermark_box: list[float] | None = None
    # Moving objects and VBench-style scores (transforms/objects.py): tracks, their boxes'
    # median speed (px at short side 256 per second), the share of frames with an object, and
    # temporal flicker, motion smoothness, subject and background consistency in [0, 1].
    n_tracks: int | None = None
    box_motion_px: float | None = None
    object_frame_frac: float | None = None
    temporal_flicker: float | None = None
    motion_smoothness: float | None = None
    subject_consistency: float | None = None
    background_consistency: float | None = None
    # aspect and resolution bucket of the encoded clip (transforms/buckets.py), e.g. 16:9, 720p
    aspect_bucket: str | None = None
    resolution_bucket: str | None = None
    # dedup: pHash (signed int64) of each informative sampled frame, whole and central 90%
    phash: list[int] | None = None
    phash_center: list[int] | None = None
    duplicate_of: str | None = None  # the kept clip (or a previous corpus's clip) this repeats
    dup_group: str | None = None  # id of the near-duplicate group: its kept clip's id
    caption_duplicate_of: str | None = None  # kept clip whose captions this one's repeat
    # Optional watermark classifier (watermark.classifier, transforms/score.py): the watermark
    # probability of each classified sampled frame, their mean, and the model that gave them.
    watermark_probs: list[float] | None = None
    watermark_prob: float | None = None
    watermark_model: str | None = None
    # OCR (transforms/score.py): per OCR'd frame, the width (share of the frame's) of its
    # widest subtitle-shaped text line, 0 for none; quality's `subtitles` reason.
    subtitle_width_fracs: list[float] | None = None

    def with_reasons(self, *reasons: str) -> Clip:
        merged = sorted(set(self.drop_reasons) | set(reasons))
        return dataclasses.replace(
            self, drop_reasons=merged, status="dropped" if merged else "kept"
        )

    @property
    def kept(self) -> bool:
        return self.status == "kept"


@dataclass(frozen=True)
class SampledClip:
    """A candidate clip with the frames sampled for it in the decode pass.

    Stages that look at pixels (OCR, aesthetics, captions, near-duplicate signatures, the
    report's strips) use these frames instead of decoding the video again. Frames are upright
    JPEGs whose short side is `scenes.sample_short_side`, taken every `scenes.sample_every_s`
    inside the clip. Past the checkpoint a clip carries only the frames later stages read; the
    others are empty (`keeping`).
    """

    clip: Clip
    frame_times_s: tuple[float, ...] = ()
    frames_jpg: tuple[bytes, ...] = ()
    boxes_json: str | None = None  # {clip_id}.boxes.json of the shard (transforms/objects.py)
    # Per frame, its upright bottom band at a higher resolution, for OCR (scenes.sample_band_*,
    # transforms/text_band.py), or None; empty where the decode pass kept none.
    bands_jpg: tuple[bytes | None, ...] = ()

    def pick(self, n: int) -> list[int]:
        """Indices of `n` frames spread evenly over the clip (all of them when fewer)."""
        count = len(self.frames_jpg)
        if count <= n:
            return list(range(count))
        return [round((i + 0.5) * count / n - 0.5) for i in range(n)]

    def keeping(self, *counts: int) -> SampledClip:
        """The clip with only the frames `pick(n)` takes for each `n` of `counts`; the others
        are emptied (b""), so every `pick` and index stays the same. A stage drops the frames
        no later stage reads before a shuffle: the runner copies an element's bytes ~10 times
        at each (the bench input's kept clips carry ~8 MB of frames)."""
        keep = {i for n in counts for i in self.pick(n)}
        frames = tuple(f if i in keep else b"" for i, f in enumerate(self.frames_jpg))
        return dataclasses.replace(self, frames_jpg=frames)


@dataclass(frozen=True)
class ClipStill:
    """The sampled frames nearest a clip's first, middle and last frame (upright JPEGs of the
    decode pass, each once, in time order), on their way to the write stage, which makes the
    report's example strips from them (transforms/strips.py)."""

    source: str
    clip_id: str
    frame_times_s: tuple[float, ...]
    frames_jpg: tuple[bytes, ...]


@dataclass(frozen=True)
class ClipMedia:
    """An encoded kept clip on its way into a shard: its mp4 bytes, or (`mp4` empty) the file
    `mp4_path` the encode stage staged them in under OUT/.tmp. A runner copies an element's
    bytes ~10 times at each shuffle (encode, protos, decode): the bench input's 35 MB of clips
    cost 0.45 CPU s on their way to the writer's GroupByKey."""

    clip: Clip
    mp4: bytes
    jpg: bytes
    mp4_path: str | None = None


@dataclass(frozen=True)
class Failure:
    """An input or element that could not be processed: a row of failures.parquet."""

    source: str
    stage: str
    error: str  # snake_case kind of failure, also the counter name `failed.<error>`
    detail: str


# A segment's scenes are numbered from its index times this (scene_index), so they stay unique
# across the segments of a long video.
SEGMENT_SCENES = 100_000


def segment_of(clip: Clip) -> int:
    """The index of the time segment (scenes.segment_s) whose decode found the clip."""
    return (clip.scene_index or 0) // SEGMENT_SCENES


def clip_id_for(source_sha256: str, start_s: float, end_s: float, salt: str = "") -> str:
    """A clip id from the source's content and the time span (ms): stable across re-runs."""
    key = f"{source_sha256}:{round(start_s * 1000)}:{round(end_s * 1000)}:{salt}"
    return hashlib.sha256(key.encode()).hexdigest()[:20]


_ARROW_TYPES = {
    str: pa.string(),
    int: pa.int64(),
    float: pa.float64(),
    bool: pa.bool_(),
    bytes: pa.binary(),
}


def _arrow_type(hint: typing.Any) -> pa.DataType:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return _arrow_type(args[0])
    if origin is list:
        return pa.list_(_arrow_type(typing.get_args(hint)[0]))
    return _ARROW_TYPES[hint]


def arrow_schema(cls: type) -> pa.Schema:
    hints = typing.get_type_hints(cls)
    return pa.schema(
        [pa.field(f.name, _arrow_type(hints[f.name])) for f in dataclasses.fields(cls)]
    )


def record_to_row(record: typing.Any) -> dict:
    return dataclasses.asdict(record)


def row_to_record(cls: type, row: dict) -> typing.Any:
    names = {f.name for f in dataclasses.fields(cls)}
    return cls(**{k: v for k, v in row.items() if k in names})
