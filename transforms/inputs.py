"""List inputs: files, directories (recursive), globs, and text or Parquet lists of URIs.

Listing goes through Beam's FileSystems, so gs:// and s3:// work where Beam's extra for them
is installed. Directory walks and globs keep only configured video (and playlist) extensions;
an explicitly named file is always kept, so that a bad one is reported, never skipped.

A list of URIs is read in parallel, never by one worker: a text list by `ReadAllFromText`
(split into byte ranges), a Parquet list one row group per element, and its entries are
reshuffled before they are expanded. An entry that names a file is passed on unchecked: a
missing one becomes a failure row at probe, so no worker stats a million URIs in turn.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems

from schemas import Failure
from transforms.common import FAILED, StageCounters

STAGE = "inputs"
LIST_SUFFIXES = (".txt", ".lst", ".parquet")
TEXT_LISTS, PARQUET_LISTS = "text_lists", "parquet_lists"


@dataclass(frozen=True)
class InputConfig:
    # Playlist extensions are listed on purpose: they become failure rows, not silent skips.
    extensions: tuple[str, ...] = (
        *("mp4", "mov", "m4v", "mkv", "webm", "avi", "flv", "ts", "mts", "m2ts", "mpg", "mpeg"),
        *("wmv", "3gp", "ogv", "m3u8", "m3u", "ffconcat"),
    )

    def __post_init__(self):
        object.__setattr__(
            self, "extensions", tuple(e.lower().lstrip(".") for e in self.extensions)
        )


def _has_video_extension(uri: str, config: InputConfig) -> bool:
    return os.path.splitext(uri)[1].lower().lstrip(".") in config.extensions


def _is_list(uri: str) -> bool:
    return uri.lower().endswith(LIST_SUFFIXES)


def names_list(spec: str) -> bool:
    """Whether an input spec is a list of URIs (read in parallel), not a file, glob or folder."""
    return _is_list(spec) and not any(c in spec for c in "*?[")


def list_entry(line: str) -> str | None:
    """A text list's line as an entry: stripped; blank lines and `#` comments are none."""
    line = line.strip()
    return line if line and not line.startswith("#") else None


def uri_column(names: list[str]) -> str:
    return next((c for c in ("uri", "source", "path", "url") if c in names), names[0])


def parquet_row_groups(uri: str) -> list[tuple[str, str, int]]:
    """(list, column, row group) for each row group of a Parquet list (reads the footer only)."""
    import pyarrow.parquet as pq

    with FileSystems.open(uri) as f:
        meta = pq.ParquetFile(f)
        column = uri_column(meta.schema_arrow.names)
        return [(uri, column, i) for i in range(meta.num_row_groups)]


def parquet_entries(piece: tuple[str, str, int]) -> list[str]:
    import pyarrow.parquet as pq

    uri, column, row_group = piece
    with FileSystems.open(uri) as f:
        values = pq.ParquetFile(f).read_row_group(row_group, columns=[column]).column(0)
    return [str(v) for v in values.to_pylist() if v]


def _read_list(uri: str) -> list[str]:
    """A nested list's entries, read on one worker (lists of lists are small)."""
    if uri.lower().endswith(".parquet"):
        return [e for piece in parquet_row_groups(uri) for e in parquet_entries(piece)]
    with FileSystems.open(uri) as f:
        lines = f.read().decode("utf-8").splitlines()
    return [e for line in lines if (e := list_entry(line))]


def _match(pattern: str) -> list[str]:
    return [m.path for r in FileSystems.match([pattern]) for m in r.metadata_list]


def expand_input(spec: str, config: InputConfig) -> list[str]:
    """Every video URI that `spec` names; raises FileNotFoundError when it names nothing."""
    is_glob = any(c in spec for c in "*?[")
    local_dir = FileSystems.get_scheme(spec) in (None, "file") and os.path.isdir(spec)
    if local_dir or spec.endswith("/"):
        found = [
            u
            for u in _match(FileSystems.join(spec.rstrip("/"), "**"))
            if _has_video_extension(u, config)
        ]
    elif is_glob:
        found = [u for u in _match(spec) if _has_video_extension(u, config)]
    elif _is_list(spec):
        found = [u for entry in _read_list(spec) for u in expand_input(entry, config)]
    else:
        if not FileSystems.exists(spec):
            raise FileNotFoundError(f"no such input: {spec}")
        found = [spec]
    if not found and not is_glob:
        raise FileNotFoundError(f"no video files under {spec}")
    return sorted(set(found))


