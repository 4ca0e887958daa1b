"""Charts as inline SVG, drawn by matplotlib from counts computed in DuckDB.

Each chart is drawn from a few dozen numbers (bins, reasons), never from rows, so its size does
not grow with the corpus. Text stays text (`svg.fonttype: none`) and ids are salted with a fixed
string, so the same numbers give the same bytes. Threshold lines carry an SVG id
`threshold-<config key>` that the browser test looks for.
"""

from __future__ import annotations

import io

KEPT_COLOR = "#3b75c4"
DROPPED_COLOR = "#c8ccd2"
THRESHOLD_COLOR = "#d62728"
LOST_COLOR = "#e08a3c"
_RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "cliploom",
    "font.size": 8,
    "font.family": "sans-serif",
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def _pyplot():
    import matplotlib

    matplotlib.use("svg", force=False)  # no display backend needed
    from matplotlib import pyplot as plt

    return plt


def _svg(fig) -> str:
    plt = _pyplot()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg") :]  # drop the XML prolog and doctype: inline in HTML


def histogram_svg(
    edges: list[float],
    kept: list[int],
    dropped: list[int],
    label: str,
    thresholds: list[tuple[str, float]],
    log: bool = False,
) -> str:
    """Stacked kept/dropped histogram over `edges`, a red line per (config key, value)."""
    import matplotlib as mpl

    plt = _pyplot()
    with mpl.rc_context(_RC):
        fig, ax = plt.subplots(figsize=(4.6, 2.1), dpi=72)
        # two filled step outlines (all clips, then kept in front): two paths instead of a
        # rectangle per bar, the same picture as stacked bars
        total = [k + d for k, d in zip(kept, dropped, strict=True)]
        ax.stairs(total, edges, fill=True, color=DROPPED_COLOR, label="dropped")
        ax.stairs(kept, edges, fill=True, color=KEPT_COLOR, label="kept")
        if log:
            ax.set_xscale("log")
        for key, value in thresholds:
            if log and value <= 0:
                continue
            ax.axvspan(value * 0.9, value * 1.1, color=THRESHOLD_COLOR, alpha=0.12, lw=0)
            line = ax.axvline(value, color=THRESHOLD_COLOR, lw=1.4, ls="--")
            line.set_gid(f"threshold-{key}")
            ax.annotate(
                f"{key.split('.')[-1]} = {value:g}", (value, 1), xycoords=("data", "axes fraction"),
                xytext=(3, -2), textcoords="offset points", va="top", color=THRESHOLD_COLOR,
                fontsize=7,
            )  # fmt: skip
        ax.set_xlabel(label)
        ax.set_ylabel("clips")
        ax.legend(loc="upper right", fontsize=6, frameon=False, bbox_to_anchor=(1, 0.85))
        # fixed margins: tight_layout measures every text and costs more than the drawing
        fig.subplots_adjust(left=0.13, right=0.98, bottom=0.2, top=0.96)
        return _svg(fig)


def bars_svg(labels: list[str], values: list[float], xlabel: str, color: str = KEPT_COLOR) -> str:
    """Horizontal bars, largest on top, with the value printed at each bar's end."""
    import matplotlib as mpl
    from matplotlib.ticker import MaxNLocator

    plt = _pyplot()
    with mpl.rc_context(_RC):
        height = 0.5 + 0.22 * max(len(labels), 1)
        fig, ax = plt.subplots(figsize=(4.6, height), dpi=72)
        positions = list(range(len(labels)))[::-1]
        ax.barh(positions, values, color=color, height=0.7)
        ax.set_yticks(positions, labels)
        top = max(values, default=0) or 1
        for y, v in zip(positions, values, strict=True):
            ax.text(v + top * 0.01, y, f"{v:,.4g}", va="center", fontsize=7)
        ax.set_xlim(0, top * 1.18)
        ax.xaxis.set_major_locator(MaxNLocator(5))
        ax.set_xlabel(xlabel)
        longest = max((len(label) for label in labels), default=4)
        inches = 4.6
        fig.subplots_adjust(
            left=min(0.6, (0.25 + longest * 0.07) / inches), right=0.97,
            bottom=0.4 / height, top=1 - 0.1 / height,
        )  # fmt: skip
        return _svg(fig)
