"""Progress of a run on the terminal: per-stage counts, rates and ETAs, and a summary at the end.

Where the live numbers come from depends on the runner:
- DirectRunner (in_memory, multi_threading, multi_processing): it blocks in `run()` and hands
  out metrics only when done, so stage counters also go to a side channel
  (`transforms.progress`: one small file per worker process) that a thread here polls. The same
  works for any runner whose SDK workers run on this machine and inherit its environment
  (a PortableRunner with `--environment_type=LOOPBACK`: its embedded job server reports no
  metrics at all, checked here, so the side channel is all there is).
- Runners whose `run()` returns while the job runs (Dataflow, Flink, Spark): the job's Beam
  counters, polled with `result.metrics().query()` until the job ends; once they report any,
  they replace the side channel (whose files workers elsewhere never write).
The live display is drawn by `rich` only on a terminal and without `--quiet`. The summary table
at the end shows Beam's committed counters (the side channel's when a runner reports none) unless
`--quiet`, and the time each stage was active is recorded for the report.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import threading
import time

from transforms import progress as channel

# Stages in pipeline order; a stage not listed goes last.
STAGES = ("inputs", "probe", "gate", "scenes", "score", "dedup", "caption", "encode", "write")
# Where a stage's expected element count comes from: the upstream stage's output.
UPSTREAM = {
    "gate": lambda c: c.get("probe", {}).get("ok"),
    "scenes": lambda c: c.get("gate", {}).get("kept"),
    "score": lambda c: _clips_out_of_scenes(c),
    "write": lambda c: c.get("encode", {}).get("kept"),
}
POLL_S = 0.5
REMOTE_POLL_S = 5.0


def _clips_out_of_scenes(counts: dict) -> int | None:
    scenes = counts.get("scenes", {})
    if "clips" not in scenes:
        return None
    return scenes["clips"] - sum(n for k, n in scenes.items() if k.startswith("dropped."))


def stage_done(stage: str, names: dict[str, int]) -> int:
    """Elements a stage has processed: its `total`, else the largest count it keeps."""
    if "total" in names:
        return names["total"]
    if stage == "write":
        return names.get("clips", 0)
    return max(names.values(), default=0)


def summarize_stage(names: dict[str, int]) -> tuple[int | None, int, int, str]:
    """kept (None where the stage keeps no such count), dropped, failed, the other counters."""
    kept = names.get("kept", names.get("ok"))
    dropped = sum(n for k, n in names.items() if k.startswith("dropped."))
    failed = sum(n for k, n in names.items() if k.startswith("failed."))
    other = [
        f"{k} {n:,}"
        for k, n in names.items()
        if k not in ("total", "kept", "ok") and not k.startswith(("dropped.", "failed."))
    ]
    return kept, dropped, failed, ", ".join(other[:3]) + (", ..." if len(other) > 3 else "")


def ordered(counts: dict) -> list[str]:
    known = [s for s in STAGES if s in counts]
    return known + sorted(s for s in counts if s not in STAGES)


class RunProgress:
    """Context manager around a pipeline run: live display, stage timing, summary table."""

    def __init__(self, runner: str | None, quiet: bool = False, stream=None):
        self.runner = runner or "DirectRunner"
        self.quiet = quiet
        self._stream, self._console = stream or sys.stderr, None
        self.live_display = not quiet and self.console.is_terminal
        self.counts: dict[str, dict[str, int]] = {}
        self.first_s: dict[str, float] = {}
        self.last_s: dict[str, float] = {}
        self._seen: dict[str, int] = {}
        self._dir: str | None = None
        self._polled = False  # the runner's own counters arrived: they win
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._live = None
        self._lock = threading.Lock()

    @property
    def console(self):
        """rich's console on the stream, made when first drawn on (a quiet run never is)."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(file=self._stream)
        return self._console

    # -- lifecycle ------------------------------------------------------------------------
    def __enter__(self) -> RunProgress:
        self.start_s = time.monotonic()
        self._dir = tempfile.mkdtemp(prefix="cliploom-progress-")
        os.environ[channel.ENV] = self._dir
        self._thread = threading.Thread(target=self._poll_local, daemon=True)
        if self.live_display:
            from rich.live import Live

            self._live = Live(self.table(), console=self.console, refresh_per_second=4)
            self._live.start()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        channel.flush_all()
        if not self._polled:
            self._update(channel.read_counts(self._dir))
        os.environ.pop(channel.ENV, None)
        shutil.rmtree(self._dir, ignore_errors=True)
        self.wall_s = time.monotonic() - self.start_s
        if self._live:
            self._live.update(self.table())
            self._live.stop()

    def follow(self, result) -> None:
        """Poll a remote job's counters until it ends (returns at once for a finished run)."""
        from apache_beam.runners.runner import PipelineState

        while not PipelineState.is_terminal(result.state):
            try:
                counts = counters_of(result, committed=False)
            except Exception as e:  # a runner without live metrics: the side channel stays
                self.console.print(f"cliploom: no live counters from {self.runner}: {e}")
                return
            if counts:
                self._polled = True
                self._update(counts)
            self._stop.wait(REMOTE_POLL_S)

    # -- numbers ----------------------------------------------------------------------------
    def _poll_local(self) -> None:
        while not self._stop.wait(POLL_S):
            if not self._polled:
                self._update(channel.read_counts(self._dir))

    def _update(self, counts: dict) -> None:
        now = time.monotonic() - self.start_s
        with self._lock:
            self.counts = counts
            for stage, names in counts.items():
                done = stage_done(stage, names)
                if done and stage not in self.first_s:
                    self.first_s[stage] = now
                if done != self._seen.get(stage):
                    self._seen[stage] = done
                    self.last_s[stage] = now
        if self._live:
            self._live.update(self.table())

    def timing(self) -> dict:
        """For stats.json and the report: wall time and each stage's active span."""
        return {
            "runner": self.runner,
            "wall_s": round(getattr(self, "wall_s", time.monotonic() - self.start_s), 3),
            "source": "polled Beam counters" if self._polled else "progress side channel",
            "stages": {
                s: {
                    "elements": stage_done(s, self.counts[s]),
                    "active_s": round(self.last_s[s] - self.first_s[s], 3),
                }
                for s in ordered(self.counts)
                if s in self.first_s
            },
        }

    # -- drawing ----------------------------------------------------------------------------
    def table(self, counts: dict | None = None, title: str = "cliploom run"):
        from rich.table import Table

        final = counts is not None
        counts = counts if final else self.counts
        elapsed = time.monotonic() - self.start_s
        table = Table(title=f"{title} ({self.runner}, {elapsed:,.0f} s)", title_justify="left")
        for header in ("stage", "done", "kept", "dropped", "failed", "rate/s", "ETA", "other"):
            table.add_column(header, justify="left" if header in ("stage", "other") else "right")
        for stage in ordered(counts):
            names = counts[stage]
            done = stage_done(stage, names)
            kept, dropped, failed, other = summarize_stage(names)
            first = self.first_s.get(stage)
            active = (self.last_s.get(stage, 0) if final else elapsed) - (first or 0)
            # a rate needs a span longer than the polling step to mean anything
            rate = done / active if first is not None and active >= 2 * POLL_S else None
            expected = UPSTREAM[stage](counts) if stage in UPSTREAM else None
            eta = ""
            if not final and expected and rate and expected > done:
                eta = f"{(expected - done) / rate:,.0f} s"
            shown_done = f"{done:,}" + (f"/{expected:,}" if expected and not final else "")
            table.add_row(
                stage, shown_done, "" if kept is None else f"{kept:,}", f"{dropped:,}",
                f"{failed:,}", f"{rate:,.2f}" if rate else "", eta, other,
            )  # fmt: skip
        return table

    def print_summary(self, counts: dict) -> None:
        """The run's final counters (Beam's own) as a table, unless quiet."""
        if self.quiet:
            return
        if counts:
            self.console.print(self.table(counts, title="cliploom summary"))
        else:
            title = f"cliploom summary (the side channel's counts: {self.runner} reported none)"
            self.console.print(self.table(self.counts, title=title))


def counters_of(result, committed: bool = True) -> dict:
    """`stage -> name -> value` from a pipeline result's counters."""
    counters: dict = {}
    for counter in result.metrics().query()["counters"]:
        value = counter.committed if committed and counter.committed is not None else None
        if value is None:
            value = counter.attempted
        stage = counters.setdefault(counter.key.metric.namespace, {})
        name = counter.key.metric.name
        stage[name] = stage.get(name, 0) + (value or 0)
    return {stage: dict(sorted(names.items())) for stage, names in sorted(counters.items())}
