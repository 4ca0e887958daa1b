"""Charts as inline SVG, written directly from counts computed in DuckDB.

Each chart is drawn from a few dozen numbers (bins, reasons), never from rows, so its size does
not grow with the corpus. The SVG is written as text (no plotting library: a histogram or a bar
chart is a few rectangles, ticks and labels, and matplotlib spent about 0.1 s of CPU per figure,
more than everything else in the report but the strips), so the same numbers give the same bytes
and text stays text. Threshold lines are `<g id="threshold-<config key>">` groups, which the
browser test looks for.
"""

from __future__ import annotations

import math
from html import escape

KEPT_COLOR = "#3b75c4"
DROPPED_COLOR = "#c8ccd2"
THRESHOLD_COLOR = "#d62728"
LOST_COLOR = "#e08a3c"
AXIS_COLOR = "#444"
FONT = "font-family='sans-serif' font-size='11'"
WIDTH_PX = 460  # drawing units; the page scales charts by CSS (width, height: auto)


def _f(x: float) -> str:
    """A coordinate with two decimals at most, no trailing zeros (stable, short output)."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _label(value: float) -> str:
    if abs(value) >= 1000 and value == int(value):
        return f"{value:,.0f}"
    return f"{value:,.4g}"


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2, 2.5 or 5 times a power of ten) covering [lo, hi]."""
    if not hi > lo:
        return [lo]
    raw = (hi - lo) / max(1, count)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.ceil(lo / step - 1e-9)
    ticks = []
    i = first
    while i * step <= hi + step * 1e-9:
        ticks.append(round(i * step, 12))
        i += 1
    return ticks


def log_ticks(lo: float, hi: float) -> list[float]:
    """Powers of ten in [lo, hi]; 1-2-5 multiples too when fewer than three powers fit."""
    ticks = [10.0**e for e in range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1)]
    inside = [t for t in ticks if lo * (1 - 1e-9) <= t <= hi * (1 + 1e-9)]
    if len(inside) < 3:
        inside = sorted(
            t * m for t in ticks for m in (1, 2, 5) if lo * (1 - 1e-9) <= t * m <= hi * (1 + 1e-9)
        )
    return inside


def _svg(width: float, height: float, body: list[str]) -> str:
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{_f(width)}' height='{_f(height)}' "
        f"viewBox='0 0 {_f(width)} {_f(height)}' {FONT}>" + "".join(body) + "</svg>"
    )


def histogram_svg(
    edges: list[float],
    kept: list[int],
    dropped: list[int],
    label: str,
    thresholds: list[tuple[str, float]],
    log: bool = False,
) -> str:
    """Stacked kept/dropped histogram over `edges`, a red line per (config key, value)."""
    width, height = WIDTH_PX, 210
    left, right, top, bottom = 52, 10, 8, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    lo, hi = edges[0], edges[-1]
    to_axis = math.log10 if log else float
    a_lo, a_hi = to_axis(lo), to_axis(hi)
    span = (a_hi - a_lo) or 1.0

    def x(value: float) -> float:
        return left + (to_axis(value) - a_lo) / span * plot_w

    totals = [k + d for k, d in zip(kept, dropped, strict=True)]
    y_ticks = nice_ticks(0, max(totals, default=0) or 1, 4)
    y_top = max(y_ticks[-1], max(totals, default=0)) or 1

    def y(count: float) -> float:
        return top + plot_h - count / y_top * plot_h

    body = [f"<rect x='{left}' y='{top}' width='{plot_w}' height='{plot_h}' fill='none'/>"]
    # a rectangle per bin and colour: all clips (grey) behind, kept (blue) in front
    for counts, color, name in ((totals, DROPPED_COLOR, "dropped"), (kept, KEPT_COLOR, "kept")):
        bars = "".join(
            f"<rect x='{_f(x(edges[i]))}' y='{_f(y(c))}' "
            f"width='{_f(x(edges[i + 1]) - x(edges[i]))}' height='{_f(y(0) - y(c))}'/>"
            for i, c in enumerate(counts)
            if c
        )
        body.append(f"<g class='{name}' fill='{color}' shape-rendering='crispEdges'>{bars}</g>")
    for key, value in thresholds:
        if log and value <= 0:
            continue
        band_lo, band_hi = max(x(value * 0.9), left), min(x(value * 1.1), left + plot_w)
        if log or value >= 0:
            band = (band_lo, band_hi)
        else:  # a negative value: 0.9x lies to the right of 1.1x
            band = (max(x(value * 1.1), left), min(x(value * 0.9), left + plot_w))
        at = x(value)
        text_anchor = "end" if at > left + plot_w * 0.7 else "start"
        text_x = at - 3 if text_anchor == "end" else at + 3
        body.append(
            f'<g id="threshold-{escape(key)}">'
            f"<rect x='{_f(band[0])}' y='{top}' width='{_f(max(0, band[1] - band[0]))}' "
            f"height='{plot_h}' fill='{THRESHOLD_COLOR}' fill-opacity='0.12'/>"
            f"<line x1='{_f(at)}' y1='{top}' x2='{_f(at)}' y2='{top + plot_h}' "
            f"stroke='{THRESHOLD_COLOR}' stroke-width='1.6' stroke-dasharray='5 3'/>"
            f"<text x='{_f(text_x)}' y='{top + 10}' text-anchor='{text_anchor}' font-size='10' "
            "stroke='white' stroke-width='3' paint-order='stroke' "
            f"fill='{THRESHOLD_COLOR}'>{escape(key.split('.')[-1])} = {value:g}</text></g>"
        )
    axis = [
        f"<line x1='{left}' y1='{top + plot_h}' x2='{left + plot_w}' y2='{top + plot_h}'/>",
        f"<line x1='{left}' y1='{top}' x2='{left}' y2='{top + plot_h}'/>",
    ]
    labels = []
    x_ticks = log_ticks(lo, hi) if log else nice_ticks(lo, hi, 5)
    for t in x_ticks:
        if not lo - 1e-9 * abs(lo or 1) <= t <= hi + 1e-9 * abs(hi or 1):
            continue
        at = _f(x(t))
        axis.append(f"<line x1='{at}' y1='{top + plot_h}' x2='{at}' y2='{top + plot_h + 4}'/>")
        labels.append(
            f"<text x='{at}' y='{top + plot_h + 15}' text-anchor='middle'>{_label(t)}</text>"
        )
    for t in y_ticks:
        at = _f(y(t))
        axis.append(f"<line x1='{left - 4}' y1='{at}' x2='{left}' y2='{at}'/>")
        labels.append(f"<text x='{left - 6}' y='{at}' dy='4' text-anchor='end'>{_label(t)}</text>")
    body.append(f"<g stroke='{AXIS_COLOR}' stroke-width='1'>{''.join(axis)}</g>")
    body.append(f"<g fill='{AXIS_COLOR}'>{''.join(labels)}</g>")
    body.append(
        f"<text x='{left + plot_w / 2}' y='{height - 6}' text-anchor='middle'>"
        f"{escape(label)}</text>"
        f"<text transform='translate(12 {top + plot_h / 2}) rotate(-90)' text-anchor='middle'>"
        "clips</text>"
    )
    legend_x, legend_y = left + plot_w - 70, top + 32
    for i, (name, color) in enumerate((("dropped", DROPPED_COLOR), ("kept", KEPT_COLOR))):
        ly = legend_y + 13 * i
        body.append(
            f"<rect x='{legend_x}' y='{ly - 8}' width='12' height='9' fill='{color}'/>"
            f"<text x='{legend_x + 16}' y='{ly}' font-size='10'>{name}</text>"
        )
    return _svg(width, height, body)


