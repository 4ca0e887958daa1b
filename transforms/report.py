"""Report: an HTML page of what a run kept, dropped and failed, with thumbnails of kept clips.

Reads only the manifest and failures columns it shows (stats come from stats.json).
"""

from __future__ import annotations

from apache_beam.io.filesystems import FileSystems

from transforms.tables import FAILURES, MANIFEST, read_table, write_atomically

REPORT_COLUMNS = [
    "clip_id",
    "source",
    "scene_index",
    "start_s",
    "end_s",
    "status",
    "drop_reasons",
    "shard",
]


REPORT = "report.html"
_STYLE = """body{font:14px system-ui,sans-serif;margin:2em;color:#222}h1{font-size:1.5em}
table{border-collapse:collapse;margin:1em 0}td,th{border-bottom:1px solid #ddd;padding:3px 8px;
text-align:left;vertical-align:top}.bar{background:#4a7fd4;height:12px}.grid{display:flex;
flex-wrap:wrap;gap:8px}.grid figure{margin:0;width:200px;font-size:11px}.grid img{width:200px}
.num{text-align:right}code{font-size:12px}"""


def _thumbnails(out_dir: str, kept: list[dict], limit: int) -> dict[str, bytes]:
    """Middle-frame JPEGs of up to `limit` kept clips, read back from their shards."""
    import tarfile

    wanted = {r["clip_id"]: r["shard"] for r in sorted(kept, key=lambda r: r["clip_id"])[:limit]}
    thumbs: dict[str, bytes] = {}
    for shard in sorted(set(wanted.values())):
        with (
            FileSystems.open(FileSystems.join(out_dir, "shards", shard)) as f,
            tarfile.open(fileobj=f, mode="r|") as tar,
        ):
            for member in tar:
                key, _, ext = member.name.partition(".")
                if ext == "jpg" and key in wanted:
                    thumbs[key] = tar.extractfile(member).read()
    return thumbs


def render_report(stats: dict, manifest: list[dict], failures: list[dict], thumbs: dict) -> str:
    import base64
    from html import escape

    def table(header: list[str], rows: list[list]) -> str:
        head = "".join(f"<th>{escape(h)}</th>" for h in header)
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
        )
        return f"<table><tr>{head}</tr>{body}</table>"

    clips = stats["clips"]
    reasons = stats["drop_reasons"]
    top = max(reasons.values(), default=1)
    bars = "".join(
        f"<tr><td>{escape(r)}</td><td class=num>{n}</td>"
        f"<td><div class=bar style='width:{300 * n / top:.0f}px'></div></td></tr>"
        for r, n in sorted(reasons.items(), key=lambda kv: -kv[1])
    )
    per_source: dict[str, list[int]] = {}
    for r in manifest:
        counts = per_source.setdefault(r["source"], [0, 0])
        counts[0 if r["status"] == "kept" else 1] += 1
    sources = [[s, k, d] for s, (k, d) in sorted(per_source.items())]
    figures = "".join(
        f"<figure><img src='data:image/jpeg;base64,{base64.b64encode(jpg).decode()}'>"
        f"<figcaption><code>{escape(r['clip_id'])}</code><br>{escape(r['source'].split('/')[-1])}"
        f" {r['start_s']:.2f}-{r['end_s']:.2f}s</figcaption></figure>"
        for r in manifest
        if (jpg := thumbs.get(r["clip_id"]))
    )
    dropped = [
        [
            r["source"].split("/")[-1],
            r["scene_index"],
            f"{r['start_s']:.2f}-{r['end_s']:.2f}",
            ", ".join(r["drop_reasons"]),
        ]
        for r in manifest
        if r["status"] == "dropped"
    ]
    return f"""<!doctype html><html><head><meta charset=utf-8><title>cliploom report</title>
<style>{_STYLE}</style></head><body><h1>cliploom report</h1>
<p>{stats["inputs"]} inputs, {stats["hours_in"] * 3600:.1f} s of video in;
{clips["kept"]} of {clips["candidates"]} candidate clips kept ({stats["hours_out"] * 3600:.1f} s)
in {stats["shards"]} shards, {stats["bytes_out"] / 1e6:.1f} MB;
{sum(stats["failures"].values())} failures.</p>
<h2>Why clips were dropped</h2><table>{bars}</table>
<h2>Kept clips</h2><div class=grid>{figures}</div>
<h2>Sources</h2>{table(["source", "kept", "dropped"], sources)}
<h2>Dropped clips</h2>{table(["source", "scene", "span (s)", "reasons"], dropped)}
<h2>Failures</h2>{
        table(
            ["source", "stage", "error", "detail"],
            [[f["source"], f["stage"], f["error"], f["detail"][:300]] for f in failures],
        )
    }
</body></html>"""


def write_report(out_dir: str, stats: dict, thumbnail_limit: int = 60) -> None:
    manifest = read_table(out_dir, MANIFEST, REPORT_COLUMNS).to_pylist()
    failures = read_table(out_dir, FAILURES).to_pylist()
    kept = [r for r in manifest if r["status"] == "kept" and r["shard"]]
    html = render_report(stats, manifest, failures, _thumbnails(out_dir, kept, thumbnail_limit))
    write_atomically(FileSystems.join(out_dir, REPORT), lambda stream: stream.write(html.encode()))
