"""Dedup, previous corpus: the signatures a corpus stores, and reading them back for a refresh.

A run writes the signatures of its published clips to `OUT/signatures/*.parquet` (sharded, one
fixed schema, `SIGNATURE_SCHEMA`): id, source, the rank fields, frame pHashes, caption MinHash
(with the parameters it was computed with) and the image embedding. A refresh
(`--previous OUT_OLD`) reads only the columns its pass needs, in parallel, and joins them with
the new clips on bucket keys, so nothing is recomputed and no worker holds the old corpus.

A corpus written before signatures were stored falls back to its manifest (`OUT/manifest/`, a
directory of Parquet, or an older single `OUT/manifest.parquet`), reading only the status, rank
and pHash columns (and the captions, whose MinHash is then computed again, for the caption pass).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyarrow as pa

from transforms import signatures as sig
from transforms.dedup_candidates import Entry, caption_signature, embedding_tuple
from transforms.dedup_resolve import rank

if TYPE_CHECKING:
    from transforms.dedup import DedupConfig

SIGNATURES_DIR = "signatures"
MANIFEST_DIR = "manifest"
MANIFEST_FILE = "manifest.parquet"

SIGNATURE_SCHEMA = pa.schema(
    [
        pa.field("clip_id", pa.string(), nullable=False),
        pa.field("source_sha256", pa.string(), nullable=False),
        pa.field("source", pa.string()),
        pa.field("aesthetic", pa.float64()),
        pa.field("width", pa.int64()),
        pa.field("height", pa.int64()),
        pa.field("duration_s", pa.float64()),
        pa.field("blur_var", pa.float64()),
        pa.field("phash", pa.list_(pa.int64())),
        pa.field("phash_center", pa.list_(pa.int64())),
        pa.field("caption_minhash", pa.list_(pa.int64())),
        pa.field("caption_minhash_params", pa.string()),
        pa.field("image_embedding", pa.list_(pa.float32())),
    ]
)

RANK_COLUMNS = [
    "clip_id",
    "source_sha256",
    "aesthetic",
    "width",
    "height",
    "duration_s",
    "blur_var",
]
VISUAL_COLUMNS = ["phash", "phash_center"]
CAPTION_COLUMNS = ["caption_en", "caption_zh"]  # manifest fallback: MinHash computed again


def signature_row(clip, entry: Entry, config: DedupConfig) -> dict:
    """The stored signature of a published clip (`clip`: its final `Clip` record)."""
    minhash = list(entry.caption_minhash) if entry.caption_minhash else None
    params = (
        sig.minhash_params(config.caption_shingle, config.caption_num_perm, config.caption_seed)
        if minhash
        else None
    )
    return {
        "clip_id": clip.clip_id,
        "source_sha256": clip.source_sha256,
        "source": clip.source,
        "aesthetic": clip.aesthetic,
        "width": clip.width,
        "height": clip.height,
        "duration_s": clip.duration_s,
        "blur_var": clip.blur_var,
        "phash": list(clip.phash) if clip.phash else None,
        "phash_center": list(clip.phash_center) if clip.phash_center else None,
        "caption_minhash": minhash,
        "caption_minhash_params": params,
        "image_embedding": list(entry.embedding) if entry.embedding else None,
    }


# ---- where a previous corpus keeps what ------------------------------------------------------


@dataclass(frozen=True)
class PreviousCorpus:
    """Where to read a previous corpus from: its signatures, or its manifest as a fallback."""

    kind: str  # signatures | manifest
    pattern: str  # a file pattern for ReadFromParquet / FileSystems.match
    columns: tuple[str, ...]  # every column the files have

    def columns_for(self, config: DedupConfig, visual: bool, caption: bool) -> list[str]:
        """The columns one dedup pass reads: rank, pHashes or captions, embedding if used."""
        wanted = list(RANK_COLUMNS)
        if self.kind == "manifest":
            wanted.append("status")
        if visual:
            wanted += VISUAL_COLUMNS
            if config.embedding_field and config.min_cosine is not None:
                wanted.append(embedding_column(self.kind, config))
        if caption:
            wanted += (
                ["caption_minhash", "caption_minhash_params"]
                if self.kind == "signatures"
                else CAPTION_COLUMNS
            )
        return [c for c in wanted if c in self.columns]


def embedding_column(kind: str, config: DedupConfig) -> str | None:
    """Signatures store the embedding as `image_embedding`; a manifest under its field's name."""
    if not config.embedding_field:
        return None
    return "image_embedding" if kind == "signatures" else config.embedding_field


