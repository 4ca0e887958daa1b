"""The report as one HTML file: sections built from the numbers of `data`, no script, no network.

Every value from the manifest is escaped; pictures are inline JPEG data URIs and charts inline
SVG, so the file opens offline and its size depends on the sample sizes, not on the corpus.
"""

from __future__ import annotations

from html import escape

import configs
from pipelines.report import charts

SCORE_COLUMNS = (
    ("duration_s", "dur", "{:.2f} s"),
    ("blur_var", "blur", "{:.0f}"),
    ("motion_top5_px", "motion", "{:.1f}"),
    ("luma_mean", "luma", "{:.0f}"),
    ("text_area_frac", "text", "{:.3f}"),
    ("aesthetic", "aes", "{:.2f}"),
)
# The score behind each drop reason, shown first under a strip.
REASON_SCORES = {
    "too_dark": ("dark_frac",),
    "too_bright": ("bright_frac",),
    "blurry": ("blur_var",),
    "low_motion": ("motion_top5_px",),
    "chaotic_motion": ("motion_mean_px", "camera_jitter_px", "luma_flicker"),
    "text_overlay": ("text_area_frac",),
    "subtitles": ("subtitle_width_fracs",),
    "low_aesthetic": ("aesthetic",),
}
_HIDDEN = {"caption_en", "caption_zh", "short_caption_en", "short_caption_zh", "ocr_text"}

STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:0 auto;max-width:1400px;padding:1em 2em;color:#222}
h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.8em;border-bottom:2px solid #3b75c4}
h3{margin:1.2em 0 .3em}nav a{margin-right:1em}
table{border-collapse:collapse;margin:.6em 0}td,th{border-bottom:1px solid #ddd;padding:3px 8px;
text-align:left;vertical-align:top}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.charts{display:flex;flex-wrap:wrap;gap:14px}.chart{margin:0;width:340px}
.chart svg{width:340px;height:auto}.chart figcaption{font-size:12px;color:#444}
.wide svg{width:460px;height:auto}.mark{color:#d62728}
.strips{display:flex;flex-wrap:wrap;gap:10px}.strip{margin:0;width:min-content;font-size:11px}
.strip figcaption{min-width:260px}
.strip img{display:block;height:96px;border:1px solid #ccc}.strip .none{height:96px;width:280px;
background:#eee;display:flex;align-items:center;justify-content:center;color:#777}
.off{color:#8a5a00}code{font-size:12px}.muted{color:#777}pre{background:#f6f6f6;padding:8px;
max-height:420px;overflow:auto;font-size:12px}.cap{max-width:520px}.ok{color:#2a7a2a}
.bad{color:#b00}.survivor{font-weight:bold}
"""


def _num(value, fmt: str = "{:,}") -> str:
    return "" if value is None else fmt.format(value)


def _table(header: list[str], rows: list[list], numeric: set[int] = frozenset()) -> str:
    head = "".join(
        f"<th{' class=num' if i in numeric else ''}>{escape(h)}</th>" for i, h in enumerate(header)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f"<td{' class=num' if i in numeric else ''}>{cell}</td>" for i, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def _hours(h: float) -> str:
    return f"{h:,.2f} h" if h >= 1 else f"{h * 60:,.1f} min"


def summary(stats: dict, funnel: dict) -> str:
    steps = funnel["steps"]
    kept, candidates = steps[4][1], steps[3][1]
    share = f"{kept / candidates:.1%}" if candidates else "-"
    bytes_out = stats.get("bytes_out") or 0
    return (
        f"<p id=summary>{stats.get('inputs', '?')} inputs, {_hours(steps[0][2])} of video in; "
        f"<b>{kept:,} of {candidates:,} candidate clips kept ({share}, {_hours(steps[4][2])})</b>"
        f" in {stats.get('shards', 0)} shards, {bytes_out / 1e6:,.1f} MB; "
        f"{funnel['failed_sources']} inputs failed.</p>"
    )


def funnel_section(funnel: dict) -> str:
    rows = [
        [escape(name), _num(n), _hours(h)] for name, n, h in funnel["steps"]
    ]  # fmt: skip
    reasons = funnel["reasons"]
    reason_rows = [
        [
            f"<code>{escape(r['reason'])}</code>" + (" (whole video)" if r["whole_video"] else ""),
            _num(r["clips"]),
            _hours(r["hours"]),
            _num(r["only_reason"]),
            _hours(r["only_hours"]),
        ]
        for r in reasons
    ]
    chart = ""
    if reasons:
        chart = (
            "<figure class='chart wide' id=hours-lost>"
            + charts.bars_svg(
                [r["reason"] + (" (video)" if r["whole_video"] else "") for r in reasons],
                [round(r["hours"], 4) for r in reasons],
                "hours lost",
                charts.LOST_COLOR,
            )
            + "<figcaption>hours lost per reason (a clip with several reasons counts under "
            "each)</figcaption></figure>"
        )
    steps = (
        "<figure class='chart wide' id=funnel-hours>"
        + charts.bars_svg(
            [name for name, _, _ in funnel["steps"]],
            [round(h, 4) for _, _, h in funnel["steps"]],
            "hours",
        )
        + "</figure>"
    )
    return (
        "<h2 id=funnel>Funnel</h2><div class=charts>"
        + _table(["step", "count", "duration"], rows, {1, 2})
        + steps
        + "</div>"
        + f"<p>{funnel['multi_reason_clips']:,} candidate clips were dropped for more than one "
        f"reason. <i>Only this reason</i> is what turning that check off would bring back.</p>"
        + chart
        + _table(
            ["reason", "clips", "hours", "only this reason", "hours"], reason_rows, {1, 2, 3, 4}
        )
    )


def histogram_figure(h: dict) -> str:
    score = h["score"]
    svg = charts.histogram_svg(
        h["edges"],
        h["kept"],
        h["dropped"],
        score.label,
        [(m["key"], m["value"]) for m in h["thresholds"]],
        log=h["log"],
    )
    notes = [
        f"{h['count']:,} clips, {h['min']:.4g} to {h['max']:.4g}"
        + (f" (last bar: everything above {h['overflow']:.4g})" if h.get("overflow") else ""),
        *(
            f"<span class=mark>{escape(m['key'])} = {m['value']:g}</span>: "
            f"{m['below']:,} below, {m['above']:,} above, <b>{m['near']:,} within 10%</b>"
            for m in h["thresholds"]
        ),
    ]
    return (
        f"<figure class=chart data-score='{escape(score.name)}'>{svg}"
        f"<figcaption><code>{escape(score.name)}</code>: {'<br>'.join(notes)}</figcaption>"
        "</figure>"
    )


def scores_section(histograms: list[dict], missing: list[str], unthresholded: list[str], camera):
    figures = "".join(histogram_figure(h) for h in histograms)
    if camera:
        figures += (
            "<figure class=chart data-score=camera_motion>"
            + charts.bars_svg([str(c) for c, _ in camera], [n for _, n in camera], "clips")
            + "<figcaption><code>camera_motion</code> labels</figcaption></figure>"
        )
    notes = ""
    if missing:
        notes += (
            "<p class=off>Not measured in this run (no values): "
            + ", ".join(f"<code>{escape(m)}</code>" for m in missing)
            + "</p>"
        )
    if unthresholded:
        notes += (
            "<p class=muted>Checks off (threshold null): "
            + ", ".join(f"<code>{escape(k)}</code>" for k in unthresholded)
            + "</p>"
        )
    return (
        "<h2 id=scores>Scores</h2><p>Every candidate clip with a value, kept (blue) and dropped "
        "(grey); red dashed lines are the run's thresholds, the red band &plusmn;10% around "
        "them.</p>" + notes + f"<div class=charts>{figures}</div>"
    )


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list):
        return "[" + ", ".join(_fmt(v) for v in value[:6]) + (", ..." if len(value) > 6 else "]")
    return str(value)


def strip_figure(clip: dict, strip: tuple[str | None, str], reason: str | None) -> str:
    uri, origin = strip
    name = clip["source"].rsplit("/", 1)[-1]
    hover = "\n".join(
        f"{k}: {_fmt(v)}" for k, v in clip.items() if v not in (None, [], "") and k not in _HIDDEN
    )
    first = [c for c in REASON_SCORES.get(reason or "", ()) if clip.get(c) is not None]
    shown = [f"<b>{c} {_fmt(clip[c])}</b>" for c in first]
    shown += [
        f"{label} {fmt.format(clip[c])}"
        for c, label, fmt in SCORE_COLUMNS
        if clip.get(c) is not None and c not in first
    ]
    picture = (
        f"<img src='{uri}' alt='first, middle and last frame of {escape(clip['clip_id'])}'>"
        if uri
        else f"<div class=none>{escape(origin)}</div>"
    )
    reasons = ", ".join(clip.get("drop_reasons") or []) or "kept"
    # where the frames came from; without a picture, its box already says why
    source_note = f"<br><span class=muted>frames from {escape(origin)}</span>" if uri else ""
    return (
        f"<figure class=strip data-clip='{escape(clip['clip_id'])}' title='{escape(hover)}'>"
        f"{picture}<figcaption><code>{escape(clip['clip_id'])}</code> {escape(name)} "
        f"{clip['start_s']:.2f}-{clip['end_s']:.2f} s &middot; {escape(reasons)}<br>"
        f"{' &middot; '.join(shown)}{source_note}"
        "</figcaption></figure>"
    )


def examples_section(samples: dict[str, list], strips: dict, reason_counts: dict) -> str:
    parts = [
        "<h2 id=examples>Examples</h2><p>First, middle and last frame of a deterministic sample "
        "of clips per drop reason (lowest clip ids) and of kept clips; hover a strip for every "
        "score. All clips of a reason: <code>cliploom inspect OUT --reason REASON</code>.</p>"
    ]
    for reason in [*sorted(k for k in samples if k != "kept"), "kept"]:
        clips = samples.get(reason) or []
        if not clips:
            continue
        total = reason_counts.get(reason)
        count = f" ({len(clips)} of {total:,})" if total else ""
        parts.append(
            f"<h3 id='examples-{escape(reason)}'><code>{escape(reason)}</code>{count}</h3>"
            f"<div class=strips data-reason='{escape(reason)}'>"
            + "".join(
                strip_figure(c, strips[c["clip_id"]], None if reason == "kept" else reason)
                for c in clips
            )
            + "</div>"
        )
    return "".join(parts)


def captions_section(captions: dict, backend: str | None) -> str:
    head = "<h2 id=captions>Captions</h2>"
    if not captions["pairs"]:
        why = "captions off (caption.backend: none)" if backend == "none" else "no captions"
        status = ", ".join(f"{escape(str(s))} {n:,}" for s, n in captions["status"])
        return head + f"<p class=off>{why}; caption_status: {status or '-'}</p>"
    status = ", ".join(f"{escape(str(s))} {n:,}" for s, n in captions["status"])
    issues = ""
    if captions["issues"]:
        labels, values = zip(*captions["issues"], strict=True)
        issues = (
            "<figure class='chart wide' id=caption-issues>"
            + charts.bars_svg(list(labels), list(values), "pairs")
            + "<figcaption>caption QA issues</figcaption></figure>"
        )
    rows = []
    for clip_id, _, en, zh, ok, issue_list, status_ in captions["pairs"]:
        verdict = (
            "<span class=ok>pass</span>" if ok else f"<span class=bad>{escape(str(status_))}</span>"
        )
        rows.append(
            [
                f"<code>{escape(clip_id)}</code>",
                f"<div class=cap>{escape(en or '')}</div>",
                f"<div class=cap>{escape(zh or '')}</div>",
                verdict,
                escape(", ".join(issue_list or [])),
            ]
        )
    return (
        head
        + f"<p>caption_status: {status}. Pairs that failed QA first.</p>"
        + issues
        + _table(["clip", "caption_en", "caption_zh", "QA", "evidence"], rows)
    )


def duplicates_section(dups: dict) -> str:
    head = "<h2 id=duplicates>Near-duplicates</h2>"
    text = (
        f"<p>{dups['groups']:,} near-duplicate groups over {dups['clips']:,} clips; "
        f"{dups.get('caption_duplicates', 0):,} clips repeat another clip's captions.</p>"
    )
    rows = []
    for group in dups["shown"]:
        for clip_id, source, start, end, status, duplicate_of, survivor in group["members"]:
            rows.append(
                [
                    f"<code>{escape(group['group'])}</code> ({group['size']})",
                    ("&#9733; " if survivor else "")
                    + f"<code class={'survivor' if survivor else 'member'}>"
                    + f"{escape(clip_id)}</code>",
                    escape(source.rsplit("/", 1)[-1]),
                    f"{start:.2f}-{end:.2f}",
                    escape(status),
                    escape(duplicate_of or ""),
                ]
            )
    header = ["group (size)", "clip (&#9733; survivor)", "source", "span (s)", "status",
              "duplicate_of"]  # fmt: skip
    table = _table(header, rows) if rows else ""
    return head + text + table


def failures_section(groups: list[tuple]) -> str:
    head = "<h2 id=failures>Failures</h2>"
    if not groups:
        return head + "<p>No failures.</p>"
    rows = [
        [
            escape(stage),
            f"<code>{escape(error)}</code>",
            _num(n),
            "<br>".join(
                f"{escape(src.rsplit('/', 1)[-1])}: <span class=muted>{escape(detail)}</span>"
                for src, detail in examples
            ),
        ]
        for stage, error, n, examples in groups
    ]
    return head + _table(["stage", "error", "inputs", "examples"], rows, {2})


def sources_section(total: int, rows: list[tuple]) -> str:
    table = _table(
        ["source", "kept", "dropped", "duration (s)", "kept (s)"],
        [
            [escape(s), _num(k), _num(d), _num(dur, "{:,.1f}"), _num(ks, "{:,.1f}")]
            for s, k, d, dur, ks in rows
        ],
        {1, 2, 3, 4},
    )
    more = f"<p class=muted>{len(rows)} of {total:,} sources, most clips first.</p>"
    return "<h2 id=sources>Sources</h2>" + more + table


def run_section(config: dict, off: list[str], versions: dict, timing: dict | None) -> str:
    off_html = "".join(f"<li class=off>{escape(o)}</li>" for o in off) or "<li>nothing</li>"
    version_rows = [[escape(k), escape(v)] for k, v in versions.items()]
    if timing and timing.get("stages"):
        stage_rows = [
            [escape(s), _num(t.get("elements")), _num(t.get("active_s"), "{:,.1f}")]
            for s, t in timing["stages"].items()
        ]
        time_html = (
            f"<p>wall time {timing.get('wall_s', 0):,.1f} s on {escape(timing.get('runner', '?'))}"
            f"; per stage, the span between its first and last counted element:</p>"
            + _table(["stage", "elements", "active (s)"], stage_rows, {1, 2})
        )
    else:
        time_html = "<p class=muted>no timing recorded for this run</p>"
    return (
        "<h2 id=run>Run</h2><h3>Off in this run</h3><ul id=off>" + off_html + "</ul>"
        "<h3>Time per stage</h3>" + time_html
        + "<h3>Versions</h3>" + _table(["package", "version"], version_rows)
        + "<h3>Config</h3><details><summary>OUT/config.yaml</summary><pre>"
        + escape(configs.dump_yaml(config))
        + "</pre></details>"
    )  # fmt: skip


def page(title: str, sections: list[str]) -> str:
    sections_ids = ("funnel", "scores", "examples", "captions", "duplicates", "failures",
                    "sources", "run")  # fmt: skip
    nav = " ".join(f"<a href='#{s}'>{s}</a>" for s in sections_ids)
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width, initial-scale=1'>"
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1><nav>{nav}</nav>" + "".join(sections) + "</body></html>"
    )