def bars_svg(labels: list[str], values: list[float], xlabel: str, color: str = KEPT_COLOR) -> str:
    """Horizontal bars, largest on top, with the value printed at each bar's end."""
    row_px = 18
    longest = max((len(label) for label in labels), default=4)
    left = min(WIDTH_PX * 0.6, 12 + longest * 6.2)
    right, top, bottom = 12, 6, 34
    height = top + bottom + row_px * max(len(labels), 1)
    plot_w = WIDTH_PX - left - right
    top_value = max(values, default=0) or 1
    ticks = nice_ticks(0, top_value, 4)
    scale_max = top_value * 1.18

    def x(value: float) -> float:
        return left + max(0.0, value) / scale_max * plot_w

    bars, texts, axis = [], [], []
    for i, (name, value) in enumerate(zip(labels, values, strict=True)):
        row_y = top + i * row_px
        bars.append(
            f"<rect x='{_f(left)}' y='{_f(row_y + row_px * 0.15)}' "
            f"width='{_f(x(value) - left)}' height='{_f(row_px * 0.7)}'/>"
        )
        mid = _f(row_y + row_px / 2 + 4)
        texts.append(
            f"<text x='{_f(left - 6)}' y='{mid}' text-anchor='end'>{escape(str(name))}</text>"
            f"<text x='{_f(x(value) + 4)}' y='{mid}' font-size='10'>{value:,.4g}</text>"
        )
    base = top + row_px * max(len(labels), 1)
    axis.append(f"<line x1='{_f(left)}' y1='{base}' x2='{_f(left + plot_w)}' y2='{base}'/>")
    axis.append(f"<line x1='{_f(left)}' y1='{top}' x2='{_f(left)}' y2='{base}'/>")
    for t in ticks:
        if t > scale_max:
            continue
        at = _f(x(t))
        axis.append(f"<line x1='{at}' y1='{base}' x2='{at}' y2='{base + 4}'/>")
        texts.append(f"<text x='{at}' y='{base + 15}' text-anchor='middle'>{_label(t)}</text>")
    texts.append(
        f"<text x='{_f(left + plot_w / 2)}' y='{height - 4}' text-anchor='middle'>"
        f"{escape(xlabel)}</text>"
    )
    return _svg(
        WIDTH_PX,
        height,
        [
            f"<g fill='{color}' shape-rendering='crispEdges'>{''.join(bars)}</g>",
            f"<g stroke='{AXIS_COLOR}' stroke-width='1'>{''.join(axis)}</g>",
            f"<g fill='{AXIS_COLOR}'>{''.join(texts)}</g>",
        ],
    )
