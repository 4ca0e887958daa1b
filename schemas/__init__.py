"""Record types shared by every stage; Arrow schemas derive from them."""

from schemas.records import (
    Clip,
    ClipMedia,
    ClipStill,
    Failure,
    SampledClip,
    VideoInfo,
    arrow_schema,
    record_to_row,
    row_to_record,
    segment_of,
)

__all__ = [
    "Clip",
    "ClipMedia",
    "ClipStill",
    "Failure",
    "SampledClip",
    "VideoInfo",
    "arrow_schema",
    "record_to_row",
    "row_to_record",
    "segment_of",
]