def expand_entry(entry: str, config: InputConfig) -> list[str]:
    """A list entry's video URIs: a file with a video extension (or any other non-directory)
    as it is, unchecked; a directory, glob or nested list expanded."""
    is_glob = any(c in entry for c in "*?[")
    if _has_video_extension(entry, config) and not is_glob:
        return [entry]
    local_dir = FileSystems.get_scheme(entry) in (None, "file") and os.path.isdir(entry)
    if is_glob or local_dir or entry.endswith("/") or _is_list(entry):
        return expand_input(entry, config)
    return [entry]


class _ExpandFn(beam.DoFn):
    """A spec -> its URIs, or (for a list) the list itself to the `text_lists` or
    `parquet_lists` output, read in parallel downstream."""

    def __init__(self, config: InputConfig, entries: bool = False, lists: bool = True):
        self.config, self.entries, self.lists = config, entries, lists

    def setup(self):
        self.counters = StageCounters(STAGE)

    def process(self, spec: str):
        try:
            if self.entries:
                yield from expand_entry(spec, self.config)
                return
            if names_list(spec):
                if not self.lists:
                    raise RuntimeError(f"{spec} is a list, but ListInputs(lists=False)")
                if not FileSystems.exists(spec):
                    raise FileNotFoundError(f"no such input: {spec}")
                parquet = spec.lower().endswith(".parquet")
                yield beam.pvalue.TaggedOutput(PARQUET_LISTS if parquet else TEXT_LISTS, spec)
                return
            uris = expand_input(spec, self.config)
        except (OSError, ValueError) as e:
            self.counters.inc("failed.not_found")
            yield beam.pvalue.TaggedOutput(FAILED, Failure(spec, STAGE, "not_found", str(e)))
            return
        yield from uris


class ListInputs(beam.PTransform):
    """Input specs -> distinct video URIs; specs that name nothing go to `failed`.

    `lists=False` says no spec is a list of URIs (see `names_list`): the steps that read lists
    in parallel are left out of the graph (each Beam step costs every run start-up time).
    """

    def __init__(self, config: InputConfig, lists: bool = True):
        super().__init__()
        self.config, self.lists = config, lists

    def expand(self, specs):
        outputs = (FAILED, TEXT_LISTS, PARQUET_LISTS)
        listed = specs | "Expand" >> beam.ParDo(
            _ExpandFn(self.config, lists=self.lists)
        ).with_outputs(*outputs, main="uris")
        if not self.lists:
            return {"uris": listed.uris | "Distinct" >> beam.Distinct(), FAILED: listed[FAILED]}
        text = (
            listed[TEXT_LISTS]
            | "ReadTextLists" >> beam.io.ReadAllFromText()
            | "Entries" >> beam.FlatMap(lambda line: [e] if (e := list_entry(line)) else [])
        )
        parquet = (
            listed[PARQUET_LISTS]
            | "RowGroups" >> beam.FlatMap(parquet_row_groups)
            | "SpreadRowGroups" >> beam.Reshuffle()
            | "ReadRowGroups" >> beam.FlatMap(parquet_entries)
        )
        entries = (
            (text, parquet)
            | "AllEntries" >> beam.Flatten()
            | "SpreadEntries" >> beam.Reshuffle()
            | "ExpandEntries"
            >> beam.ParDo(_ExpandFn(self.config, entries=True)).with_outputs(FAILED, main="uris")
        )
        uris = (listed.uris, entries.uris) | "AllUris" >> beam.Flatten()
        failed = (listed[FAILED], entries[FAILED]) | "AllFailed" >> beam.Flatten()
        return {"uris": uris | "Distinct" >> beam.Distinct(), FAILED: failed}