def _files(pattern: str) -> list[str]:
    from apache_beam.io.filesystem import BeamIOError
    from apache_beam.io.filesystems import FileSystems

    try:
        return sorted(m.path for m in FileSystems.match([pattern])[0].metadata_list)
    except BeamIOError:  # an unreadable location: no corpus there
        return []


def manifest_pattern(out_dir: str) -> str | None:
    """The manifest of a run's output, as a file pattern: the `OUT/manifest/` directory of
    Parquet files, or an older single `OUT/manifest.parquet`; a `.parquet` path is itself."""
    from apache_beam.io.filesystems import FileSystems

    if out_dir.endswith(".parquet"):
        return out_dir if _files(out_dir) else None
    directory = FileSystems.join(out_dir, MANIFEST_DIR, "*.parquet")
    if _files(directory):
        return directory
    single = FileSystems.join(out_dir, MANIFEST_FILE)
    return single if _files(single) else None


def _schema_names(path: str) -> tuple[str, ...]:
    import pyarrow.parquet as pq
    from apache_beam.io.filesystems import FileSystems

    with FileSystems.open(path) as f:
        return tuple(pq.read_schema(f).names)


def find_previous(path: str) -> PreviousCorpus | None:
    """A previous corpus at `path` (a run's output, or a manifest file): its signatures when it
    stored them, else its manifest; None when it has neither."""
    from apache_beam.io.filesystems import FileSystems

    if not path.endswith(".parquet"):
        pattern = FileSystems.join(path, SIGNATURES_DIR, "*.parquet")
        files = _files(pattern)
        if files:
            return PreviousCorpus("signatures", pattern, _schema_names(files[0]))
    pattern = manifest_pattern(path)
    if pattern is None:
        return None
    return PreviousCorpus("manifest", pattern, _schema_names(_files(pattern)[0]))


# ---- rows back to entries --------------------------------------------------------------------


def _rank(row: dict) -> tuple:
    return rank(
        True,
        row.get("aesthetic"),
        row.get("width") or 0,
        row.get("height") or 0,
        row.get("duration_s") or 0.0,
        row["clip_id"],
        row.get("blur_var"),
    )


def entry_from_row(row: dict, kind: str, config: DedupConfig) -> Entry | None:
    """A previously published clip's entry from a signatures or manifest row (None: a manifest
    row that was not kept). A stored MinHash made with other parameters is not used."""
    if kind == "manifest" and row.get("status") != "kept":
        return None
    if kind == "signatures":
        params = sig.minhash_params(
            config.caption_shingle, config.caption_num_perm, config.caption_seed
        )
        stored = row.get("caption_minhash")
        minhash = tuple(stored) if stored and row.get("caption_minhash_params") == params else None
    elif "caption_en" in row or "caption_zh" in row:
        captions = {"en": row.get("caption_en"), "zh": row.get("caption_zh")}
        minhash = caption_signature(captions, config) if any(captions.values()) else None
    else:
        minhash = None
    column = embedding_column(kind, config)
    return Entry(
        clip_id=row["clip_id"],
        source_sha256=row["source_sha256"],
        previous=True,
        rank=_rank(row),
        phash=tuple(row.get("phash") or ()),
        phash_center=tuple(row.get("phash_center") or ()),
        embedding=embedding_tuple(row.get(column)) if column else None,
        caption_minhash=minhash,
    )


def read_entries(corpus: PreviousCorpus, config: DedupConfig, visual: bool, caption: bool):
    """The previous corpus's entries in one process, file by file and a record batch at a time
    (bench, tests): the same columns and rows as the Beam read, in memory that does not grow
    with the corpus."""
    import pyarrow.parquet as pq
    from apache_beam.io.filesystems import FileSystems

    columns = corpus.columns_for(config, visual, caption)
    for path in _files(corpus.pattern):
        with FileSystems.open(path) as f:
            for batch in pq.ParquetFile(f).iter_batches(batch_size=8192, columns=columns):
                for row in batch.to_pylist():
                    entry = entry_from_row(row, corpus.kind, config)
                    if entry is not None:
                        yield entry
