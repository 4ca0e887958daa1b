"""Beam's DaskRunner, keeping the tags of a ParDo's outputs and a bounded number of partitions.

Beam's DaskRunner (2.77) collects every output of a ParDo into one Dask bag and drops the tags,
so a dead-letter output (`with_outputs(FAILED, ...)`) or a `Partition` reaches every consumer
of the main output mixed in with it. This subclass keeps each element's tag in the bag and
gives each consumer only the elements of the PCollection it reads. What a DoFn emits in
`finish_bundle` is kept too (Beam's collects a bundle's outputs before it calls it).

Beam's Flatten concatenates bags, so its output has the sum of its inputs' partitions, and its
GroupByKey (a task shuffle) keeps them. A CoGroupByKey is a Flatten and a GroupByKey, so a chain
of joins adds up partitions at every step: dedup's label propagation (a join per round, fed by the
round before) took the default pipeline on two videos to 15,248 partitions at the last join and
702,766 tasks, which the shuffles then multiply. Here a Flatten and the input of a GroupByKey
are cut back to the runner's partition count (`--dask_npartitions`, else the cluster's worker
threads) by merging neighbouring partitions, and a `Reshuffle` (an identity in Beam's) spreads its
input over that many partitions, so the work after a fan-out reaches every worker.

    cliploom run ... --runner=pipelines.dask_runner.DaskRunner --dask_client_address=HOST:PORT

Beam's DaskRunner reports no metrics, so stats.json of such a run has no `counters`.
"""

from __future__ import annotations

import dataclasses
import functools

from apache_beam import TaggedOutput, pvalue
from apache_beam.internal import pickler
from apache_beam.pipeline import PipelineVisitor
from apache_beam.runners.dask import dask_runner, overrides, transform_evaluator
from apache_beam.transforms.sideinputs import SideInputMap


def _apply_dofn_keeping_tags(items, invoker_args, invoker_kwargs, receivers, specs, *sides):
    """`transform_evaluator.apply_dofn_to_bundle`, keeping each tagged element's tag, with the
    side inputs passed in computed (`sides`, one list per spec) instead of computed here."""
    # A fresh copy of the DoFn per bundle, so the one in the task graph never carries the
    # state a setup() left on it (a model, an ONNX session) if the graph is shipped again.
    signature, handler = invoker_args
    fresh = pickler.loads(pickler.dumps(signature.do_fn))
    invoker_args = [transform_evaluator.DoFnSignature(fresh), handler]
    invoker_kwargs = {
        **invoker_kwargs,
        "side_inputs": [
            SideInputMap(
                view_class,
                view_options,
                [transform_evaluator.get_windowed_value(v, mapping_fn) for v in values],
            )
            for (view_class, view_options, mapping_fn), values in zip(specs, sides, strict=True)
        ],
    }
    invoker = transform_evaluator.DoFnInvoker.create_invoker(*invoker_args, **invoker_kwargs)
    invoker.invoke_setup()
    invoker.invoke_start_bundle()
    for item in items:
        invoker.invoke_process(item)
    # After finish_bundle, unlike Beam's: a DoFn that holds elements (OCR's segment of clips)
    # emits the last of them there.
    invoker.invoke_finish_bundle()
    invoker.invoke_teardown()
    # as Beam's: elements unwrapped from their WindowedValue, but a tagged one keeps its tag
    return [
        TaggedOutput(v.tag, v.value.value) if isinstance(v, TaggedOutput) else v.value
        for v in receivers.values
    ]


def _map_keeping_tags(op, input_bag, side_inputs):
    """Beam's ParDo translation, but each side input is a dependency of the task (computed
    once, by the scheduler) rather than a bag each task computes again inside itself."""
    import dask

    side_inputs = side_inputs or []
    specs = [spec for spec, _ in side_inputs]
    # unoptimised partitions keep the upstream task names, so the upstream runs once
    sides = [dask.delayed(_concat)(*bag.to_delayed(optimize_graph=False)) for _, bag in side_inputs]
    transform = op.transform
    args, kwargs = transform.raw_side_inputs
    main_input = next(iter(op.applied.main_inputs.values()))
    window_fn = main_input.windowing.windowfn if hasattr(main_input, "windowing") else None
    receivers = transform_evaluator.OneReceiver()
    invoker_args = [
        transform_evaluator.DoFnSignature(transform.fn),
        transform_evaluator._OutputHandler(
            window_fn=window_fn,
            main_receivers=receivers[None],
            tagged_receivers=receivers,
            per_element_output_counter=None,
            output_batch_converter=None,
            process_yields_batches=False,
            process_batch_yields_elements=False,
        ),
    ]
    invoker_kwargs = dict(
        context=transform_evaluator.DoFnContext(transform.label, state=None),
        side_inputs=None,
        input_args=list(args),
        input_kwargs=kwargs,
        user_state_context=None,
        bundle_finalizer_param=transform_evaluator.DoFn.BundleFinalizerParam(),
    )
    return input_bag.map(transform_evaluator.get_windowed_value, window_fn).map_partitions(
        _apply_dofn_keeping_tags, invoker_args, invoker_kwargs, receivers, specs, *sides
    )


def _concat(*partitions) -> list:
    return [x for part in partitions for x in part]


def _select(item, tag):
    if tag is None:
        return not isinstance(item, TaggedOutput)
    return isinstance(item, TaggedOutput) and item.tag == tag


def _untag(item):
    return item.value if isinstance(item, TaggedOutput) else item


class _TaggedParDo(transform_evaluator.ParDo):
    def apply(self, input_bag, side_inputs=None):
        return _map_keeping_tags(self, input_bag, side_inputs)


