"""Every difference between two `cliploom run` outputs, for a change that must not move results.

    python bench/compare_outputs.py OUT_A OUT_B

Compares the manifest row by row (by clip_id, every column, floats exactly), the failures
table, stats.json (its `timing` left out) and the shards' JSON members (boxes and the like).
Encoded media (shard members that are not JSON, `out_bytes` in the manifest and in a member's
JSON, `bytes_out`) are reported apart: an encoder's bytes may differ from run to run without
any decision changing. Exit status 1 when anything but media differs.
"""

from __future__ import annotations

import json
import math
import sys
import tarfile
from pathlib import Path

import pyarrow.dataset as ds

TIMING = ("timing",)
MEDIA_COLUMNS = ("out_bytes",)


def table(out: str, sub: str) -> list[dict]:
    """Rows of OUT/sub/ (a directory of Parquet files) or of an older OUT/sub.parquet."""
    path = Path(out) / sub
    if not path.exists():
        path = Path(out) / f"{sub}.parquet"
    if not path.exists() or (path.is_dir() and not any(path.glob("*.parquet"))):
        return []
    return ds.dataset(str(path), format="parquet").to_table().to_pylist()


def same(a, b):
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


def same_but_media(a: bytes, b: bytes) -> bool:
    """Whether two JSON members differ only in media columns (a clip's `out_bytes`)."""
    x, y = json.loads(a), json.loads(b)
    if not isinstance(x, dict) or not isinstance(y, dict):
        return False
    for column in MEDIA_COLUMNS:
        x.pop(column, None), y.pop(column, None)
    return same(x, y)


def flat(d, p=""):
    if isinstance(d, dict):
        for k, v in d.items():
            if k in TIMING:
                continue
            yield from flat(v, f"{p}.{k}")
    else:
        yield p, d


def members(out):
    found = {}
    for tar in sorted((Path(out) / "shards").glob("*.tar")):
        with tarfile.open(tar) as t:
            for m in t.getmembers():
                data = t.extractfile(m).read() if m.isfile() else b""
                found[m.name] = data
    return found


def main(a, b):
    diffs = 0
    media = 0
    ra = {r["clip_id"]: r for r in table(a, "manifest")}
    rb = {r["clip_id"]: r for r in table(b, "manifest")}
    if ra.keys() != rb.keys():
        diffs += 1
        print("clip ids differ:", sorted(ra.keys() ^ rb.keys()))
    for cid in sorted(ra.keys() & rb.keys()):
        for col in sorted(set(ra[cid]) | set(rb[cid])):
            x, y = ra[cid].get(col), rb[cid].get(col)
            if not same(x, y):
                if col in MEDIA_COLUMNS:
                    media += 1
                    print(f"  (media) {cid[:12]} {col}: {x} | {y}")
                    continue
                diffs += 1
                print(f"DIFF {cid[:12]} {col}: {str(x)[:80]} | {str(y)[:80]}")
    fa, fb = table(a, "failures"), table(b, "failures")
    if not same(fa, fb):
        diffs += 1
        print("failures differ:", fa, fb)
    sa = dict(flat(json.loads((Path(a) / "stats.json").read_text())))
    sb = dict(flat(json.loads((Path(b) / "stats.json").read_text())))
    for k in sorted(sa.keys() | sb.keys()):
        if not same(sa.get(k), sb.get(k)):
            if k in (".bytes_out",):
                media += 1
                print(f"  (media) stats {k}: {sa.get(k)} | {sb.get(k)}")
                continue
            diffs += 1
            print(f"DIFF stats {k}: {sa.get(k)} | {sb.get(k)}")
    ma, mb = members(a), members(b)
    if ma.keys() != mb.keys():
        diffs += 1
        print("shard members differ:", sorted(ma.keys() ^ mb.keys())[:10])
    for name in sorted(ma.keys() & mb.keys()):
        if ma[name] != mb[name]:
            if name.endswith(".json") and not same_but_media(ma[name], mb[name]):
                diffs += 1
                print(f"DIFF shard member {name}")
            elif name.endswith(".json"):
                media += 1
                print(f"  (media) shard member {name}: out_bytes only")
            else:
                media += 1
                print(f"  (media) shard member {name} differs")
    print(
        f"{Path(a).name} vs {Path(b).name}: {len(ra)} rows, {len(ma)} shard members: "
        f"{'IDENTICAL' if not diffs else f'{diffs} DIFFERENCES'}"
        f"{f' ({media} media byte differences)' if media else ''}"
    )
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
