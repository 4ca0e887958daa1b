"""Dedup: byte-identical sources are processed once.

Clip ids hash the source's content, so two identical files would yield the same clips; the
copy with the smallest URI is kept (a total order, so any runner picks the same one) and the
others get one manifest row with the reason `duplicate`.
"""

from __future__ import annotations

import apache_beam as beam

from schemas import VideoInfo
from transforms.common import StageCounters
from transforms.gate import video_row

STAGE = "dedup"
DUPLICATES = "duplicates"
DUPLICATE = "duplicate"


class _PickSourceFn(beam.DoFn):
    def setup(self):
        self.counters = StageCounters(STAGE)

    def process(self, keyed):
        _, infos = keyed
        infos = sorted(infos, key=lambda info: info.source)
        keep = infos[0]
        yield keep
        for info in infos[1:]:
            self.counters.inc(f"dropped.{DUPLICATE}")
            note = f"byte-identical to {keep.source}"
            yield beam.pvalue.TaggedOutput(DUPLICATES, video_row(info, [DUPLICATE], note))


class DedupSources(beam.PTransform):
    """VideoInfo -> one VideoInfo per content hash (main) and rows for the copies."""

    def expand(self, videos):
        return (
            videos
            | "KeyByHash"
            >> beam.Map(lambda info: (info.source_sha256, info)).with_output_types(
                tuple[str, VideoInfo]
            )
            | "GroupByHash" >> beam.GroupByKey()
            | "Pick" >> beam.ParDo(_PickSourceFn()).with_outputs(DUPLICATES, main="videos")
        )
