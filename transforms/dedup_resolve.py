"""Dedup, resolve: verified pairs -> one survivor per group, with no global list of anything.

Which clip of a group survives is a total order (`rank`): a previously published clip, then
aesthetic (desc, scored first), resolution, duration, sharpness (desc), then clip_id, so every
runner keeps the same one.

Groups are the connected components of the verified pairs, found by keyed label propagation
("hash-min"): every node starts labelled with its own (rank, node); each round, a node takes the
smallest label among its own and its neighbours'. After r rounds a node's label is the best node
within r hops, and once r reaches the component's diameter it is the component's best node: the
survivor, directly, with no second pass. Each round is two keyed shuffles over the verified
pairs (a join of labels with adjacency, a min per node), so no step holds more than one node's
neighbours. The number of rounds is fixed when the graph is built (`component_rounds`); in a
component wider than that, a clip points at the best clip within reach, which may itself point
further. Two kept clips are never a verified pair whatever the rounds (the worse one sees the
better one's label in round one); the last round counts the nodes whose label still moved
(`components_unsettled`), which is 0 when every component settled.

Near-duplicate components are small in practice (copies of one shot, where most members are
verified against each other), and the crowded-bucket windows of `dedup_candidates` order ties by
a hash of (node, bucket), so even a thousand copies form a well-mixed graph of small diameter.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from schemas import Clip

PREVIOUS_PREFIX = "previous:"

Label = tuple  # (rank, node): the smallest label of a component is its survivor


class DedupReason(StrEnum):
    DUPLICATE = "duplicate"
    CAPTION_DUPLICATE = "caption_duplicate"
    SOURCE_CAP = "source_cap"


@dataclass(frozen=True)
class Edge:
    """A verified near-duplicate pair, with both nodes' ranks."""

    a: str
    a_rank: tuple
    b: str
    b_rank: tuple


@dataclass(frozen=True)
class Decision:
    reason: str | None = None
    duplicate_of: str | None = None
    dup_group: str | None = None
    caption_duplicate_of: str | None = None


def rank(
    previous: bool,
    aesthetic: float | None,
    width: int,
    height: int,
    duration_s: float,
    clip_id: str,
    sharpness: float | None = None,
) -> tuple:
    """Sort key, smallest first: previously published, aesthetic desc (scored first),
    resolution desc, duration desc, sharpness desc (a re-encoded copy is blurrier), clip_id."""
    return (
        not previous,
        aesthetic is None,
        -(aesthetic or 0.0),
        -(width * height),
        -round(duration_s, 3),
        -round(sharpness or 0.0, 3),
        clip_id,
    )


def clip_rank(clip: Clip, previous: bool = False) -> tuple:
    return rank(
        previous,
        clip.aesthetic,
        clip.width,
        clip.height,
        clip.duration_s,
        clip.clip_id,
        clip.blur_var,
    )


def clip_id_of(node: str) -> str:
    return node.removeprefix(PREVIOUS_PREFIX)


def is_previous(node: str) -> bool:
    return node.startswith(PREVIOUS_PREFIX)


# ---- components ------------------------------------------------------------------------------


def edge_labels(edge: Edge) -> list[tuple[str, Label]]:
    """Each end of an edge with its own starting label."""
    return [(edge.a, (edge.a_rank, edge.a)), (edge.b, (edge.b_rank, edge.b))]


def adjacency(edge: Edge) -> list[tuple[str, str]]:
    return [(edge.a, edge.b), (edge.b, edge.a)]


def spread(node: str, labels: Iterable[Label], neighbours: Iterable[str]) -> list:
    """One round at one node: its label to itself (marked as its own) and to each neighbour."""
    label = min(labels)
    return [(node, (label, True))] + [(n, (label, False)) for n in sorted(set(neighbours))]


def settle(offers: Iterable[tuple[Label, bool]]) -> tuple[Label, bool]:
    """A node's next label from its own and its neighbours' offers, and whether it moved."""
    offers = list(offers)
    own = min(label for label, mine in offers if mine)
    best = min(label for label, _ in offers)
    return best, best != own


def hash_min_labels(edges: Iterable[Edge], rounds: int) -> tuple[dict[str, Label], int]:
    """The label propagation of the Beam stage in one process (tests and bench): node -> label
    after `rounds` rounds, and how many nodes still moved in the last round."""
    edges = list(edges)
    labels: dict[str, Label] = {}
    for e in edges:
        for node, label in edge_labels(e):
            labels[node] = label
    neighbours: dict[str, list[str]] = {node: [] for node in labels}
    for e in edges:
        for node, other in adjacency(e):
            neighbours[node].append(other)
    moved = 0
    for _ in range(rounds):
        offers: dict[str, list] = {}
        for node, label in labels.items():
            for target, offer in spread(node, [label], neighbours[node]):
                offers.setdefault(target, []).append(offer)
        settled = {node: settle(o) for node, o in offers.items()}
        labels = {node: label for node, (label, _) in settled.items()}
        moved = sum(changed for _, changed in settled.values())
    return labels, moved


def connected_groups(edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Union-find over edges in one process, the reference the labels are checked against:
    each group's members, sorted; groups sorted by first member."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for node in parent:
        groups.setdefault(find(node), []).append(node)
    return sorted(sorted(g) for g in groups.values())


# ---- decisions -------------------------------------------------------------------------------


def visual_decision(node: str, label: Label) -> Decision:
    """A new clip in a near-duplicate group: kept if it is the group's best, else a duplicate."""
    group = clip_id_of(label[1])
    if label[1] == node:
        return Decision(dup_group=group)
    return Decision(str(DedupReason.DUPLICATE), group, group)


def caption_decision(node: str, label: Label, caption_mode: str | None) -> Decision | None:
    """A new clip whose captions repeat a better clip's: dropped or flagged, per mode."""
    if label[1] == node:
        return None
    reason = str(DedupReason.CAPTION_DUPLICATE) if caption_mode == "drop" else None
    return Decision(reason=reason, caption_duplicate_of=clip_id_of(label[1]))


def merge_decisions(decisions: Iterable[Decision]) -> Decision | None:
    """One clip's decisions from the visual, caption and per-source steps, as one."""
    merged = None
    for d in decisions:
        if merged is None:
            merged = d
            continue
        merged = Decision(
            reason=",".join(r for r in (merged.reason, d.reason) if r) or None,
            duplicate_of=merged.duplicate_of or d.duplicate_of,
            dup_group=merged.dup_group or d.dup_group,
            caption_duplicate_of=merged.caption_duplicate_of or d.caption_duplicate_of,
        )
    return merged


def over_cap(ranked: Iterable[tuple[tuple, str]], cap: int) -> list[str]:
    """Clip ids of one source's surviving clips beyond the first `cap` by rank."""
    return [clip_id for _, clip_id in sorted(ranked)[cap:]]


def apply_decision(clip: Clip, decision: Decision | None) -> Clip:
    if decision is None:
        return clip
    clip = dataclasses.replace(
        clip,
        duplicate_of=decision.duplicate_of,
        dup_group=decision.dup_group,
        caption_duplicate_of=decision.caption_duplicate_of,
    )
    if decision.reason:
        clip = clip.with_reasons(*decision.reason.split(","))
    return clip
