"""Small pieces every stage's Beam shell shares: counters and the dead-letter tag."""

from __future__ import annotations

import types
import weakref

import apache_beam.transforms.core as beam_core
from apache_beam.metrics import Metrics
from apache_beam.transforms import userstate

from schemas import Failure
from transforms import progress
from transforms.media import MediaError

FAILED = "failed"  # tag of every stage's dead-letter output


def _cache_beam_signatures() -> None:
    """Beam inspects the signature of every method of a DoFn each time it checks the DoFn for
    state or timers (~14 times per ParDo while building, translating and running a graph):
    31,000 `inspect.signature` calls in a run of ours, 0.3 of the 2.9 CPU s a one-video run
    costs. A function's signature does not change, so each is inspected once per process."""
    inspect_signature = beam_core.get_signature
    if getattr(inspect_signature, "cliploom_cached", False):
        return
    by_function: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def get_signature(func):
        bound = isinstance(func, types.MethodType)
        function = func.__func__ if bound else func
        if not isinstance(function, types.FunctionType):
            return inspect_signature(func)
        cached = by_function.setdefault(function, {})  # a bound method's drops its first argument
        if bound not in cached:
            cached[bound] = inspect_signature(func)
        return cached[bound]

    get_signature.cliploom_cached = True
    beam_core.get_signature = get_signature


_cache_beam_signatures()


def _cache_dofn_specs() -> None:
    """Beam looks for a DoFn's state and timer parameters by wrapping each of its ~30 methods,
    again each time it asks whether the DoFn is stateful: 568 times for 140 DoFns in a run of
    ours, ~0.1 of the ~2 CPU s of a run on a 2 s video. A DoFn's methods are fixed once it is
    made, so each DoFn is looked at once (a copy Beam unpickles is a new DoFn, looked at anew)."""
    find_specs = userstate.get_dofn_specs
    if getattr(find_specs, "cliploom_cached", False):
        return
    by_dofn: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def get_dofn_specs(dofn):
        try:
            specs = by_dofn.get(dofn)
        except TypeError:  # a DoFn that cannot be hashed or weakly referenced
            return find_specs(dofn)
        if specs is None:
            specs = by_dofn[dofn] = find_specs(dofn)
        return set(specs[0]), set(specs[1])  # the callers' own sets, as Beam gives them

    get_dofn_specs.cliploom_cached = True
    userstate.get_dofn_specs = get_dofn_specs


_cache_dofn_specs()


def by_tag(values) -> dict[str, list]:
    """A GroupByKey's (tag, value) pairs as {tag: values in arrival order}: a keyed join as one
    GroupByKey over values each producer has tagged itself, which is what a CoGroupByKey runs,
    without its extra tagging steps (every Beam step costs each run start-up time). A tag with
    no value is absent."""
    grouped: dict[str, list] = {}
    for tag, value in values:
        grouped.setdefault(tag, []).append(value)
    return grouped


class StageCounters:
    """Counters named `stage.reason`, created once per DoFn instance."""

    def __init__(self, stage: str):
        self.stage = stage
        self._counters: dict = {}

    def inc(self, name: str, n: int = 1) -> None:
        counter = self._counters.get(name)
        if counter is None:
            counter = self._counters[name] = Metrics.counter(self.stage, name)
        counter.inc(n)
        progress.record(self.stage, name, n)  # live progress of local runs; no-op otherwise


def as_failure(source: str, stage: str, exc: Exception, context: str = "") -> Failure:
    """A dead-letter row for an expected error (MediaError, OSError)."""
    if isinstance(exc, MediaError):
        return Failure(source, stage, exc.error, f"{context}{exc.detail}")
    return Failure(source, stage, "io_error", f"{context}{exc}")
