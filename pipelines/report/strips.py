"""Strips in the report: read from what the run stored, never decoded from sources or shards.

The write stage commits, per group of sources, the strips of the group's examples
(`transforms.strips`: the sampled frames nearest each clip's first, middle and last frame), by
the rule the report picks with (`pick_examples`), so every clip the report shows has its strip
in its group's part, `OUT/strips/part-{group:06d}-of-{groups:06d}.parquet`. The report opens
only the parts of the groups its clips are in (a source's group from one listed name), each
bounded by the sample sizes, whatever the corpus size.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterable

from apache_beam.io.filesystems import FileSystems

from transforms import tables
from transforms.strips import STRIPS, parse_strips_name, strips_name
from transforms.write import group_of

log = logging.getLogger(__name__)
NONE_STORED = "no strip: this run stored none (written before strips were stored)"
NOT_PICKED = "no strip: not among the examples the run stored strips for (rescored since the run?)"


def _groups(out_dir: str) -> int | None:
    """The run's group count, from one listed strips part; None when the run stored none."""
    match = FileSystems.match([tables.join(out_dir, STRIPS, "part-*-of-*.parquet")], limits=[1])
    for metadata in match[0].metadata_list:
        named = parse_strips_name(metadata.path)
        if named is not None:
            return named[1]
    return None


def _read_part(path: str) -> list[dict]:
    """A strips part's rows. One file, read as a `ParquetFile`: `pyarrow.parquet.read_table`
    goes through pyarrow.dataset, whose import alone costs a run ~0.04 CPU s."""
    import pyarrow.parquet as pq

    with FileSystems.open(path) as f:
        return pq.ParquetFile(f).read().to_pylist()


def origin(frame_times_s: list[float]) -> str:
    return "sampled frames at " + ", ".join(f"{t:.2f}" for t in frame_times_s) + " s"


def read_strips(out_dir: str, clips: Iterable[dict]) -> dict[str, tuple[str | None, str]]:
    """clip_id -> (JPEG as a data: URI or None, where the frames came from or why none), for
    `clips` (manifest rows with clip_id and source), from their groups' strips parts."""
    clips = list(clips)
    groups = _groups(out_dir)
    if groups is None:
        return {c["clip_id"]: (None, NONE_STORED) for c in clips}
    by_part: dict[str, set[str]] = {}
    for clip in clips:
        name = strips_name(group_of(clip["source"], groups), groups)
        by_part.setdefault(tables.join(out_dir, STRIPS, name), set()).add(clip["clip_id"])
    found: dict[str, dict] = {}
    for path, ids in sorted(by_part.items()):
        try:
            rows = _read_part(path)
        except (OSError, ValueError) as e:  # a missing part: no example of that group stored
            log.warning("report: cannot read strips %s: %s", path, e)
            continue
        found.update((r["clip_id"], r) for r in rows if r["clip_id"] in ids)
    strips = {}
    for clip in clips:
        row = found.get(clip["clip_id"])
        if row is None:
            strips[clip["clip_id"]] = (None, NOT_PICKED)
        elif row["jpeg"] is None:
            strips[clip["clip_id"]] = (None, f"no strip: {row['note']}")
        else:
            data = base64.b64encode(row["jpeg"]).decode()
            strips[clip["clip_id"]] = (
                f"data:image/jpeg;base64,{data}",
                origin(row["frame_times_s"]),
            )
    return strips
