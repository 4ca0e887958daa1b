"""A side channel for live progress on local runs: stage counters, as files a monitor can read.

Beam's DirectRunner only hands out a pipeline's metrics once it has finished, so `StageCounters`
also adds each increment here. When the CLI sets CLIPLOOM_PROGRESS_DIR (local runners only),
every worker process keeps its running totals and rewrites one small JSON file in that directory
at most every half second (and at exit); the CLI's monitor sums the files. Subprocess workers
(`--direct_running_mode=multi_processing`) inherit the variable. Without it this does nothing.
"""

from __future__ import annotations

import atexit
import json
import os
import threading
import time
import uuid

ENV = "CLIPLOOM_PROGRESS_DIR"
FLUSH_EVERY_S = 0.5


class _Channel:
    def __init__(self, directory: str):
        self.path = os.path.join(directory, f"{os.getpid()}-{uuid.uuid4().hex[:8]}.json")
        self.counts: dict[str, dict[str, int]] = {}
        self.lock = threading.Lock()
        self.flushed = 0.0

    def add(self, stage: str, name: str, n: int) -> None:
        with self.lock:
            names = self.counts.setdefault(stage, {})
            names[name] = names.get(name, 0) + n
            now = time.monotonic()
            if now - self.flushed >= FLUSH_EVERY_S:
                self._flush(now)

    def flush(self) -> None:
        with self.lock:
            self._flush(time.monotonic())

    def _flush(self, now: float) -> None:
        self.flushed = now
        tmp = f"{self.path}.tmp"
        try:
            with open(tmp, "w") as f:
                json.dump(self.counts, f)
            os.replace(tmp, self.path)
        except OSError:  # the monitor has gone (directory removed): progress is best effort
            pass


_channels: dict[str, _Channel] = {}
_lock = threading.Lock()


def record(stage: str, name: str, n: int = 1) -> None:
    """Add `n` to `stage.name` in this process's progress file, if a monitor asked for one."""
    directory = os.environ.get(ENV)
    if not directory:
        return
    channel = _channels.get(directory)
    if channel is None:
        with _lock:
            channel = _channels.get(directory)
            if channel is None:
                channel = _channels[directory] = _Channel(directory)
                atexit.register(channel.flush)
    channel.add(stage, name, n)


def flush_all() -> None:
    for channel in list(_channels.values()):
        channel.flush()


def read_counts(directory: str) -> dict[str, dict[str, int]]:
    """The sum over every process's progress file in `directory`."""
    total: dict[str, dict[str, int]] = {}
    try:
        names = os.listdir(directory)
    except OSError:
        return total
    for name in names:
        if not name.endswith(".json"):
            continue
        try:
            with open(os.path.join(directory, name)) as f:
                counts = json.load(f)
        except (OSError, ValueError):
            continue  # replaced while read: the next poll sees it
        for stage, values in counts.items():
            into = total.setdefault(stage, {})
            for key, n in values.items():
                into[key] = into.get(key, 0) + n
    return total