def _at_most(bag, partitions: int):
    """The bag with at most `partitions` partitions, neighbours merged (no shuffle)."""
    return bag.repartition(npartitions=partitions) if bag.npartitions > partitions else bag


@dataclasses.dataclass
class _Bounded(transform_evaluator.DaskBagOp):
    partitions: int = 1  # the runner's partition count


class _BoundedFlatten(_Bounded):
    """Beam's Flatten (a concatenation), cut back to the runner's partition count."""

    def apply(self, input_bag, side_inputs=None):
        import dask.bag as db

        return _at_most(db.concat(input_bag), self.partitions)


class _BoundedGroupByKey(_Bounded):
    """Beam's GroupByKey, shuffling at most the runner's partition count (a task shuffle's
    output has as many partitions as its input)."""

    def apply(self, input_bag, side_inputs=None):
        bounded = _at_most(input_bag, self.partitions)
        return transform_evaluator.GroupByKey(self.applied, self.bag_kwargs).apply(bounded)


class _Spread(_Bounded):
    """A Reshuffle: its input split (or merged) into the runner's partition count, so what a
    fan-out made in one partition (a video's segments, a group's clips) reaches every worker."""

    def apply(self, input_bag, side_inputs=None):
        return input_bag.repartition(npartitions=self.partitions)


_BOUNDED = {
    overrides._Flatten: _BoundedFlatten,
    overrides._GroupByKeyOnly: _BoundedGroupByKey,
    overrides._Reshuffle: _Spread,
}


class DaskRunner(dask_runner.DaskRunner):
    """Beam's DaskRunner; a consumer of a multi-output ParDo reads only its own tag, a side
    input is computed once as a dependency of the tasks that read it, and no bag has more than
    `partitions` partitions after a Flatten, a GroupByKey or a Reshuffle."""

    @staticmethod
    def to_dask_bag_visitor(bag_kwargs=None, partitions: int = 1) -> PipelineVisitor:
        import apache_beam

        translations = {**transform_evaluator.TRANSLATIONS, apache_beam.ParDo: _TaggedParDo}

        @dataclasses.dataclass
        class Visitor(PipelineVisitor):
            bags: dict = dataclasses.field(default_factory=dict)
            consumed: set = dataclasses.field(default_factory=set)
            tagged: dict = dataclasses.field(default_factory=dict)  # (producer, tag) -> bag

            def bag_of(self, pcoll: pvalue.PCollection):
                self.consumed.add(pcoll.producer)
                bag = self.bags.get(pcoll.producer)
                if bag is None or len(pcoll.producer.outputs) < 2:
                    return bag
                key = (pcoll.producer, pcoll.tag)
                if key not in self.tagged:  # one selection per output, whoever reads it
                    self.tagged[key] = bag.filter(functools.partial(_select, tag=pcoll.tag)).map(
                        _untag
                    )
                return self.tagged[key]

            def visit_transform(self, node) -> None:
                kind = node.transform.__class__
                if kind in _BOUNDED:
                    op = _BOUNDED[kind](node, bag_kwargs or {}, partitions)
                else:
                    op_class = translations.get(kind, transform_evaluator.NoOp)
                    op = op_class(node, bag_kwargs=bag_kwargs or {})
                kws = {"input_bag": None, "side_inputs": None}
                inputs = list(node.inputs)
                if inputs:
                    bags = [
                        None if isinstance(i, pvalue.PBegin) else self.bag_of(i)
                        for i in inputs
                        if isinstance(i, pvalue.PBegin) or i.producer in self.bags
                    ]
                    if len(bags) == 1 and not isinstance(op, _BoundedFlatten):
                        kws["input_bag"] = bags[0]
                    else:
                        kws["input_bag"] = bags
                if node.side_inputs:  # ((view, options, window mapping), bag): see _TaggedParDo
                    kws["side_inputs"] = [
                        (
                            (type(si), si._view_options(), si._window_mapping_fn),
                            self.bag_of(si.pvalue),
                        )
                        for si in node.side_inputs
                    ]
                self.bags[node] = op.apply(**kws)

            def sinks(self) -> list:
                return [bag for node, bag in self.bags.items() if node not in self.consumed]

        return Visitor()

    def run_pipeline(self, pipeline, options):
        """Beam's run_pipeline, computing every sink (Beam's computes only the last bag)."""
        import dask.distributed as ddist

        dask_options = options.view_as(dask_runner.DaskOptions).get_all_options(
            drop_default=True, current_only=True
        )
        bag_kwargs = dask_runner.DaskOptions._extract_bag_kwargs(dask_options)
        client = ddist.Client(**dask_options)
        pipeline.replace_all(dask_runner.dask_overrides())
        visitor = self.to_dask_bag_visitor(bag_kwargs, partition_count(client, bag_kwargs))
        pipeline.visit(visitor)
        # one graph, unfused: optimising each sink's graph on its own renames the shared
        # tasks, and the scheduler then runs the upstream (decode and all) once per sink
        futures = client.compute(visitor.sinks(), optimize_graph=False)
        return _Result(client, futures)


def partition_count(client, bag_kwargs: dict) -> int:
    """`--dask_npartitions`, else one partition per worker thread of the cluster."""
    if bag_kwargs.get("npartitions"):
        return bag_kwargs["npartitions"]
    return max(1, sum(client.nthreads().values()))


class _Result(dask_runner.DaskRunnerResult):
    """Beam's result, closing its client once the run is over (Beam's leaves it connected)."""

    def wait_until_finish(self, duration=None) -> str:
        try:
            return super().wait_until_finish(duration)
        finally:
            self.client.close()
