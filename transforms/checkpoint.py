"""Checkpoint: each source's per-source work, saved whole, so a crash before the write stage does
not send a re-run back to decoding.

The write stage commits a group of sources only after the dedup passes, which wait for every
clip; before that, a crash lost every decode, analysis, OCR/aesthetic score and object label.
`CheckpointSources` groups each source's results of those stages (its kept clips with their
scores, signatures and the samples later stages read, no mp4 bytes; its dropped rows; its
failures; the stills its report strips may be made from) and commits them as one file,
`OUT/_checkpoint/{key}.pkl` (`tables.commit`: whole or not at all), then passes them on. The
dedup passes read what it passes on, so a run's checkpoints are all committed before the first
dedup decision. A re-run of the same command (`resume`) reads them back (`ReadCheckpoints`),
decodes only the sources without one, and feeds the saved records where the stages' outputs go:
the records are the same, so the corpus is the one an uninterrupted run makes. A group's
checkpoints are removed once its completion record is committed (`remove_checkpoints`).

Captions are not checkpointed yet: a second `CheckpointSources` after `CaptionClips`, restored
by source the same way, would save them too.
"""

from __future__ import annotations

import hashlib
import pickle

import apache_beam as beam
from apache_beam.io import fileio
from apache_beam.io.filesystems import FileSystems

from transforms import tables
from transforms.common import StageCounters, by_tag

STAGE = "checkpoint"
CHECKPOINT = "_checkpoint"
KEPT, ROWS, FAILURES, STILLS = "kept", "rows", "failures", "stills"
TAGS = (KEPT, ROWS, FAILURES, STILLS)


def checkpoint_path(out_dir: str, source: str) -> str:
    """A source's checkpoint: a stable hash of its URI (any characters, any length)."""
    key = hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return tables.join(out_dir, CHECKPOINT, f"{key}.pkl")


def remove_checkpoints(out_dir: str, sources: list[str]) -> None:
    """Drop the checkpoints of sources whose outputs are committed (missing ones are fine)."""
    paths = [checkpoint_path(out_dir, s) for s in sources]
    present = [p for p in paths if FileSystems.exists(p)]
    if present:
        FileSystems.delete(present)


class _CommitFn(beam.DoFn):
    """(source, {kept, rows, failures}) -> the source's checkpoint committed, its records on.

    Records are pickled one at a time into the stream (the source first), never gathered into
    one list: a long video's clips and samples pass through one by one, as the runner's
    grouped iterable hands them over."""

    def __init__(self, out_dir: str):
        self.out_dir = out_dir

    def setup(self):
        self.counters = StageCounters(STAGE)
        self.tmp_dir = tables.join(self.out_dir, tables.TMP)
        tables.ensure_dir(tables.join(self.out_dir, CHECKPOINT))

    def process(self, keyed):
        source, values = keyed
        joined = by_tag(values)

        def write(stream):
            pickle.dump(source, stream, protocol=pickle.HIGHEST_PROTOCOL)
            for tag in TAGS:
                for record in joined.get(tag, ()):
                    pickle.dump((tag, record), stream, protocol=pickle.HIGHEST_PROTOCOL)

        tables.commit(checkpoint_path(self.out_dir, source), write, self.tmp_dir)
        self.counters.inc("sources")
        for tag in TAGS:
            yield from (_tagged(tag, record) for record in joined.get(tag, ()))


def _tagged(tag: str, record):
    return record if tag == KEPT else beam.pvalue.TaggedOutput(tag, record)


class CheckpointSources(beam.PTransform):
    """{kept: SampledClips, rows: dropped Clips, failures: Failures, stills: ClipStills (optional)}
    of the per-source stages -> the same (main: kept; `rows`, `failures`, `stills`), each
    source's committed first."""

    def __init__(self, out_dir: str):
        super().__init__()
        self.out_dir = out_dir

    def expand(self, pcolls):
        keyed = [
            pcolls[KEPT] | "KeyKept" >> beam.Map(lambda s: (s.clip.source, (KEPT, s))),
            pcolls[ROWS] | "KeyRows" >> beam.Map(lambda c: (c.source, (ROWS, c))),
            pcolls[FAILURES] | "KeyFailures" >> beam.Map(lambda f: (f.source, (FAILURES, f))),
        ]
        if STILLS in pcolls:
            keyed.append(
                pcolls[STILLS] | "KeyStills" >> beam.Map(lambda s: (s.source, (STILLS, s)))
            )
        return (
            keyed
            | "Inputs" >> beam.Flatten()
            | "BySource" >> beam.GroupByKey()
            | "Commit"
            >> beam.ParDo(_CommitFn(self.out_dir)).with_outputs(ROWS, FAILURES, STILLS, main=KEPT)
        )


def checkpoint_header(path: str) -> dict:
    """A checkpoint's source, as a completion record names its sources (so `SkipCompleted`
    takes checkpoints as it takes completion records), and its path; no record is read."""
    with FileSystems.open(path) as f:
        source = pickle.load(f)  # written by this pipeline into its own OUT
    return {"sources": [source], "path": path}


def checkpoint_records(header: dict):
    """The records of one checkpoint, read one at a time, tagged as `CheckpointSources`
    passes them on."""
    with FileSystems.open(header["path"]) as f:
        pickle.load(f)  # the source
        while True:
            try:
                tag, record = pickle.load(f)
            except EOFError:
                return
            yield _tagged(tag, record)


class ReadCheckpoints(beam.PTransform):
    """The checkpoints an earlier attempt left in OUT/_checkpoint, as headers (`sources`,
    `path`); none on a fresh run."""

    def __init__(self, out_dir: str):
        super().__init__()
        self.pattern = tables.join(out_dir, CHECKPOINT, "*.pkl")

    def expand(self, p):
        return (
            p
            | "Pattern" >> beam.Create([self.pattern])
            | "Match" >> fileio.MatchAll(fileio.EmptyMatchTreatment.ALLOW)
            | "Header" >> beam.Map(lambda match: checkpoint_header(match.path))
        )


class RestoreCheckpoints(beam.PTransform):
    """Checkpoint headers -> their records (main: kept clips; `rows`, `failures`, `stills`)."""

    def expand(self, headers):
        return headers | "Records" >> beam.FlatMap(checkpoint_records).with_outputs(
            ROWS, FAILURES, STILLS, main=KEPT
        )
