"""List inputs: files, directories (recursive), globs, and text or Parquet lists of URIs.

Listing goes through Beam's FileSystems, so gs:// and s3:// work where Beam's extra for them
is installed. Directory walks and globs keep only configured video (and playlist) extensions;
an explicitly named file is always kept, so that a bad one is reported, never skipped.
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


def _read_list(uri: str) -> list[str]:
    if uri.lower().endswith(".parquet"):
        import pyarrow.parquet as pq

        with FileSystems.open(uri) as f:
            table = pq.read_table(f)
        column = next(
            (c for c in ("uri", "source", "path", "url") if c in table.column_names),
            table.column_names[0],
        )
        return [str(v) for v in table.column(column).to_pylist() if v]
    with FileSystems.open(uri) as f:
        lines = f.read().decode("utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


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
    elif spec.lower().endswith(LIST_SUFFIXES):
        found = [u for entry in _read_list(spec) for u in expand_input(entry, config)]
    else:
        if not FileSystems.exists(spec):
            raise FileNotFoundError(f"no such input: {spec}")
        found = [spec]
    if not found and not is_glob:
        raise FileNotFoundError(f"no video files under {spec}")
    return sorted(set(found))


class _ExpandFn(beam.DoFn):
    def __init__(self, config: InputConfig):
        self.config = config

    def setup(self):
        self.counters = StageCounters(STAGE)

    def process(self, spec: str):
        try:
            uris = expand_input(spec, self.config)
        except (OSError, ValueError) as e:
            self.counters.inc("failed.not_found")
            yield beam.pvalue.TaggedOutput(FAILED, Failure(spec, STAGE, "not_found", str(e)))
            return
        yield from uris


class ListInputs(beam.PTransform):
    """Input specs -> distinct video URIs; specs that name nothing go to `failed`."""

    def __init__(self, config: InputConfig):
        super().__init__()
        self.config = config

    def expand(self, specs):
        listed = specs | "Expand" >> beam.ParDo(_ExpandFn(self.config)).with_outputs(
            FAILED, main="uris"
        )
        uris = listed.uris | "Distinct" >> beam.Distinct()
        return {"uris": uris, FAILED: listed[FAILED]}
