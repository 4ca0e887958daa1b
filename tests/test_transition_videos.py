"""The generator of videos with transition truth (tests/transition_videos.py): the held-back
sets' make-up (rounds 14-29), checked without rendering them, and the pieces they add, rendered
small. The boundary detector is never run here."""

import json
from collections import Counter
from dataclasses import replace
from itertools import pairwise

import av
import numpy as np
import pytest

from tests import transition_videos
from tests.conftest import TESTDATA
from tests.transition_videos import (
    CUSTOM_TRANSITIONS,
    DIAGONALS,
    NEGATIVES_ROUND14,
    NEGATIVES_ROUND15,
    NEGATIVES_ROUND16,
    NEGATIVES_ROUND17,
    NEGATIVES_ROUND18,
    NEGATIVES_ROUND19,
    NEGATIVES_ROUND20,
    REAL_SHOTS_LAST,
    REAL_SHOTS_NEXT,
    REAL_SHOTS_ROUND12,
    REAL_SHOTS_ROUND13,
    REAL_SHOTS_ROUND14,
    REAL_SHOTS_ROUND15,
    REAL_SHOTS_ROUND16,
    REAL_SHOTS_ROUND17,
    REAL_SHOTS_ROUND18,
    REAL_SHOTS_ROUND19,
    REAL_SHOTS_ROUND20,
    REAL_SHOTS_ROUND21,
    REAL_SHOTS_ROUND22,
    REAL_SHOTS_ROUND23,
    REAL_SHOTS_ROUND24,
    REAL_SHOTS_WIPES,
    ROUND14_PLAIN,
    ROUND14_SPEEDS,
    ROUND15_BOXED,
    ROUND15_DURATIONS,
    ROUND15_INTO_BOX,
    ROUND15_SEEDS,
    ROUND15_SPEED_CHANGES,
    ROUND16_MOVES,
    ROUND16_SEEDS,
    ROUND16_SIMILAR,
    ROUND17_MOVES,
    ROUND17_SEEDS,
    ROUND17_SIMILAR,
    ROUND18_MOVES,
    ROUND18_SEEDS,
    ROUND18_SIMILAR,
    ROUND19_MOVES,
    ROUND19_SEEDS,
    ROUND19_SIMILAR,
    ROUND20_MOVES,
    ROUND20_SEEDS,
    ROUND20_SIMILAR,
    ROUND20_SPEEDS,
    ROUND21_MOVES,
    ROUND21_SEEDS,
    ROUND21_SIMILAR,
    ROUND21_SPEEDS,
    ROUND22_MOVES,
    ROUND22_SEEDS,
    ROUND22_SIMILAR,
    ROUND22_SPEEDS,
    ROUND23_MOVES,
    ROUND23_SEEDS,
    ROUND23_SIMILAR,
    ROUND23_SPEEDS,
    ROUND24_FPS,
    ROUND24_PLAN,
    ROUND24_SEEDS,
    ROUND24_SIMILAR,
    ROUND24_SPEEDS,
    ROUND25_SEEDS,
    ROUND26_SEEDS,
    ROUND27_SEEDS,
    ROUND28_SEEDS,
    ROUND29_SEEDS,
    SYNTHETIC_SHOTS_ROUND15,
    SYNTHETIC_SHOTS_ROUND16,
    SYNTHETIC_SHOTS_ROUND17,
    SYNTHETIC_SHOTS_ROUND18,
    SYNTHETIC_SHOTS_ROUND19,
    SYNTHETIC_SHOTS_ROUND20,
    SYNTHETIC_SHOTS_ROUND21,
    SYNTHETIC_SHOTS_ROUND22,
    SYNTHETIC_SHOTS_ROUND23,
    SYNTHETIC_SHOTS_ROUND24,
    TRANSITIONS_ROUND14,
    TRANSITIONS_ROUND15,
    TRANSITIONS_ROUND16,
    TRANSITIONS_ROUND17,
    TRANSITIONS_ROUND18,
    TRANSITIONS_ROUND19,
    TRANSITIONS_ROUND20,
    TRANSITIONS_ROUND21,
    TRANSITIONS_ROUND22,
    TRANSITIONS_ROUND23,
    TRANSITIONS_ROUND24,
    Shot,
    box_size,
    check_truth,
    negative_at,
    random_shots,
    render,
    set_fps,
    source_fade_spans,
    speed_read_s,
)


def frames(path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="gray") for f in container.decode(container.streams.video[0])]


def test_the_round14_set_holds_every_negative_once_and_its_own_cases():
    """Seeds 1201-1204: every negative exactly once, on its own picture where it has one; both
    custom kinds; diagonal wipes out of moving pictures into plain colours; wipes whose
    outgoing picture jumps or whips; each real shot within its usable seconds."""
    shots = [random_shots(seed, 8, False, round14=True) for seed in range(1201, 1205)]
    flat = [shot for video in shots for shot in video]
    assert sorted(s.negative for s in flat if s.negative) == sorted(NEGATIVES_ROUND14)
    assert {s.source for s in flat if s.negative == "bars_tilt"} == {"hdbars"}
    kinds = {s.into for video in shots for s in video[:-1] if s.into != "cut"}
    assert {"softcornerwipe", "fadeplum"} <= kinds <= set(TRANSITIONS_ROUND14)
    into_plain = [
        (a.source, a.into)
        for video in shots
        for a, b in pairwise(video)
        if a.into in DIAGONALS and a.source in REAL_SHOTS_ROUND14 and b.source in ROUND14_PLAIN
    ]
    assert len(into_plain) >= 3, into_plain
    assert {s.tail for video in shots for s in video[:-1] if s.tail} == {"jump", "whip"}
    for s in flat:
        if s.source in REAL_SHOTS_ROUND14:
            assert s.length_s <= REAL_SHOTS_ROUND14[s.source][2]
    assert "fadeplum" in CUSTOM_TRANSITIONS and "softcornerwipe" in CUSTOM_TRANSITIONS


@pytest.mark.parametrize("kind", ["crossing", "wide_crossing", "plate"])
def test_a_crossing_box_moves_across_the_frame(tmp_path, kind):
    """The round-14 boxes are drawn per frame: a quarter second apart the box's columns differ
    (drawbox, which the other sets' `object`, `wide_object` and `graphic` use, places its box
    once: their objects never appear and their plate pops in)."""
    truth = render(tmp_path / "v.mp4", [Shot("grey", 4.0, kind)])
    at = truth.negatives[0]["start_s"]
    video = frames(tmp_path / "v.mp4")
    grey = video[5].astype(int)

    def box_columns(t: float) -> np.ndarray:
        changed = np.abs(video[round(t * truth.fps)].astype(int) - grey) > 10
        return np.flatnonzero(changed.any(axis=0))

    early, late = box_columns(at + 0.2), box_columns(at + 0.45)
    assert early.size and late.size
    assert late.max() > early.max() + 20


def test_a_shot_played_faster_or_slower_lasts_its_seconds(tmp_path):
    """A real shot with a speed is read for speed x its length and lasts its length."""
    for name in ("plane_fast", "bikes_slow"):
        assert name in ROUND14_SPEEDS
        render(tmp_path / f"{name}.mp4", [Shot(name, 2.0)])
        assert len(frames(tmp_path / f"{name}.mp4")) == 50


ROUND15 = [random_shots(seed, 8, False, round15=True) for seed in ROUND15_SEEDS]
EARLIER_HELD_BACK = {
    "round12": [random_shots(seed, 8, False, round12=True) for seed in range(901, 905)],
    "round13": [random_shots(seed, 8, False, round13=True) for seed in range(1001, 1005)],
    "round14": [random_shots(seed, 8, False, round14=True) for seed in range(1201, 1205)],
}


def test_the_round15_set_holds_every_kind_and_negative_once():
    """Seeds 1501-1504: each round-15 kind exactly once and five cuts, each negative exactly
    once (the speed changes on real film with the seconds to read), every up or down wipe or
    slide into a boxed shot, shots of whole frames within their usable seconds."""
    bounds = [s for video in ROUND15 for s in video[:-1]]
    kinds = sorted(s.into for s in bounds if s.into != "cut")
    assert kinds == sorted(TRANSITIONS_ROUND15)
    assert sum(s.into == "cut" for s in bounds) == 5
    assert {s.into_s for s in bounds if s.into != "cut"} <= set(ROUND15_DURATIONS)
    flat = [s for video in ROUND15 for s in video]
    assert sorted(s.negative for s in flat if s.negative) == sorted(NEGATIVES_ROUND15)
    boxed = [(a.into, b.source) for video in ROUND15 for a, b in pairwise(video)]
    into_box = [(kind, source) for kind, source in boxed if kind in ROUND15_INTO_BOX]
    assert len(into_box) == len(ROUND15_INTO_BOX)
    assert all(source in ROUND15_BOXED for _, source in into_box), into_box
    for video in ROUND15:
        assert all(a.source != b.source for a, b in pairwise(video))
        for k, s in enumerate(video):
            assert round(s.length_s * 25, 6).is_integer(), s
            usable = REAL_SHOTS_ROUND15[s.source][2] if s.source in REAL_SHOTS_ROUND15 else 30
            read = s.length_s
            if s.negative in ROUND15_SPEED_CHANGES:
                assert s.source in REAL_SHOTS_ROUND15
                read = speed_read_s(s.negative, s.length_s, negative_at(video, k))
            assert read <= usable + 1e-6, s
            assert s.source in REAL_SHOTS_ROUND15 or s.source in SYNTHETIC_SHOTS_ROUND15


def test_the_round15_set_is_not_an_earlier_one():
    """Its footage (file, start, picture) and lavfi sources are its own, its kinds and negatives
    another mix, its durations include ones no earlier held-back set drew: the set made with
    round 14's (or 12's, 13's) tables fails here."""
    earlier = (
        REAL_SHOTS_ROUND12,
        REAL_SHOTS_ROUND13,
        REAL_SHOTS_ROUND14,
        REAL_SHOTS_NEXT,
        REAL_SHOTS_LAST,
        REAL_SHOTS_WIPES,
    )
    segments = {(v[0], v[1], v[3:]) for table in earlier for v in table.values()}
    ours = [s for video in ROUND15 for s in video]
    for s in ours:
        if s.source in REAL_SHOTS_ROUND15:
            name, start, _, *picture = REAL_SHOTS_ROUND15[s.source]
            assert (name, start, tuple(picture)) not in segments, s
    for name, videos in EARLIER_HELD_BACK.items():
        theirs = [s for video in videos for s in video]
        assert not {s.source for s in ours} & {s.source for s in theirs}, name
        assert {s.into for s in ours} != {s.into for s in theirs}, name
        assert {s.negative for s in ours} != {s.negative for s in theirs}, name
        assert {s.into_s for s in ours} - {s.into_s for s in theirs}, name
    assert list(ROUND15_SEEDS) == [1501, 1502, 1503, 1504]


def test_round15_truth_falls_on_frames_within_the_video(tmp_path):
    """Four shots of seed 1504 (a flash, a cut, a squeeze, a slow motion): as many frames as
    the truth's duration, spans inside it on whole frames, and the cut where the picture
    changes most outside the negatives."""
    shots = ROUND15[3][:4]
    truth = render(tmp_path / "v.mp4", shots)
    video = frames(tmp_path / "v.mp4")
    assert len(video) == round(truth.duration_s * truth.fps)
    spans = [(t["start_s"], t["end_s"]) for t in truth.transitions + truth.negatives]
    for start, end in spans:
        assert 0 < start < end < truth.duration_s
    for t in truth.transitions:
        assert round(t["start_s"] * 25, 6).is_integer() and round(t["end_s"] * 25, 6).is_integer()
    assert [n["kind"] for n in truth.negatives] == ["flash", "slowmo"]
    (cut,) = truth.cuts_s
    change = np.array([np.abs(b.astype(int) - a).mean() for a, b in pairwise(video)])
    for n in truth.negatives:  # the flash outdoes the cut
        change[int(n["start_s"] * 25) - 1 : int(n["end_s"] * 25) + 1] = 0
    assert int(np.argmax(change)) + 1 == round(cut * truth.fps)


@pytest.mark.parametrize(
    ("name", "kind", "length_s"), [("bbb30_head", "speedup", 6.0), ("chaplin_tall", "slowmo", 5.0)]
)
def test_a_speed_change_inside_a_shot_plays_at_its_speed(tmp_path, name, kind, length_s):
    """A shot speeding up (2.5x for a second) or slowing down (0.5x to its end) lasts its
    length, and each frame after the change shows the film at speed_read_s's seconds."""
    at = negative_at([Shot(name, length_s)], 0)
    read_s = speed_read_s(kind, length_s, at)
    render(tmp_path / "changed.mp4", [Shot(name, length_s, kind)])
    render(tmp_path / "plain.mp4", [Shot(name, read_s)])
    changed, plain = frames(tmp_path / "changed.mp4"), frames(tmp_path / "plain.mp4")
    assert len(changed) == round(length_s * 25) and len(plain) == round(read_s * 25)
    for shown in (at + 0.4, length_s - 0.2):
        frame = changed[round(shown * 25)].astype(int)
        best = min(range(len(plain)), key=lambda j: np.abs(plain[j] - frame).mean())
        assert abs(best / 25 - speed_read_s(kind, shown, at)) <= 0.08, (shown, best / 25)


def test_the_round15_negatives_change_the_picture_from_their_start(tmp_path):
    """A logo pops in at the top right and stays, a double flash whitens two moments 0.36 s
    apart, the light comes up and stays: before the negative's start the picture is the
    shot's own."""
    render(tmp_path / "plain.mp4", [Shot("grey", 4.0)])
    plain = frames(tmp_path / "plain.mp4")
    for kind in ("logo", "double_flash", "brighten"):
        truth = render(tmp_path / f"{kind}.mp4", [Shot("grey", 4.0, kind)])
        video = frames(tmp_path / f"{kind}.mp4")
        first = round(truth.negatives[0]["start_s"] * 25)
        diff = [np.abs(a.astype(int) - b).mean() for a, b in zip(video, plain, strict=True)]
        assert max(diff[: first - 1]) < 0.5, kind
        changed = [d > 1.5 for d in diff]  # the logo covers 3 % of the frame
        if kind == "double_flash":
            bursts = [i for i in range(1, len(diff)) if changed[i] and not changed[i - 1]]
            assert len(bursts) == 2 and bursts[1] - bursts[0] in (8, 9, 10), bursts
        else:
            assert all(changed[first + 25 :]), kind
    logo = frames(tmp_path / "logo.mp4")[-1].astype(int) - plain[-1]
    assert np.abs(logo[:50, 250:]).mean() > 10 and np.abs(logo[60:, :240]).max() < 3


ROUND16 = [random_shots(seed, 8, False, round16=True) for seed in ROUND16_SEEDS]
ROUND16_BOUNDS = [pair for video in ROUND16 for pair in pairwise(video)]
ROUND16_GRADUAL = [(a, b) for a, b in ROUND16_BOUNDS if a.into != "cut"]


def assert_moves(videos, gradual, moves, moving: int, both: int) -> list:
    """`moving` shots move, on the set's `moves` all used; every transition of `gradual` has a
    moving shot on one side, `both` of them on both; returns the set's shots."""
    flat = [s for video in videos for s in video]
    assert sum(s.move is not None for s in flat) == moving
    assert {s.move for s in flat if s.move} == set(moves)
    assert all(a.move or b.move for a, b in gradual)
    assert sum(bool(a.move and b.move) for a, b in gradual) == both
    return flat


def assert_similar_joined(bounds, similar) -> None:
    """Every pair of `similar` shots meets at a gradual transition, none at a cut."""
    gradual = {(a.source, b.source) for a, b in bounds if a.into != "cut"}
    assert sorted(gradual & set(similar)) == sorted(similar)
    assert not {(a.source, b.source) for a, b in bounds if a.into == "cut"} & set(similar)


def assert_transition_mix(videos, gradual, transitions, families: dict) -> None:
    """A 25-transition set's mix: its kinds are `transitions`, all of `families`, two fades,
    two dissolves and two fades through black, none more than twice; one hard cut in each of
    the first three videos."""
    kinds = Counter(a.into for a, _ in gradual)
    assert sorted(kinds.elements()) == sorted(transitions) and kinds.total() == 25
    assert set(kinds) == set().union(*families.values())
    assert kinds["fadeblack"] == kinds["fade"] == kinds["dissolve"] == 2
    assert max(kinds.values()) == 2
    assert [sum(s.into == "cut" for s in video[:-1]) for video in videos] == [1, 1, 1, 0]


def assert_negatives_in_moving_shots(flat, negatives, new: set) -> None:
    """No boxes; `negatives` (15 kinds, `new` among them) each once, each in a moving shot."""
    assert not any(s.box for s in flat)
    placed = [s for s in flat if s.negative]
    assert sorted(s.negative for s in placed) == sorted(negatives)
    assert len(set(negatives)) == 15 and all(s.move for s in placed)
    assert new <= set(negatives)


def assert_shots_fit(videos, real: dict, synthetic: dict, fps: int = 25) -> None:
    """Each video's neighbouring shots come from different sources, every shot is whole frames
    at `fps`, within its footage's usable length (30 s for a lavfi source), from the set's own
    sources."""
    for video in videos:
        assert all(a.source != b.source for a, b in pairwise(video))
        for s in video:
            assert round(s.length_s * fps, 6).is_integer(), s
            usable = real[s.source][2] if s.source in real else 30
            assert s.length_s <= usable + 1e-6, s
            assert s.source in real or s.source in synthetic


def test_the_round16_set_holds_what_its_note_says():
    """Seeds 1601-1604 (ROUND16_PLAN's note): 24 kinds each once and a cut in each video;
    ten 0.52 s and ten 2 s transitions; 27 of 32 shots moving, every transition with a moving
    shot on one side at least (18 on both); six between similar-looking shots; four boxed
    pairs; 16 negatives each once, each in a moving shot; 25 real shots, whole frames within
    their usable seconds."""
    assert list(ROUND16_SEEDS) == [1601, 1602, 1603, 1604]
    kinds = [a.into for a, _ in ROUND16_GRADUAL]
    assert sorted(kinds) == sorted(TRANSITIONS_ROUND16) and len(set(kinds)) == 24
    assert {"fade", "dissolve", "fadeblack", "fadewhite", "wipeleft", "slideup"} <= set(kinds)
    assert {"dipblack", "dipwhite", "pixeldissolve"} <= set(kinds) & set(CUSTOM_TRANSITIONS)
    # xfade kinds that leave frames of their span unchanged (or resample its first) are out
    assert not {"radial", "circleopen", "circleclose", "hlslice", "squeezeh"} & set(kinds)
    assert [sum(s.into == "cut" for s in video[:-1]) for video in ROUND16] == [1, 1, 1, 1]
    assert Counter(a.into_s for a, _ in ROUND16_GRADUAL) == {0.52: 10, 2.0: 10, 1.0: 2, 1.48: 2}
    flat = assert_moves(ROUND16, ROUND16_GRADUAL, ROUND16_MOVES, moving=27, both=18)
    similar = [
        (a.source, b.source) for a, b in ROUND16_BOUNDS if (a.source, b.source) in ROUND16_SIMILAR
    ]
    assert sorted(similar) == sorted(ROUND16_SIMILAR)
    assert all(
        a.into != "cut" for a, b in ROUND16_BOUNDS if (a.source, b.source) in ROUND16_SIMILAR
    )
    boxed = [(a.box, b.box) for a, b in ROUND16_GRADUAL if a.box and b.box]
    assert sorted(boxed) == sorted(
        [
            ("letterbox", "letterbox"),
            ("pillar", "pillar"),
            ("letterbox", "pillar"),
            ("window", "letterbox"),
        ]
    )
    assert sum(s.box is not None for s in flat) == 8
    negatives = [s for s in flat if s.negative]
    assert sorted(s.negative for s in negatives) == sorted(NEGATIVES_ROUND16)
    assert len(set(NEGATIVES_ROUND16)) == 16 and all(s.move for s in negatives)
    assert {"flash", "dim", "crossing", "zoom_fast", "near_crossing"} <= set(NEGATIVES_ROUND16)
    assert sum(s.source in REAL_SHOTS_ROUND16 for s in flat) == 25
    assert_shots_fit(ROUND16, REAL_SHOTS_ROUND16, SYNTHETIC_SHOTS_ROUND16)


def test_the_round16_set_is_not_an_earlier_one():
    """Its footage (file, start, picture) and lavfi sources are its own, its negatives and
    durations another mix than rounds 12-15's, three of its negatives and its moves and boxes
    no earlier set has."""
    earlier = (
        REAL_SHOTS_ROUND12,
        REAL_SHOTS_ROUND13,
        REAL_SHOTS_ROUND14,
        REAL_SHOTS_ROUND15,
        REAL_SHOTS_NEXT,
        REAL_SHOTS_LAST,
        REAL_SHOTS_WIPES,
    )
    segments = {(v[0], v[1], tuple(v[3:])) for table in earlier for v in table.values()}
    ours = [s for video in ROUND16 for s in video]
    for name, start, _, *picture in REAL_SHOTS_ROUND16.values():
        assert (name, start, tuple(picture)) not in segments, name
    for name, videos in {**EARLIER_HELD_BACK, "round15": ROUND15}.items():
        theirs = [s for video in videos for s in video]
        assert not {s.source for s in ours} & {s.source for s in theirs}, name
        assert {s.negative for s in ours} != {s.negative for s in theirs}, name
        assert not {"dim", "near_crossing", "zoom_fast"} & {s.negative for s in theirs}, name
        assert not {s.move for s in theirs} - {None} and not {s.box for s in theirs} - {None}
        assert Counter(s.into_s for s in ours) != Counter(s.into_s for s in theirs), name


def _spans_render(tmp_path, monkeypatch, shots, tag):
    """The Y, U and V samples of `shots` rendered losslessly as made and with every transition
    replaced by the outgoing shot held ('A') and by the incoming one ('B'): the same timeline
    three times, so any difference is in the picture, none the encoder's."""
    monkeypatch.setitem(CUSTOM_TRANSITIONS, "holdA", "A")
    monkeypatch.setitem(CUSTOM_TRANSITIONS, "holdB", "B")
    make = transition_videos.make_video

    def lossless(path, *args):
        args = list(args)
        at = args.index("-crf")
        args[at : at + 2] = ["-qp", "0"]
        return make(path, *args)

    monkeypatch.setattr(transition_videos, "make_video", lossless)
    out, truth = {}, None
    for hold in (None, "holdA", "holdB"):
        copies = [replace(s, into=hold or s.into) if s.into != "cut" else s for s in shots]
        made = render(tmp_path / f"{tag}_{hold}.mp4", copies)
        truth = truth if hold else made
        with av.open(str(tmp_path / f"{tag}_{hold}.mp4")) as container:
            out[hold] = [f.to_ndarray() for f in container.decode(container.streams.video[0])]
    return truth, out[None], out["holdA"], out["holdB"]


def test_round16_frames_inside_a_span_differ_from_both_shots(tmp_path, monkeypatch):
    """Seed 1601's first three shots: a 2 s dissolve between two panning views of the same
    landscape and a 0.52 s wipe up into a zooming gradient. Every frame strictly inside a truth
    span differs from both shots' own frames at that time; the frame at the span's start is
    the outgoing shot's, at its end the incoming one's, and outside the spans the video is
    one shot or the other, sample for sample."""
    truth, made, a, b = _spans_render(tmp_path, monkeypatch, ROUND16[0][:3], "r16")
    assert len(made) == len(a) == len(b) == round(truth.duration_s * truth.fps)
    assert [(t["kind"], t.get("similar", False)) for t in truth.transitions] == [
        ("dissolve", True),
        ("wipeup", False),
    ]
    assert [m["kind"] for m in truth.moves] == ["pan_right", "pan_right", "zoom_in"]
    inside = set()
    for t in truth.transitions:
        lo, hi = round(t["start_s"] * 25), round(t["end_s"] * 25)
        assert (lo, hi) == (t["start_s"] * 25, t["end_s"] * 25)  # on frames
        assert np.array_equal(made[lo], a[lo]) and np.array_equal(made[hi], b[hi])
        for k in range(lo + 1, hi):
            inside.add(k)
            assert (made[k] != a[k]).any() and (made[k] != b[k]).any(), (t["kind"], k)
    for k in set(range(len(made))) - inside:
        assert np.array_equal(made[k], a[k]) or np.array_equal(made[k], b[k]), k


def test_round16_boxes_keep_their_bars_through_a_transition(tmp_path):
    """Seed 1601's letterboxed pair (a still film into a drifting sky, a 2 s wipe left, an object
    crossing): every frame has black bars 23 rows high above and below the picture and none
    inside it; the truth's boxes give the picture's size and the time each shows."""
    shots = ROUND16[0][4:6]
    truth = render(tmp_path / "box.mp4", shots)
    assert [(b["kind"], b["width"], b["height"]) for b in truth.boxes] == [
        ("letterbox", 320, 134)
    ] * 2
    assert truth.boxes[0]["end_s"] == truth.transitions[0]["end_s"]
    assert truth.boxes[1]["start_s"] == truth.transitions[0]["start_s"]
    top = (180 - box_size("letterbox", 320, 180)[1]) // 2
    assert top == 23
    for frame in frames(tmp_path / "box.mp4"):
        assert frame[: top - 1].max() < 30 and frame[180 - top + 1 :].max() < 30
        assert frame[top + 2 : 180 - top - 2].mean(axis=1).min() > 30


def test_a_round16_move_pans_the_picture_at_a_steady_speed(tmp_path):
    """A 4 s pan left over still colour bars: 1.5 frame widths over the shot, 4.8 px a frame
    (the crop's window steps 4 or 6 px, whole chroma pixels), as fast in its first frames as
    in its last (the move lasts through the shot's transitions)."""
    render(tmp_path / "pan.mp4", [Shot("smpte", 4.0, move="pan_left")])
    video = frames(tmp_path / "pan.mp4")
    assert len(video) == 100

    def shift(k: int) -> int:  # the picture's move from frame k to k + 1, in pixels right
        x, y = video[k][40:140].astype(int), video[k + 1][40:140].astype(int)
        return min(
            range(-12, 13), key=lambda d: np.abs(x[:, 20:300] - y[:, 20 + d : 300 + d]).mean()
        )

    for steps in ([shift(k) for k in range(10)], [shift(k) for k in range(89, 99)]):
        assert set(steps) <= {4, 5, 6} and abs(np.mean(steps) - 4.8) <= 0.5, steps


@pytest.mark.parametrize(("kind", "level"), [("dipblack", 0), ("dipwhite", 255)])
def test_a_dip_holds_its_colour_for_the_middle_fifth(tmp_path, kind, level):
    """A 2 s fade through black or white between two plain colours: the frames of the middle
    fifth of the span are the colour (Y 16 or 235, full-range grey 0 or 255), those before and
    after lie between it and the shots."""
    truth = render(
        tmp_path / "dip.mp4", [Shot("grey", 4.0, into=kind, into_s=2.0), Shot("teal", 4.0)]
    )
    video = frames(tmp_path / "dip.mp4")
    lo = round(truth.transitions[0]["start_s"] * 25)
    means = [video[lo + j].mean() for j in range(51)]
    for j in range(21, 30):  # P from 0.58 to 0.42
        assert abs(means[j] - level) < 4, (j, means[j])
    assert abs(means[5] - level) > 10 and abs(means[45] - level) > 10


def test_a_pixel_dissolve_switches_pixel_by_pixel(tmp_path):
    """Mid-way through a pixel dissolve between two plain colours about half of the pixels
    are the one colour and half the other, few between (unlike a fade)."""
    truth = render(
        tmp_path / "px.mp4",
        [Shot("grey", 3.0, into="pixeldissolve", into_s=2.0), Shot("navy", 3.0)],
    )
    video = frames(tmp_path / "px.mp4")
    mid = video[round((truth.transitions[0]["start_s"] + 1.0) * 25)].astype(int)
    grey, navy = video[5].astype(int), video[-5].astype(int)
    near_grey = np.abs(mid - grey) < 12
    near_navy = np.abs(mid - navy) < 12
    assert 0.3 < near_grey.mean() < 0.7 and 0.3 < near_navy.mean() < 0.7
    assert (near_grey | near_navy).mean() > 0.8


def test_the_round16_negatives_change_the_picture_from_their_start(tmp_path):
    """The light dims to 45 % and stays; a dark object covers most of the frame mid-way
    through its 0.6 s pass and is gone after; a fast zoom enlarges the picture 3x and holds.
    Before each negative's start the picture is the shot's own."""
    render(tmp_path / "plain.mp4", [Shot("grey", 4.0)])
    plain = frames(tmp_path / "plain.mp4")
    for kind in ("dim", "near_crossing"):
        truth = render(tmp_path / f"{kind}.mp4", [Shot("grey", 4.0, kind)])
        video = frames(tmp_path / f"{kind}.mp4")
        first = round(truth.negatives[0]["start_s"] * 25)
        assert (
            max(
                np.abs(a.astype(int) - b).mean()
                for a, b in zip(video[:first], plain[:first], strict=True)
            )
            < 0.5
        )
        if kind == "dim":
            ratio = video[first + 30].mean() / plain[first + 30].mean()  # grey 0 is black
            assert abs(ratio - 0.45) < 0.03
            assert abs(video[-1].mean() - video[first + 30].mean()) < 1
        else:
            covered = np.abs(video[first + 7].astype(int) - plain[first + 7]) > 20
            assert covered.mean() > 0.6
            assert np.abs(video[first + 20].astype(int) - plain[first + 20]).mean() < 0.5
    truth = render(tmp_path / "zoom.mp4", [Shot("pal75", 4.0, "zoom_fast")])
    video = frames(tmp_path / "zoom.mp4")
    first = round(truth.negatives[0]["start_s"] * 25)
    held = video[first + 15 :]
    assert max(np.abs(held[j + 1].astype(int) - held[j]).mean() for j in range(len(held) - 1)) < 15
    centre = video[first - 1][60:120, 107:213]  # the middle third, 3x: the whole frame
    big = np.kron(centre, np.ones((3, 3)))[:180, :318]
    assert (
        np.abs(big.astype(int) - video[first + 15][:, :318]).mean()
        < np.abs(video[first - 1][:, :318].astype(int) - video[first + 15][:, :318]).mean()
    )


@pytest.mark.parametrize(
    ("kind", "seconds"), [("circleopen", 1.0), ("hlslice", 2.0), ("radial", 1.0), ("vuslice", 1.6)]
)
def test_an_xfade_span_holds_only_frames_that_blend(tmp_path, monkeypatch, kind, seconds):
    """xfade's circleopen, hlslice, radial and vuslice leave frames at the ends of their span as the
    outgoing or incoming shot (a mask whose edge is off the picture): the truth's span is
    trimmed to the frames that differ from both, on real footage rendered losslessly (the
    untrimmed span (O, O + D) holds unchanged frames)."""
    shots = [Shot("chaplin", 1.0 + seconds, into=kind, into_s=seconds), Shot("bbb", 3.0)]
    truth, made, a, b = _spans_render(tmp_path, monkeypatch, shots, kind)
    (t,) = truth.transitions
    lo, hi = round(t["start_s"] * 25), round(t["end_s"] * 25)
    assert abs(lo - t["start_s"] * 25) < 1e-6 and abs(hi - t["end_s"] * 25) < 1e-6  # on frames
    assert hi - lo < seconds * 25  # trimmed
    assert np.array_equal(made[lo], a[lo]) and np.array_equal(made[hi], b[hi])
    for k in range(lo + 1, hi):
        assert (made[k] != a[k]).any() and (made[k] != b[k]).any(), k
    for k in set(range(len(made))) - set(range(lo + 1, hi)):
        assert np.array_equal(made[k], a[k]) or np.array_equal(made[k], b[k]), k


def _truth_only(monkeypatch, tmp_path, shots):
    """The truth render writes for `shots`, without rendering the video."""
    monkeypatch.setattr(transition_videos, "make_video", lambda path, *args: path)
    return render(tmp_path / "v.mp4", shots)


@pytest.mark.parametrize("seed", [1, 4])
def test_the_dev_set_truth_holds_the_footage_fade_from_black(tmp_path, monkeypatch, seed):
    """Development videos 1 and 4 open on big_buck_bunny_0_30 from 0.7 s, inside the film's
    own fade in from black (0.17-2.05 s): the truth has it as a gradual transition from the
    first frame to 1.35 s later, so a boundary there is not false and a clip holding it
    holds a transition."""
    shots = random_shots(seed, 8, False)
    assert shots[0].source == "bbb30_a"
    truth = _truth_only(monkeypatch, tmp_path, shots)
    fades = [t for t in truth.transitions if t["kind"] == "source_fade"]
    assert fades[0] == {
        "kind": "source_fade",
        "start_s": -0.04,
        "end_s": 1.36,
        "what": "big_buck_bunny_0_30.webm: fade in from black",
    }


def test_a_source_fade_span_holds_the_frames_that_fade(tmp_path):
    """Rendered, the film's fade in from black (bbb30_a from 0.7 s) brightens through its
    span (by 150 of 255) and not after it; the film's title fading in over the shot from
    24.63 s (bbb30_d from 23.05 s) is text over one shot, no source_fade."""
    truth = render(tmp_path / "a.mp4", [Shot("bbb30_a", 2.5)])
    (fade,) = truth.transitions
    video = frames(tmp_path / "a.mp4")
    luma = [f.mean() for f in video]
    end = round(fade["end_s"] * 25)
    assert fade["start_s"] == -0.04 and end == 34
    # 24 fps film at 25 fps: a frame is shown twice now and then
    assert all(b >= a for a, b in pairwise(luma[:end])) and luma[end - 1] - luma[0] > 150
    assert max(abs(b - a) for a, b in pairwise(luma[end:])) < 1.0
    truth = render(tmp_path / "d.mp4", [Shot("bbb30_d", 3.5)])
    assert truth.transitions == []


def test_the_film_title_that_pops_in_is_not_a_fade(tmp_path, monkeypatch):
    """big_buck_bunny_0_30's first title appears in one frame at 20.38 s (and its bird flies
    off at 20.75 s): a shot over it (bbb30_c) gets no source_fade; the plane's film fading to
    black from 7.16 s does, to the shot's end."""
    truth = _truth_only(monkeypatch, tmp_path, [Shot("bbb30_c", 7.0), Shot("plane", 9.0)])
    (fade,) = truth.transitions
    assert fade["what"] == "video_with_failing_audio.mp4: fade to black"
    assert (fade["start_s"], fade["end_s"]) == (7.0 + 7.16, 16.0)


ROUND17 = [random_shots(seed, 8, False, round17=True) for seed in ROUND17_SEEDS]
ROUND17_BOUNDS = [pair for video in ROUND17 for pair in pairwise(video)]
ROUND17_GRADUAL = [(a, b) for a, b in ROUND17_BOUNDS if a.into != "cut"]


def test_the_round17_set_holds_what_its_note_says():
    """Seeds 1701-1704 (ROUND17_PLAN's note): 26 transitions of the issue's families and two
    hard cuts; durations 0.52-2 s, each two to four times; 30 of 32 shots moving with round 17's
    own moves (24 transitions moving on both sides, the rest on one); five between similar
    shots; four boxed pairs; 14 negatives each once, each in a moving shot; shots of whole
    frames within their usable seconds."""
    assert list(ROUND17_SEEDS) == [1701, 1702, 1703, 1704]
    kinds = Counter(a.into for a, _ in ROUND17_GRADUAL)
    assert sorted(kinds.elements()) == sorted(TRANSITIONS_ROUND17) and kinds.total() == 26
    families = {
        "fade": {"fade", "fadefast"},
        "dissolve": {"dissolve", "easedissolve"},
        "wipe": {"wipeleft", "wipedown", "wipetr", "wipebl", "smoothup"},
        "slide": {"slideleft", "slideright", "slideup"},
        "through black or white": {"fadeblack", "fadewhite"},
        "pixelize": {"pixelize"},
        "circle or radial": {"circleopen", "circleclose", "radial"},
        "cover or reveal": {"coverup", "coverright", "revealleft", "revealdown"},
    }
    assert set(kinds) == set().union(*families.values())
    assert kinds["fadeblack"] == kinds["fadewhite"] == 2 and max(kinds.values()) == 2
    assert [sum(s.into == "cut" for s in video[:-1]) for video in ROUND17] == [0, 1, 0, 1]
    durations = Counter(a.into_s for a, _ in ROUND17_GRADUAL)
    assert set(durations) == {0.52, 0.6, 0.8, 1.0, 1.2, 1.4, 1.6, 1.8, 2.0}
    assert min(durations.values()) == 2 and max(durations.values()) == 4
    flat = assert_moves(ROUND17, ROUND17_GRADUAL, ROUND17_MOVES, moving=30, both=24)
    assert_similar_joined(ROUND17_BOUNDS, ROUND17_SIMILAR)
    boxed = [(a.box, b.box) for a, b in ROUND17_GRADUAL if a.box and b.box]
    assert sorted(boxed) == sorted(
        [("pillar", "pillar"), ("letterbox", "letterbox"), ("letterbox", "pillar"),
         ("window", "letterbox")]
    )  # fmt: skip
    # no wipe, slide, cover or reveal starts in the bars two boxes share
    edges = ("wipe", "smooth", "cover", "reveal", "circle", "radial")
    assert not [a.into for a, b in ROUND17_GRADUAL if a.box and b.box and a.into.startswith(edges)]
    negatives = [s for s in flat if s.negative]
    assert sorted(s.negative for s in negatives) == sorted(NEGATIVES_ROUND17)
    assert len(set(NEGATIVES_ROUND17)) == 14 and all(s.move for s in negatives)
    assert {"flash", "dim", "brighten", "crossing", "zoom_fast", "whip", "logo"} <= set(
        NEGATIVES_ROUND17
    )
    assert sum(s.source in REAL_SHOTS_ROUND17 for s in flat) == 26
    assert_shots_fit(ROUND17, REAL_SHOTS_ROUND17, SYNTHETIC_SHOTS_ROUND17)


def assert_own_footage(videos, real: dict, earlier: tuple, everyone: dict) -> list:
    """No footage segment (file, start, picture) of `real` is in an `earlier` table and no shot
    source of `videos` in a set of `everyone`; returns the set's shots."""
    segments = {(v[0], v[1], tuple(v[3:])) for table in earlier for v in table.values()}
    for name, start, _, *picture in real.values():
        assert (name, start, tuple(picture)) not in segments, name
    ours = [s for video in videos for s in video]
    for name, others in everyone.items():
        theirs = [s for video in others for s in video]
        assert not {s.source for s in ours} & {s.source for s in theirs}, name
    return ours


def test_the_round17_set_is_not_an_earlier_one():
    """Its footage (file, start, picture) and lavfi sources are its own, its moves none of
    round 16's, two of its negatives new; against round 16 its kinds, durations, similar pairs,
    negatives and plan rows are another mix; the whole footage lies clear of the films' own
    fades (no source_fade in its truth)."""
    earlier = (
        REAL_SHOTS_ROUND12,
        REAL_SHOTS_ROUND13,
        REAL_SHOTS_ROUND14,
        REAL_SHOTS_ROUND15,
        REAL_SHOTS_ROUND16,
        REAL_SHOTS_NEXT,
        REAL_SHOTS_LAST,
        REAL_SHOTS_WIPES,
    )
    everyone = {**EARLIER_HELD_BACK, "round15": ROUND15, "round16": ROUND16}
    ours = assert_own_footage(ROUND17, REAL_SHOTS_ROUND17, earlier, everyone)
    for name, videos in everyone.items():
        theirs = [s for video in videos for s in video]
        assert not set(ROUND17_MOVES) & {s.move for s in theirs}, name
        assert not {"flicker", "whip_up"} & {s.negative for s in theirs}, name
    theirs = [s for video in ROUND16 for s in video]
    assert Counter(s.into for s in ours) != Counter(s.into for s in theirs)
    assert Counter(s.into_s for s in ours) != Counter(s.into_s for s in theirs)
    assert Counter(s.negative for s in ours) != Counter(s.negative for s in theirs)
    assert not set(ROUND17_SIMILAR) & set(ROUND16_SIMILAR)
    assert not set(ROUND17_MOVES) & set(ROUND16_MOVES)


def test_round17_truth_holds_on_a_lossless_render(tmp_path):
    """Seed 1701's second to fifth shots (check_truth, as bench --round17 --check-truth runs on
    every seed): a 0.6 s wipe down whose frame at t = O already shows a row of the incoming
    shot (so its span opens a frame early), a circle opening whose soft edge changes no sample
    of this footage in the first and last frames the plain probes blend (ROUND17_SOFT_ENDS), a
    slide up between two pillarboxed views of one scene. Every frame inside a span differs from
    both shots, every other frame is one of them."""
    truth, problems = check_truth(tmp_path, ROUND17[0][1:5])
    assert problems == []
    spans = [
        (t["kind"], round(t["start_s"] * 25), round(t["end_s"] * 25)) for t in truth.transitions
    ]
    assert [kind for kind, _, _ in spans] == ["wipedown", "circleopen", "slideup"]
    lengths = [round(s.length_s * 25) for s in ROUND17[0][1:5]]
    wipe_o = lengths[0] - 15
    assert spans[0][1:] == (wipe_o - 1, wipe_o + 15)
    circle_o = lengths[0] + lengths[1] - 15 - 40
    assert spans[1][1:] == (circle_o + 7, circle_o + 40 - 7)  # 6 of the probes, 1 more
    assert truth.transitions[2]["similar"] and [b["kind"] for b in truth.boxes] == ["pillar"] * 2
    assert [m["kind"] for m in truth.moves] == [s.move for s in ROUND17[0][1:5]]
    assert [n["kind"] for n in truth.negatives] == ["flash", "zoom_fast", "logo"]


@pytest.mark.parametrize(
    ("move", "steps"),
    [("creep_left", (-0.96, 0.3)), ("pan_fast_left", (-7.36, 0.5)), ("handheld", (0.0, 1.0))],
)
def test_a_round17_move_goes_at_its_own_speed(tmp_path, move, steps):
    """Over colour bars for 4 s: a creep left moves the picture 0.3 frame widths over the shot
    (0.96 px a frame), a fast pan left 2.3 widths (7.4 px a frame),
    a handheld hold wanders and jitters around the centre (steps each way, none steady)."""
    render(tmp_path / "m.mp4", [Shot("smpte", 4.0, move=move)])
    video = frames(tmp_path / "m.mp4")
    assert len(video) == 100

    def shift(k: int) -> int:  # the picture's move from frame k to k + 1, in pixels right
        x, y = video[k][40:140].astype(int), video[k + 1][40:140].astype(int)
        return min(
            range(-12, 13), key=lambda d: np.abs(x[:, 20:300] - y[:, 20 + d : 300 + d]).mean()
        )

    moves = [-shift(k) for k in range(99)]  # the window's move is the picture's, reversed
    mean, spread = steps
    if move == "handheld":
        assert min(moves) < 0 < max(moves) and np.std(moves) > 1.0, moves
        assert abs(np.mean(moves)) < spread
    else:
        assert abs(np.mean(moves) - mean) < spread, moves


def test_the_round17_negatives_change_the_picture_from_their_start(tmp_path):
    """A flickering light dips the picture four times in a second (1-2 frames each) and leaves
    it as it was; a whip tilt moves a still picture up two frame heights in 0.4 s and holds."""
    render(tmp_path / "plain.mp4", [Shot("grey", 4.0)])
    plain = frames(tmp_path / "plain.mp4")
    truth = render(tmp_path / "flicker.mp4", [Shot("grey", 4.0, "flicker")])
    video = frames(tmp_path / "flicker.mp4")
    first = round(truth.negatives[0]["start_s"] * 25)
    dark = [plain[k].mean() - video[k].mean() > 20 for k in range(len(video))]
    bursts = [k for k in range(1, len(dark)) if dark[k] and not dark[k - 1]]
    assert len(bursts) == 4 and first - 1 <= bursts[0] and bursts[-1] <= first + 24, bursts
    assert sum(dark) <= 7 and not any(dark[: first - 1]) and not any(dark[first + 25 :])
    truth = render(tmp_path / "whip.mp4", [Shot("smpte", 4.0, "whip_up")])
    video = frames(tmp_path / "whip.mp4")
    first = round(truth.negatives[0]["start_s"] * 25)
    step = [np.abs(b.astype(int) - a).mean() for a, b in pairwise(video)]
    assert max(step[: first - 1]) < 0.5 and max(step[first + 11 :]) < 0.5
    assert sum(step[first - 1 : first + 11]) > 50  # (bars: stretched bands hide some steps)
    assert np.abs(video[first - 1].astype(int) - video[first + 11]).mean() > 10


ROUND18 = [random_shots(seed, 8, False, round18=True) for seed in ROUND18_SEEDS]
ROUND18_BOUNDS = [pair for video in ROUND18 for pair in pairwise(video)]
ROUND18_GRADUAL = [(a, b) for a, b in ROUND18_BOUNDS if a.into != "cut"]


def test_the_round18_set_holds_what_its_note_says():
    """Seeds 1801-1804 (ROUND18_PLAN's note): 25 transitions of every family and three hard
    cuts; durations 0.56-2 s in 4-frame steps, each two or three times; 29 of 32 shots moving
    with round 18's own moves, 22 transitions moving on both sides, the rest on one; seven
    between similar shots; no boxes; 15 negatives each once, each in a moving shot; shots of
    whole frames within their usable seconds, 27 of real footage."""
    assert list(ROUND18_SEEDS) == [1801, 1802, 1803, 1804]
    families = {
        "fade": {"fade", "fadefast", "fadeslow"},
        "dissolve": {"dissolve", "distance"},
        "through black, white or grey": {"fadeblack", "fadewhite", "fadegrays", "dipwhite"},
        "wipe": {"wipetl", "wipeup", "wiperight", "smoothleft", "hrslice", "circleclose"},
        "slide": {"slidedown", "slideleft", "squeezev"},
        "cover or reveal": {"coverleft", "coverdown", "revealup"},
        "pixelize": {"pixelize"},
    }
    assert_transition_mix(ROUND18, ROUND18_GRADUAL, TRANSITIONS_ROUND18, families)
    durations = Counter(a.into_s for a, _ in ROUND18_GRADUAL)
    assert sorted(durations) == [round(0.56 + 0.16 * i, 2) for i in range(10)]
    assert min(durations.values()) == 2 and max(durations.values()) == 3
    flat = assert_moves(ROUND18, ROUND18_GRADUAL, ROUND18_MOVES, moving=29, both=22)
    assert_similar_joined(ROUND18_BOUNDS, ROUND18_SIMILAR)
    assert_negatives_in_moving_shots(flat, NEGATIVES_ROUND18, {"defocus", "occlude", "overexpose"})
    assert sum(s.source in REAL_SHOTS_ROUND18 for s in flat) == 27
    assert_shots_fit(ROUND18, REAL_SHOTS_ROUND18, SYNTHETIC_SHOTS_ROUND18)


def test_the_round18_set_is_not_an_earlier_one():
    """Its footage (file, start, picture) and lavfi sources are its own, its moves and three
    negatives no earlier set's; against rounds 16 and 17 its kinds and negatives are another
    mix, its durations all but 1.2 and 2 s others; the footage lies clear of the films' own
    fades (no source_fade in its truth)."""
    earlier = (
        REAL_SHOTS_ROUND12,
        REAL_SHOTS_ROUND13,
        REAL_SHOTS_ROUND14,
        REAL_SHOTS_ROUND15,
        REAL_SHOTS_ROUND16,
        REAL_SHOTS_ROUND17,
        REAL_SHOTS_NEXT,
        REAL_SHOTS_LAST,
        REAL_SHOTS_WIPES,
    )
    everyone = {**EARLIER_HELD_BACK, "round15": ROUND15, "round16": ROUND16, "round17": ROUND17}
    ours = assert_own_footage(ROUND18, REAL_SHOTS_ROUND18, earlier, everyone)
    for name, videos in everyone.items():
        theirs = [s for video in videos for s in video]
        assert not set(ROUND18_MOVES) & {s.move for s in theirs}, name
        assert not {"defocus", "occlude", "overexpose"} & {s.negative for s in theirs}, name
    for videos in (ROUND16, ROUND17):
        theirs = [s for video in videos for s in video]
        assert Counter(s.into for s in ours) != Counter(s.into for s in theirs)
        assert {s.into_s for s in ours} & {s.into_s for s in theirs} <= {0.0, 1.2, 2.0}
        assert Counter(s.negative for s in ours) != Counter(s.negative for s in theirs)
    assert not set(ROUND18_MOVES) & (set(ROUND16_MOVES) | set(ROUND17_MOVES))
    assert not set(ROUND18_SIMILAR) & (set(ROUND16_SIMILAR) | set(ROUND17_SIMILAR))
    for video in ROUND18:  # truth alone: no render
        starts = [0.0]
        for a in video[:-1]:
            starts.append(starts[-1] + a.length_s - a.into_s)
        for shot, start in zip(video, starts, strict=True):
            if shot.source in REAL_SHOTS_ROUND18:
                name, at, _, *own = REAL_SHOTS_ROUND18[shot.source]
                frames_n = round(shot.length_s * 25)
                assert not source_fade_spans(name, at, lambda t: t, own, start, frames_n, 25)


def test_the_round18_negatives_change_the_picture_only_in_their_second(tmp_path):
    """A rack-focus-like blur softens still bars to under half their sharpness mid-way and
    gives them back; a dark shape covers the right 40 % of the frame mid-way and leaves the
    rest as it was (its luma 34, 21 read full range); the exposure ramps a grey up 1.9x over
    the second and holds it there.
    Before its second each picture is the plain one's, and after it (the exposure held) too."""

    def sharpness(frame) -> float:
        return float(np.abs(np.diff(frame.astype(int), 2, axis=1)).mean())

    for source, kind in (("smpte", "defocus"), ("smpte", "occlude"), ("grey", "overexpose")):
        render(tmp_path / "plain.mp4", [Shot(source, 4.2)])
        plain = frames(tmp_path / "plain.mp4")
        truth = render(tmp_path / f"{kind}.mp4", [Shot(source, 4.2, kind)])
        video = frames(tmp_path / f"{kind}.mp4")
        first = round(truth.negatives[0]["start_s"] * 25)
        assert round(truth.negatives[0]["end_s"] * 25) == first + 25
        after = range(first + 26, len(video))
        outside = [*range(first - 1), *(after if kind != "overexpose" else ())]
        assert max(np.abs(video[k].astype(int) - plain[k]).mean() for k in outside) < 1.0, kind
        assert max(np.abs(video[k].astype(int) - video[k - 1]).mean() for k in after) < 0.5
        mid, base = video[first + 12].astype(int), plain[first + 12].astype(int)
        if kind == "defocus":
            assert sharpness(mid) < 0.5 * sharpness(base)
        elif kind == "occlude":
            assert (
                np.abs(mid[:, 200:] - 21).mean() < 4
                and np.abs(mid[:, :180] - base[:, :180]).max() < 3
            )
        else:
            means = [video[k].mean() - plain[k].mean() for k in range(first, first + 26)]
            assert all(b >= a - 0.5 for a, b in pairwise(means)), means
            assert abs(video[-1].mean() - plain[-1].mean() * 1.9) < 3


@pytest.mark.parametrize(
    ("move", "still"),
    [("pan_accel_right", (0, 6)), ("pan_stop_right", (61, 100)), ("tilt_late_up", (0, 40))],
)
def test_a_round18_move_goes_on_its_path(tmp_path, move, still):
    """Over colour bars for 4 s: a pan speeding up from rest holds its first frames and moves
    most in its last; a pan that stops at 60 % holds from frame 61 on; a tilt that starts at
    40 % holds until frame 40. Each moves (a pixel a frame or more on average) in the rest."""
    render(tmp_path / "m.mp4", [Shot("hdbars", 4.0, move=move)])
    video = frames(tmp_path / "m.mp4")
    assert len(video) == 100
    step = [np.abs(b.astype(int) - a).mean() for a, b in pairwise(video)]
    lo, hi = still
    assert max(step[lo : hi - 1]) < 0.1, step
    assert np.mean([s for k, s in enumerate(step) if not lo - 2 <= k < hi + 1]) > 1.0, step
    if move == "pan_accel_right":
        assert np.mean(step[-15:]) > 3 * np.mean(step[15:30]), step


def test_round18_truth_holds_on_a_lossless_render(tmp_path):
    """Seed 1803's fourth to sixth shots (check_truth, as bench --round18 --check-truth runs on
    every seed): a fade between two views of one scene (a handheld walk, a pull back) and a
    squeeze whose frame at t = O already resamples the outgoing footage, so its span opens a
    frame early (ROUND18_SOFT_ENDS). Every frame inside a span differs from both shots, every
    other frame is one of them."""
    shots = ROUND18[2][3:6]
    truth, problems = check_truth(tmp_path, shots)
    assert problems == []
    spans = [
        (t["kind"], round(t["start_s"] * 25), round(t["end_s"] * 25)) for t in truth.transitions
    ]
    assert [kind for kind, _, _ in spans] == ["fade", "squeezev"]
    lengths = [round(s.length_s * 25) for s in shots]
    fade_o = lengths[0] - 46
    assert spans[0][1:] == (fade_o, fade_o + 46) and truth.transitions[0]["similar"]
    squeeze_o = fade_o + lengths[1] - 34
    assert spans[1][1:] == (squeeze_o - 1, squeeze_o + 34)
    assert [m["kind"] for m in truth.moves] == ["walk", "pull_back", "arc"]
    assert [n["kind"] for n in truth.negatives] == ["dip", "spin"]


ROUND19 = [random_shots(seed, 8, False, round19=True) for seed in ROUND19_SEEDS]
ROUND19_BOUNDS = [pair for video in ROUND19 for pair in pairwise(video)]
ROUND19_GRADUAL = [(a, b) for a, b in ROUND19_BOUNDS if a.into != "cut"]
# Every earlier set as bench_transitions renders it: its flag (a keyword of random_shots) and
# seeds; the development set is seeds 1-8 with no flag.
EVERY_EARLIER_SET = {
    "dev": ({}, range(1, 9)),
    "held": ({"held_back": True}, range(101, 105)),
    "new": ({"new": True}, range(201, 205)),
    "fresh": ({"fresh": True}, range(301, 305)),
    "final": ({"final": True}, range(601, 605)),
    "last": ({"last": True}, range(701, 705)),
    "next": ({"next_set": True}, range(801, 805)),
    "edge": ({"edge": True}, range(27, 35)),
    "wipes": ({"wipes": True}, range(1101, 1109)),
    **{
        f"round{n}": ({f"round{n}": True}, range(first, first + 4))
        for n, first in ((12, 901), (13, 1001), (14, 1201), (15, 1501), (16, 1601))
    },
    "round17": ({"round17": True}, ROUND17_SEEDS),
    "round18": ({"round18": True}, ROUND18_SEEDS),
}


def test_the_round19_set_holds_what_its_note_says():
    """Seeds 1901-1904 (ROUND19_PLAN's note): 25 transitions of every family and three hard
    cuts; durations 0.52-1.96 s in 4-frame steps, the five shortest three times, the rest
    twice; 29 of 32 shots moving with round 19's own moves, 20 transitions moving on both
    sides, the rest on one, the fades and the dissolve under 0.7 s among them; seven between
    similar shots; no boxes; 15 negatives each once, each in a moving shot; shots of whole
    frames within their usable seconds, 25 of real footage."""
    assert list(ROUND19_SEEDS) == [1901, 1902, 1903, 1904]
    families = {
        "fade": {"fade", "fadefast", "fadeslow"},
        "dissolve": {"dissolve", "hblur"},
        "through black, white or grey": {"fadeblack", "fadewhite", "fadegrays", "dipblack"},
        "wipe": {"wipeleft", "wipedown", "diagbr", "smoothdown", "vuslice", "circleopen"},
        "slide": {"slideright", "slideup", "squeezeh"},
        "cover or reveal": {"coverup", "revealright", "revealdown"},
        "pixelize": {"pixelize"},
    }
    assert_transition_mix(ROUND19, ROUND19_GRADUAL, TRANSITIONS_ROUND19, families)
    durations = Counter(a.into_s for a, _ in ROUND19_GRADUAL)
    steps = [round(0.52 + 0.16 * i, 2) for i in range(10)]
    assert [durations[d] for d in steps] == [3] * 5 + [2] * 5 and durations.total() == 25
    flat = assert_moves(ROUND19, ROUND19_GRADUAL, ROUND19_MOVES, moving=29, both=20)
    short = [a.into for a, b in ROUND19_GRADUAL if a.into_s < 0.7 and a.move and b.move]
    assert {"fade", "dissolve", "fadeblack"} <= set(short)
    assert_similar_joined(ROUND19_BOUNDS, ROUND19_SIMILAR)
    assert_negatives_in_moving_shots(
        flat, NEGATIVES_ROUND19, {"lens_flare", "shadow_band", "wb_shift"}
    )
    assert sum(s.source in REAL_SHOTS_ROUND19 for s in flat) == 25
    assert_shots_fit(ROUND19, REAL_SHOTS_ROUND19, SYNTHETIC_SHOTS_ROUND19)


def test_the_round19_set_is_not_an_earlier_one():
    """Its footage (file, start, picture), shot sources and lavfi sources are no earlier
    set's (every table of the generator, every set bench_transitions renders), its moves and
    three negatives none of theirs; against round 18 its kinds, durations and negatives are
    another mix; the footage lies clear of the films' own fades (no source_fade in its
    truth)."""
    tables = vars(transition_videos)
    earlier = tuple(
        table
        for name, table in tables.items()
        if name.startswith("REAL_SHOTS") and name != "REAL_SHOTS_ROUND19"
    )
    assert len(earlier) >= 14
    everyone = {
        name: [random_shots(seed, 8, **{"held_back": False, **flag}) for seed in seeds]
        for name, (flag, seeds) in EVERY_EARLIER_SET.items()
    }
    ours = assert_own_footage(ROUND19, REAL_SHOTS_ROUND19, earlier, everyone)
    lavfi = {
        source
        for name, table in tables.items()
        if name.startswith("SYNTHETIC_SHOTS") and name != "SYNTHETIC_SHOTS_ROUND19"
        for source in table.values()
    }
    assert not set(SYNTHETIC_SHOTS_ROUND19.values()) & lavfi
    assert not set(SYNTHETIC_SHOTS_ROUND19) & {k for t in earlier for k in t}
    moves = {s.move for s in ours if s.move} | set(ROUND19_MOVES)
    for name, videos in everyone.items():
        theirs = [s for video in videos for s in video]
        assert not moves & {s.move for s in theirs}, name
        new = {"lens_flare", "shadow_band", "wb_shift"}
        assert not new & ({s.negative for s in theirs} | {s.tail for s in theirs}), name
    theirs = [s for video in ROUND18 for s in video]
    assert Counter(s.into for s in ours) != Counter(s.into for s in theirs)
    assert {s.into_s for s in ours} & {s.into_s for s in theirs} == {0.0}
    assert Counter(s.negative for s in ours) != Counter(s.negative for s in theirs)
    assert not set(ROUND19_MOVES) & (set(ROUND16_MOVES) | set(ROUND17_MOVES) | set(ROUND18_MOVES))
    similar = set(ROUND16_SIMILAR) | set(ROUND17_SIMILAR) | set(ROUND18_SIMILAR)
    assert not set(ROUND19_SIMILAR) & similar
    for video in ROUND19:  # truth alone: no render
        starts = [0.0]
        for a in video[:-1]:
            starts.append(starts[-1] + a.length_s - a.into_s)
        for shot, start in zip(video, starts, strict=True):
            if shot.source in REAL_SHOTS_ROUND19:
                name, at, _, *own = REAL_SHOTS_ROUND19[shot.source]
                frames_n = round(shot.length_s * 25)
                assert not source_fade_spans(name, at, lambda t: t, own, start, frames_n, 25)


def yuv_frames(path) -> list[np.ndarray]:
    """Each frame's Y, U and V planes (yuv420p) as one array: Y in rows 0-179 of a 320x180
    frame, U in rows 180-224 and V in rows 225-269 (each a 160x90 plane laid out flat)."""
    with av.open(str(path)) as container:
        return [f.to_ndarray().astype(int) for f in container.decode(container.streams.video[0])]


def test_the_round19_negatives_change_the_picture_only_in_their_second(tmp_path):
    """A lens flare brightens a soft spot (up to 110 levels) that sweeps left to right; a soft
    shadow band halves the light over a stripe that passes from the left edge to the right,
    the rest of the frame as it was; the white balance snaps warmer in one frame (U 20 lower,
    V 16 higher, the luma untouched) and stays. Before its second each picture is the plain
    one's, and after it (the white balance held) too."""
    render(tmp_path / "plain.mp4", [Shot("grey", 4.2)])
    plain = yuv_frames(tmp_path / "plain.mp4")
    for kind in ("lens_flare", "shadow_band", "wb_shift"):
        truth = render(tmp_path / f"{kind}.mp4", [Shot("grey", 4.2, kind)])
        video = yuv_frames(tmp_path / f"{kind}.mp4")
        first = round(truth.negatives[0]["start_s"] * 25)
        assert round(truth.negatives[0]["end_s"] * 25) == first + 25
        after = range(first + 26, len(video)) if kind != "wb_shift" else ()
        for k in [*range(first - 1), *after]:
            assert np.abs(video[k] - plain[k]).mean() < 1.0, (kind, k)
        luma = [video[k][:180] - plain[k][:180] for k in range(len(video))]
        if kind == "wb_shift":
            u = [video[k][180:225].mean() - plain[k][180:225].mean() for k in range(len(video))]
            v = [video[k][225:].mean() - plain[k][225:].mean() for k in range(len(video))]
            assert max(np.abs(d).mean() for d in luma) < 0.5
            assert all(abs(d) < 0.5 for d in u[: first - 1])
            assert all(abs(d + 20) < 1 for d in u[first + 1 :]), u
            assert all(abs(d - 16) < 1 for d in v[first + 1 :]), v
            continue
        sign = 1 if kind == "lens_flare" else -1
        columns = [sign * luma[k].mean(axis=0) for k in range(first, first + 25)]
        peaks = [int(np.argmax(c)) for c in columns if c.max() > 10]
        assert len(peaks) >= 12 and peaks == sorted(peaks) and peaks[-1] - peaks[0] > 200, peaks
        mid = luma[first + 12]
        if kind == "lens_flare":
            assert 90 < mid.max() <= 110 and mid.min() >= -2
        else:  # grey's 128 - 16 halved at the band's centre, a fifth of the frame untouched
            assert abs(mid.min() + 56) < 3 and (np.abs(mid).max(axis=0) < 2).mean() > 0.2


@pytest.mark.parametrize(
    ("move", "still", "moving"),
    [
        ("whip_stop_right", [(0, 20), (30, 99)], [(20, 30)]),
        ("pan_steps", [(12, 33), (45, 66), (78, 99)], [(0, 11), (33, 44), (66, 78)]),
        ("tilt_down_hold", [(48, 99)], [(4, 47)]),
        ("drift_bump", [], [(69, 80)]),
        ("pan_reverse", [], [(0, 40), (60, 99)]),
    ],
)
def test_a_round19_move_goes_on_its_path(tmp_path, move, still, moving):
    """Over colour bars for 4 s: a whip pan right holds, whips 0.9 widths (288 px) in frames
    20-30 and holds; a pan in steps moves in the first third of each third of the shot and
    holds the rest; a tilt down eases over the first half and holds from frame 48; a drift
    with a tripod bump moves the picture up and down only from frame 70 (the bump at 70 %),
    dying out; a pan that reverses goes right for the first half and back left in the
    second."""
    render(tmp_path / "m.mp4", [Shot("hdbars", 4.0, move=move)])
    video = frames(tmp_path / "m.mp4")
    assert len(video) == 100
    step = [np.abs(b.astype(int) - a).mean() for a, b in pairwise(video)]
    for lo, hi in still:  # (the keyframe at frame 50 changes a still picture by 0.2)
        assert max(step[lo:hi]) < 0.3, (lo, hi, step)
    for lo, hi in moving:  # (the window moves in whole chroma samples: 2 px steps)
        assert np.mean(step[lo:hi]) > 1.0, (lo, hi, step)

    def shift(k: int, axis: int) -> int:  # the window's move from frame k to k + 1, in pixels
        a, b = video[k][20:160, 20:300].astype(int), video[k + 1].astype(int)
        return -min(
            range(-12, 13),
            key=lambda d: np.abs(a - np.roll(b, -d, axis=axis)[20:160, 20:300]).mean(),
        )

    if move == "whip_stop_right":  # frame 30 shows frame 20's picture 0.9 widths (288 px) on
        a, b = video[20].astype(int), video[30].astype(int)
        whip = min(range(250, 310), key=lambda d: np.abs(a[:, d:] - b[:, : 320 - d]).mean())
        assert abs(whip - 288) <= 2, whip
    if move == "drift_bump":
        ups = [shift(k, 0) for k in range(99)]
        assert not any(ups[:69]) and any(ups[70:80]) and not any(ups[92:]), ups
        assert min(ups[70:80]) < 0 < max(ups[70:80]), ups
    if move == "pan_reverse":
        across = [shift(k, 1) for k in range(99)]
        assert sum(across[:45]) > 50 and sum(across[55:]) < -50, across


def test_round19_truth_holds_on_a_lossless_render(tmp_path):
    """Seed 1903's fourth to sixth shots (check_truth, as bench --round19 --check-truth runs on
    every seed): a fade out of a panning shot with a dark shape over part of it into a tilting
    one, and a squeeze whose frame at t = O already resamples the outgoing footage, so its span
    opens a frame early (ROUND19_SOFT_ENDS). Every frame inside a span differs from both shots,
    every other frame is one of them."""
    shots = ROUND19[2][3:6]
    truth, problems = check_truth(tmp_path, shots)
    assert problems == []
    spans = [
        (t["kind"], round(t["start_s"] * 25), round(t["end_s"] * 25)) for t in truth.transitions
    ]
    assert [kind for kind, _, _ in spans] == ["fade", "squeezeh"]
    lengths = [round(s.length_s * 25) for s in shots]
    fade_o = lengths[0] - 37
    assert spans[0][1:] == (fade_o, fade_o + 37)
    squeeze_o = fade_o + lengths[1] - 25
    assert spans[1][1:] == (squeeze_o - 1, squeeze_o + 25)
    assert [m["kind"] for m in truth.moves] == ["pan_reverse", "tilt_down_hold", "rotate_slow"]
    assert [n["kind"] for n in truth.negatives] == ["occlude"]


ROUND20 = [random_shots(seed, 8, False, round20=True) for seed in ROUND20_SEEDS]
ROUND20_BOUNDS = [pair for video in ROUND20 for pair in pairwise(video)]
ROUND20_GRADUAL = [(a, b) for a, b in ROUND20_BOUNDS if a.into != "cut"]
ROUND20_NEW_NEGATIVES = {"rs_wobble", "strobe", "fill_frame", "exposure_pump", "hand_block"}


def test_the_round20_set_holds_what_its_note_says():
    """Seeds 2001-2004 (ROUND20_PLAN's note): 25 transitions of every family and three hard
    cuts; durations of whole frames, 0.6-1.92 s (0.6, 0.64 and 1.88 s three times, the rest
    twice); 29 of 32 shots moving with round 20's own moves, 22 transitions moving on both
    sides, the rest on one; seven between similar shots, all moving on both sides, the short
    (under 0.7 s) and long (over 1.8 s) fades and dissolves among them; no boxes; 15
    negatives each once, each in a moving shot, five new; bikes' and fire2's footage played
    at half speed, bikes' inside one of its shots (its published cuts)."""
    assert list(ROUND20_SEEDS) == [2001, 2002, 2003, 2004]
    families = {
        "fade": {"fade", "fadefast", "fadeslow"},
        "dissolve": {"dissolve"},
        "through black, white or grey": {"fadeblack", "fadewhite", "fadegrays", "dipwhite"},
        "wipe": {"wiperight", "wipeup", "diagtl", "smoothleft", "hlslice", "radial"},
        "wipe opening or closing": {"circleclose", "vertopen"},
        "slide": {"slideleft", "slidedown", "squeezev"},
        "cover or reveal": {"coverleft", "revealup"},
        "pixelize": {"pixelize"},
    }
    assert_transition_mix(ROUND20, ROUND20_GRADUAL, TRANSITIONS_ROUND20, families)
    durations = Counter(a.into_s for a, _ in ROUND20_GRADUAL)
    steps = [0.6, 0.64, *(round(0.76 + 0.16 * i, 2) for i in range(7)), 1.88, 1.92]
    assert [durations[d] for d in steps] == [3, 3] + [2] * 7 + [3, 2]
    assert durations.total() == 25 and all(round(d * 25, 6).is_integer() for d in durations)
    flat = assert_moves(ROUND20, ROUND20_GRADUAL, ROUND20_MOVES, moving=29, both=22)
    similar = [(a, b) for a, b in ROUND20_GRADUAL if (a.source, b.source) in ROUND20_SIMILAR]
    assert len(similar) == 7 and all(a.move and b.move for a, b in similar)
    short = {a.into for a, _ in similar if a.into_s < 0.7}
    long = {a.into for a, _ in similar if a.into_s > 1.8}
    assert {"fade", "dissolve", "fadefast"} <= short and {"fade", "dissolve"} <= long
    moving_long = {a.into for a, b in ROUND20_GRADUAL if a.into_s > 1.8 and a.move and b.move}
    assert "fadeslow" in moving_long
    assert_similar_joined(ROUND20_BOUNDS, ROUND20_SIMILAR)
    assert_negatives_in_moving_shots(flat, NEGATIVES_ROUND20, ROUND20_NEW_NEGATIVES)
    assert sum(s.source in REAL_SHOTS_ROUND20 for s in flat) == 24
    assert_shots_fit(ROUND20, REAL_SHOTS_ROUND20, SYNTHETIC_SHOTS_ROUND20)
    files = Counter(REAL_SHOTS_ROUND20[s.source][0] for s in flat if s.source in ROUND20_SPEEDS)
    assert files == {"bikes.mp4": 2, "fire2.mp4": 1}
    cuts = json.loads((TESTDATA / "real" / "truth.json").read_text())["bikes.mp4"]["cuts_s"]
    for s in flat:
        name, start, *_ = REAL_SHOTS_ROUND20.get(s.source, ("", 0.0))
        if name == "bikes.mp4":  # no cut of the film in the seconds read, nor a frame from one
            end = start + s.length_s * ROUND20_SPEEDS[s.source]
            assert not [c for c in cuts if start - 0.04 < c < end + 0.04], s


def test_the_round20_set_is_not_an_earlier_one():
    """Its footage (file, start, picture), shot sources and lavfi sources are no earlier
    set's (every table of the generator, every set bench_transitions renders, round 19's
    too), its moves, similar pairs and five new negatives none of theirs; against rounds 18
    and 19 its durations share none, and against round 19 its kinds and negatives are another
    mix; the footage lies clear of the films' own fades (no source_fade in its truth)."""
    tables = vars(transition_videos)
    earlier = tuple(
        table
        for name, table in tables.items()
        if name.startswith("REAL_SHOTS") and name != "REAL_SHOTS_ROUND20"
    )
    assert len(earlier) >= 15 and REAL_SHOTS_ROUND19 in earlier
    sets = {**EVERY_EARLIER_SET, "round19": ({"round19": True}, ROUND19_SEEDS)}
    everyone = {
        name: [random_shots(seed, 8, **{"held_back": False, **flag}) for seed in seeds]
        for name, (flag, seeds) in sets.items()
    }
    ours = assert_own_footage(ROUND20, REAL_SHOTS_ROUND20, earlier, everyone)
    lavfi = {
        source
        for name, table in tables.items()
        if name.startswith("SYNTHETIC_SHOTS") and name != "SYNTHETIC_SHOTS_ROUND20"
        for source in table.values()
    }
    assert not set(SYNTHETIC_SHOTS_ROUND20.values()) & lavfi
    assert not set(SYNTHETIC_SHOTS_ROUND20) & {k for t in earlier for k in t}
    moves = {s.move for s in ours if s.move} | set(ROUND20_MOVES)
    assert not ROUND20_NEW_NEGATIVES & _negatives_before(20)
    for name, videos in everyone.items():
        theirs = [s for video in videos for s in video]
        assert not moves & {s.move for s in theirs}, name
        assert not ROUND20_NEW_NEGATIVES & ({s.negative for s in theirs} | {s.tail for s in theirs})
    for other in (ROUND18, ROUND19):
        theirs = [s for video in other for s in video]
        assert {s.into_s for s in ours} & {s.into_s for s in theirs} == {0.0}
    theirs = [s for video in ROUND19 for s in video]
    assert Counter(s.into for s in ours) != Counter(s.into for s in theirs)
    assert Counter(s.negative for s in ours) != Counter(s.negative for s in theirs)
    before = (ROUND16_MOVES, ROUND17_MOVES, ROUND18_MOVES, ROUND19_MOVES)
    assert not set(ROUND20_MOVES) & set().union(*before)
    similar = (ROUND16_SIMILAR, ROUND17_SIMILAR, ROUND18_SIMILAR, ROUND19_SIMILAR)
    assert not set(ROUND20_SIMILAR) & set().union(*similar)
    for video in ROUND20:  # truth alone: no render
        starts = [0.0]
        for a in video[:-1]:
            starts.append(starts[-1] + a.length_s - a.into_s)
        for shot, start in zip(video, starts, strict=True):
            if shot.source in REAL_SHOTS_ROUND20:
                name, at, _, *own = REAL_SHOTS_ROUND20[shot.source]
                speed = ROUND20_SPEEDS.get(shot.source)  # the file's seconds shown at t
                read = transition_videos._read_map(speed, None, 0.0, shot.length_s)
                frames_n = round(shot.length_s * 25)
                assert not source_fade_spans(name, at, read, own, start, frames_n, 25), shot


def test_the_round20_negatives_change_the_picture_only_in_their_moments(tmp_path):
    """Over 4.2 s of grey (colour bars for the wobble), the negative's second from frame 40: a
    rolling-shutter wobble shifts the bars' rows sideways in a wave (some left, some right) in
    frames 41-54 only; a strobe tints the picture red, green, blue and magenta in turn, three
    frames each, the luma 30 up on the red and blue ones; a dark coat covers a growing share
    of the frame from the right, the whole of it in frames 49-53, and leaves to the left; the
    exposure pumps (the luma 40 up, 28 down, 18 up) and settles; a hand covers the lower left
    in frames 50-53 only. Every other frame is the plain one's."""
    changed = {
        "rs_wobble": range(41, 55),
        "strobe": range(40, 65),
        "fill_frame": range(41, 63),
        "exposure_pump": range(41, 65),
        "hand_block": range(50, 54),
    }
    plain = {}
    for source in ("grey", "hdbars"):
        render(tmp_path / f"{source}.mp4", [Shot(source, 4.2)])
        plain[source] = yuv_frames(tmp_path / f"{source}.mp4")
    for kind, inside in changed.items():
        source = "hdbars" if kind == "rs_wobble" else "grey"
        truth = render(tmp_path / f"{kind}.mp4", [Shot(source, 4.2, kind)])
        assert round(truth.negatives[0]["start_s"] * 25) == 40
        video, base = yuv_frames(tmp_path / f"{kind}.mp4"), plain[source]
        diff = [np.abs(a - b).mean() for a, b in zip(video, base, strict=True)]
        assert [k for k, d in enumerate(diff) if d > 0.5] == list(inside), (kind, diff)
        luma = [video[k][:180] - base[k][:180] for k in range(len(video))]
        if kind == "rs_wobble":
            rows = video[47][:120], base[47][:120]
            shifts = [
                min(
                    range(-15, 16),
                    key=lambda d, y=y: np.abs(np.roll(rows[1][y], d) - rows[0][y])[20:300].mean(),
                )
                for y in range(0, 120, 4)
            ]
            assert min(shifts) < -3 and max(shifts) > 3, shifts
        if kind == "strobe":
            u = [round(video[k][180:225].mean() - base[k][180:225].mean()) for k in inside]
            v = [round(video[k][225:].mean() - base[k][225:].mean()) for k in inside]
            y = [round(luma[k].mean()) for k in inside]
            phases = [(k - 40) // 3 % 4 for k in inside]
            assert u == [(-20, -30, 45, 35)[p] for p in phases], u
            assert v == [(45, -35, -10, 35)[p] for p in phases], v
            assert y == [30 * (p % 2 == 0) for p in phases], y
        if kind == "fill_frame":  # the coat's columns: from the right edge, then to the left
            cover = [(np.abs(video[k][:180] - 46) < 3).all(axis=0) for k in range(len(video))]
            share = [c.mean() for c in cover]
            assert share[41:49] == sorted(share[41:49]) and cover[45][-1] and not cover[45][0]
            assert all(share[k] == 1.0 for k in range(49, 54))
            assert share[54:63] == sorted(share[54:63], reverse=True)
            assert cover[58][0] and not cover[58][-1]
        if kind == "exposure_pump":
            y = [luma[k].mean() for k in range(len(video))]
            assert 35 < max(y[40:47]) < 45 and -32 < min(y[46:53]) < -24 and 14 < max(y[53:59]) < 22
        if kind == "hand_block":  # the lower left dark, the upper right as it was
            for k in inside:
                assert abs(video[k][170, 10] - 81) <= 2 and video[k][10, 300] == base[k][10, 300]


ROUND21 = [random_shots(seed, 8, False, round21=True) for seed in ROUND21_SEEDS]
ROUND21_BOUNDS = [pair for video in ROUND21 for pair in pairwise(video)]
ROUND21_GRADUAL = [(a, b) for a, b in ROUND21_BOUNDS if a.into != "cut"]
ROUND21_NEW_NEGATIVES = {"focus_pull", "shutter_flicker", "bird_pass", "light_switch"}
ROUND21_NEW_KINDS = {"dipteal", "rectopen"}


def test_the_round21_set_holds_what_its_note_says():
    """Seeds 2101-2104 (ROUND21_PLAN's note): 25 transitions of every family, two custom kinds
    of its own among them, and three hard cuts; durations of whole frames, 0.56-2 s in 0.08 s
    steps but round 20's 0.64 and 1.92 s (0.56 and 2 s three times, 0.72, 1.04, 1.2 and 1.84 s
    twice, the rest once); 29 of 32 shots moving with round 21's own moves, 22 transitions
    moving on both sides, the rest on one; seven between similar shots, all moving on both
    sides, the short (under 0.75 s) and long (over 1.8 s) fades and dissolves among them; no
    boxes; 15 negatives each once, each in a moving shot, four new; bikes' footage at 0.4x
    inside its shots (its published cuts), chaplin at 1.4x, bigbuckbunny at 0.7x, each read
    within its file."""
    assert list(ROUND21_SEEDS) == [2101, 2102, 2103, 2104]
    families = {
        "fade": {"fade", "fadefast"},
        "dissolve": {"dissolve", "hblur"},
        "through black, white, grey or a colour": {
            "fadeblack",
            "fadewhite",
            "fadegrays",
            "dipteal",
        },
        "wipe": {"wipebl", "diagtr", "smoothup", "vdslice", "hrwind"},
        "wipe opening or closing": {"circleopen", "rectopen", "horzclose"},
        "slide": {"slideright", "squeezeh"},
        "cover or reveal": {"coverright", "coverdown", "revealleft"},
        "pixelize": {"pixelize"},
    }
    assert_transition_mix(ROUND21, ROUND21_GRADUAL, TRANSITIONS_ROUND21, families)
    assert set(CUSTOM_TRANSITIONS) >= ROUND21_NEW_KINDS
    durations = Counter(a.into_s for a, _ in ROUND21_GRADUAL)
    steps = [round(0.56 + 0.08 * i, 2) for i in range(19)]
    steps = [d for d in steps if d not in (0.64, 1.92)]
    twice = (0.72, 1.04, 1.2, 1.84)
    assert [durations[d] for d in steps] == [
        3 if d in (0.56, 2.0) else 2 if d in twice else 1 for d in steps
    ]
    assert durations.total() == 25 and all(round(d * 25, 6).is_integer() for d in durations)
    flat = assert_moves(ROUND21, ROUND21_GRADUAL, ROUND21_MOVES, moving=29, both=22)
    similar = [(a, b) for a, b in ROUND21_GRADUAL if (a.source, b.source) in ROUND21_SIMILAR]
    assert len(similar) == 7 and all(a.move and b.move for a, b in similar)
    short = {a.into for a, _ in similar if a.into_s < 0.75}
    long = {a.into for a, _ in similar if a.into_s > 1.8}
    assert {"fade", "dissolve", "fadefast"} <= short and {"fade", "dissolve"} <= long
    _assert_own_footage(
        21,
        flat,
        23,
        {("bikes.mp4", 0.4): 3, ("chaplin.mp4", 1.4): 1, ("bigbuckbunny.mp4", 0.7): 2},
        {"bikes.mp4": 10.0, "chaplin.mp4": 9.64, "bigbuckbunny.mp4": 5.31},
    )


def _assert_own_footage(
    n: int, flat: list, real_count: int, files: dict, lasts: dict[str, float], fps: int = 25
) -> None:
    """Round `n`'s set (its tables, by name): similar pairs joined by transitions, its
    negatives in moving shots, `real_count` shots of real footage and every shot's source in
    its tables, each fitting its source; the footage played at its own speeds, (file, speed)
    counted as `files`, each segment's seconds read inside its file (up to `lasts`), bikes'
    none across the film's own cuts (nor a frame from one)."""
    tables, own = {**vars(transition_videos), **globals()}, f"ROUND{n}"
    real, synthetic = tables[f"REAL_SHOTS_{own}"], tables[f"SYNTHETIC_SHOTS_{own}"]
    speeds = tables[f"{own}_SPEEDS"]
    assert_similar_joined(tables[f"{own}_BOUNDS"], tables[f"{own}_SIMILAR"])
    negatives = tables[f"NEGATIVES_{own}"], tables[f"{own}_NEW_NEGATIVES"]
    assert_negatives_in_moving_shots(flat, *negatives)
    assert sum(s.source in real for s in flat) == real_count
    assert set(real) | set(synthetic) == {s.source for s in flat}
    assert_shots_fit(tables[own], real, synthetic, fps)
    assert files == Counter(
        (real[s.source][0], speeds[s.source]) for s in flat if s.source in speeds
    )
    cuts = json.loads((TESTDATA / "real" / "truth.json").read_text())["bikes.mp4"]["cuts_s"]
    for s in flat:
        name, start, *_ = real.get(s.source, ("", 0.0))
        if s.source in speeds:
            end = start + s.length_s * speeds[s.source]
            assert end <= lasts[name], s
        if name == "bikes.mp4":
            assert not [c for c in cuts if start - 0.04 < c < end + 0.04], s


def _earlier_tables(prefix: str, own: str) -> tuple[dict, ...]:
    """The generator's tables named `prefix`..., all but `prefix`_`own` (`own` ROUND<n>) and
    later rounds' (each later set's own test holds it against this one)."""
    n = int(own.removeprefix("ROUND"))
    later = {f"{prefix}_ROUND{k}" for k in range(n, 100)}
    tables = vars(transition_videos)
    return tuple(
        table for name, table in tables.items() if name.startswith(prefix) and name not in later
    )


def _earlier_sets(n: int) -> dict[str, list]:
    """Every set bench_transitions renders made before round `n` (EVERY_EARLIER_SET and
    rounds 19 to n - 1): set name -> its videos."""
    sets = {
        **EVERY_EARLIER_SET,
        **{
            f"round{k}": ({f"round{k}": True}, range(k * 100 + 1, k * 100 + 5))
            for k in range(19, n)
        },
    }
    return {
        name: [random_shots(seed, 8, **{"held_back": False, **flag}) for seed in seeds]
        for name, (flag, seeds) in sets.items()
    }


def _negatives_before(n: int) -> set[str]:
    """The negative kinds of the generator's NEGATIVES tables but round `n`'s and later
    rounds' (a later set shows an earlier one's new negatives again)."""
    return {
        kind
        for name, table in vars(transition_videos).items()
        if name.startswith("NEGATIVES")
        and not (
            name.startswith("NEGATIVES_ROUND") and int(name.removeprefix("NEGATIVES_ROUND")) >= n
        )
        for kind in table
    }


def _assert_own_moves_and_pairs(n: int, moves: dict, similar: tuple) -> None:
    """Round `n`'s moves (their names and paths) and similar pairs are no earlier round's
    (the generator's ROUND<k>_MOVES and ROUND<k>_SIMILAR tables, k < n)."""
    tables = vars(transition_videos)
    before = [tables[f"ROUND{k}_MOVES"] for k in range(16, n)]
    assert not set(moves) & set().union(*before)
    paths = {v[1:] for table in before if isinstance(table, dict) for v in table.values() if v[1]}
    assert not {v[1:] for v in moves.values()} & paths
    assert not set(similar) & set().union(*(tables[f"ROUND{k}_SIMILAR"] for k in range(16, n)))


def _assert_none_of_theirs(everyone: dict, moves: set, negatives: set, kinds: set) -> None:
    """No earlier set's video (`everyone`: set name -> its videos) has these moves, negatives
    (as a shot's or a tail's) or transition kinds."""
    for name, videos in everyone.items():
        theirs = [s for video in videos for s in video]
        assert not moves & {s.move for s in theirs}, name
        assert not negatives & ({s.negative for s in theirs} | {s.tail for s in theirs}), name
        assert not kinds & {s.into for s in theirs}, name


def _assert_clear_of_source_fades(videos: list, real: dict, speeds: dict, fps: int = 25) -> None:
    """Every real shot's footage, as read at its speed, lies clear of its film's own fades
    (truth alone: no render)."""
    for video in videos:
        starts = [0.0]
        for a in video[:-1]:
            starts.append(starts[-1] + a.length_s - a.into_s)
        for shot, start in zip(video, starts, strict=True):
            if shot.source in real:
                name, at, _, *own = real[shot.source]
                speed = speeds.get(shot.source)  # the file's seconds shown at t
                read = transition_videos._read_map(speed, None, 0.0, shot.length_s)
                frames_n = round(shot.length_s * fps)
                assert not source_fade_spans(name, at, read, own, start, frames_n, fps), shot


def test_the_round21_set_is_not_an_earlier_one():
    """Its footage (file, start, picture), shot sources and lavfi sources are no earlier
    set's (every table of the generator, every set bench_transitions renders, rounds 19 and 20
    too), its moves, similar pairs, two custom kinds and four new negatives none of theirs;
    against rounds 19 and 20 its durations share none, and against round 20 its kinds and
    negatives are another mix; the footage lies clear of the films' own fades (no source_fade
    in its truth)."""
    earlier = _earlier_tables("REAL_SHOTS", "ROUND21")
    assert len(earlier) >= 16 and REAL_SHOTS_ROUND20 in earlier
    everyone = _earlier_sets(21)
    ours = assert_own_footage(ROUND21, REAL_SHOTS_ROUND21, earlier, everyone)
    lavfi = {s for table in _earlier_tables("SYNTHETIC_SHOTS", "ROUND21") for s in table.values()}
    assert not set(SYNTHETIC_SHOTS_ROUND21.values()) & lavfi
    assert not set(SYNTHETIC_SHOTS_ROUND21) & {k for t in earlier for k in t}
    moves = {s.move for s in ours if s.move} | set(ROUND21_MOVES)
    assert not ROUND21_NEW_NEGATIVES & _negatives_before(21)
    custom = {k: v for k, v in CUSTOM_TRANSITIONS.items() if k not in ROUND21_NEW_KINDS}
    assert not {CUSTOM_TRANSITIONS[k] for k in ROUND21_NEW_KINDS} & set(custom.values())
    _assert_none_of_theirs(everyone, moves, ROUND21_NEW_NEGATIVES, ROUND21_NEW_KINDS)
    for other in (ROUND19, ROUND20):
        theirs = [s for video in other for s in video]
        assert {s.into_s for s in ours} & {s.into_s for s in theirs} == {0.0}
    theirs = [s for video in ROUND20 for s in video]
    assert Counter(s.into for s in ours) != Counter(s.into for s in theirs)
    assert Counter(s.negative for s in ours) != Counter(s.negative for s in theirs)
    before = (ROUND16_MOVES, ROUND17_MOVES, ROUND18_MOVES, ROUND19_MOVES, ROUND20_MOVES)
    assert not set(ROUND21_MOVES) & set().union(*before)
    similar = (ROUND16_SIMILAR, ROUND17_SIMILAR, ROUND18_SIMILAR, ROUND19_SIMILAR)
    assert not set(ROUND21_SIMILAR) & set().union(*similar, ROUND20_SIMILAR)
    _assert_clear_of_source_fades(ROUND21, REAL_SHOTS_ROUND21, ROUND21_SPEEDS)


def test_the_round21_negatives_change_the_picture_only_in_their_moments(tmp_path):
    """Over 4.2 s of grey (colour bars for the focus pull), the negative's second from frame
    40: a focus pull softens the bars over frames 41-47 and leaves them soft; a shutter
    flicker lowers the light at 10 Hz (luma 20, 8, 8, 20 lower, then a frame as it was, five
    frames to two beats) in frames 41-64; a dark bird crosses from the upper left to the lower
    right in frames 49-54 only; a light switched off darkens the picture in one frame, frame
    50, by 40 % above black (grey's luma 44 lower) and for good. Every other frame is the
    plain one's."""
    changed = {
        "focus_pull": range(41, 105),
        "shutter_flicker": [k for k in range(41, 65) if (k - 40) % 5],
        "bird_pass": range(49, 55),
        "light_switch": range(50, 105),
    }
    plain = {}
    for source in ("grey", "hdbars"):
        render(tmp_path / f"{source}.mp4", [Shot(source, 4.2)])
        plain[source] = yuv_frames(tmp_path / f"{source}.mp4")
    for kind, inside in changed.items():
        source = "hdbars" if kind == "focus_pull" else "grey"
        truth = render(tmp_path / f"{kind}.mp4", [Shot(source, 4.2, kind)])
        assert round(truth.negatives[0]["start_s"] * 25) == 40
        video, base = yuv_frames(tmp_path / f"{kind}.mp4"), plain[source]
        diff = [np.abs(a - b).mean() for a, b in zip(video, base, strict=True)]
        assert [k for k, d in enumerate(diff) if d > 0.5] == list(inside), (kind, diff)
        luma = [video[k][:180] - base[k][:180] for k in range(len(video))]
        if kind == "focus_pull":  # the bars' edges soften and stay soft
            edges = [np.abs(np.diff(video[k][:120], axis=1)).max() for k in range(len(video))]
            assert min(edges[:40]) > 140 and max(edges[48:]) < 0.6 * min(edges[:40]), edges
            assert diff[47] > diff[42] and abs(diff[60] - diff[104]) < 0.3
        if kind == "shutter_flicker":
            y = [round(luma[k].mean()) for k in range(40, 66)]
            assert y == [0, -20, -8, -8, -20] * 5 + [0], y
        if kind == "bird_pass":  # the dark blob's middle goes right and down
            dark = [np.argwhere(luma[k] < -60) for k in inside]
            xs, ys = [d[:, 1].mean() for d in dark], [d[:, 0].mean() for d in dark]
            assert xs == sorted(xs) and xs[-1] - xs[0] > 150 and ys[-1] - ys[0] > 30, (xs, ys)
        if kind == "light_switch":
            y = [luma[k].mean() for k in range(len(video))]
            assert all(abs(d + 44) < 1 for d in y[50:]) and max(map(abs, y[:50])) < 0.5


def test_the_round21_custom_kinds_go_through_teal_and_open_a_box(tmp_path):
    """Grey into navy over 2 s from frame 50 (frames 51-99 blend): the teal dip holds Y, U, V
    90, 150, 100 over the middle tenth of the span (frames 73-77, P 0.54-0.46) and only
    there; the box opening shows navy half-way through (frame 75, P 0.5) in a box about the
    point 0.65 across and 0.4 down, a third of the frame wide on each side of it (211 px) and
    0.3 of its height (110 px), grey around it."""
    for kind in ("dipteal", "rectopen"):
        shots = [Shot("grey", 4.0, into=kind, into_s=2.0), Shot("navy", 3.0)]
        render(tmp_path / f"{kind}.mp4", shots)
        video = yuv_frames(tmp_path / f"{kind}.mp4")
        assert len(video) == 125
        grey, navy = video[10], video[-1]
        assert (video[50] == grey).all() and (video[100] == navy).all()
        for k in range(51, 100):
            assert (video[k] != grey).any() and (video[k] != navy).any(), k
        if kind == "dipteal":
            teal = np.concatenate([np.full(180 * 320, 90), np.full(45 * 320, 150)])
            teal = np.concatenate([teal, np.full(45 * 320, 100)]).reshape(270, 320)
            held = [k for k in range(125) if (video[k] == teal).all()]
            assert held == list(range(73, 78)), held
            continue
        box = np.abs(video[75][:180] - navy[:180]) <= 2
        rows, cols = np.flatnonzero(box.any(axis=1)), np.flatnonzero(box.any(axis=0))
        assert abs((cols.min() + cols.max()) / 2 - 0.65 * 320) <= 3, (cols.min(), cols.max())
        assert abs((rows.min() + rows.max()) / 2 - 0.4 * 180) <= 3, (rows.min(), rows.max())
        assert abs(cols.max() - cols.min() - 211) <= 4, (cols.min(), cols.max())
        assert abs(rows.max() - rows.min() - 110) <= 4, (rows.min(), rows.max())
        assert box[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1].mean() > 0.97
        assert box.mean() < 0.45


def test_a_round21_move_goes_on_its_path(tmp_path):
    """Over colour bars for 4 s: the dolly zoom holds the middle of the picture while the rest
    stretches out from it, more and more (the edge columns 20-30 px out by the end); the pan
    left eases in and out (4 px at most over its first and last tenth, over 4 px a frame
    mid-way, 0.9 widths in all); the drift with a roll turns the picture from -0.06 rad to
    0.1 rad (a bar's edge slanting one way, then the other)."""
    video = {}
    for move in ("vertigo", "ease_pan_left", "drift_roll"):
        render(tmp_path / f"{move}.mp4", [Shot("hdbars", 4.0, move=move)])
        video[move] = [f.astype(int) for f in frames(tmp_path / f"{move}.mp4")]
        assert len(video[move]) == 100
    first, last = video["vertigo"][0], video["vertigo"][99]
    assert np.abs(first[60:120, 130:190] - last[60:120, 130:190]).mean() < 2
    assert np.abs(first[:, :40] - last[:, :40]).mean() > 10

    def shift(a, b) -> int:  # how far right b's picture lies of a's, in pixels
        a, b = a[20:160, 20:300], b[20:160]
        return min(range(-12, 13), key=lambda d: np.abs(a - b[:, 20 + d : 300 + d]).mean())

    pan = video["ease_pan_left"]
    moved = [-shift(pan[k + 1], pan[k]) for k in range(99)]
    assert sum(moved[:10]) <= 4 and sum(moved[-10:]) <= 4 and np.mean(moved[40:60]) > 4, moved
    assert abs(sum(moved) - 288) <= 12, sum(moved)

    def slant(frame) -> int:  # how far the first bar's edge lies right at row 100 of row 20
        edges = [np.flatnonzero(np.abs(np.diff(frame[y])) > 40)[0] for y in (20, 100)]
        return int(edges[1] - edges[0])

    roll = video["drift_roll"]  # -0.06 rad: 80 rows * 0.06 = 5 px; 0.1 rad: 8 px the other way
    assert 3 <= slant(roll[0]) <= 7 and -10 <= slant(roll[99]) <= -6, (
        slant(roll[0]),
        slant(roll[99]),
    )


ROUND22 = [random_shots(seed, 8, False, round22=True) for seed in ROUND22_SEEDS]
ROUND22_BOUNDS = [pair for video in ROUND22 for pair in pairwise(video)]
ROUND22_GRADUAL = [(a, b) for a, b in ROUND22_BOUNDS if a.into != "cut"]
ROUND22_NEW_NEGATIVES = {"headlights", "fog_roll", "lower_third", "rain_streaks", "fireworks"}
ROUND22_NEW_KINDS = {"zoomdissolve", "lumaramp", "blurpush"}


def test_the_round22_set_holds_what_its_note_says():
    """Seeds 2201-2204 (ROUND22_PLAN's note): 25 transitions of every family, three custom
    kinds of its own among them, and three hard cuts; durations of whole frames, 0.52-1.96 s
    in 0.16 s steps (0.52, 0.68, 1.0, 1.8 and 1.96 s three times, the rest twice); 29 of 32
    shots moving with round 22's own moves, 22 transitions moving on both sides, the rest on
    one; seven between similar shots, all moving on both sides, the short (under 0.7 s) and
    long (over 1.75 s) fades and dissolves among them; no boxes; 15 negatives each once, each
    in a moving shot, five new; bikes' and fire2's footage at 0.45x (bikes' inside its shots,
    its published cuts), chaplin at 1.2x, bigbuckbunny at 0.6x, each read within its file."""
    assert list(ROUND22_SEEDS) == [2201, 2202, 2203, 2204]
    families = {
        "fade": {"fade", "fadeslow"},
        "dissolve": {"dissolve", "hblur", "zoomdissolve"},
        "through black, white or grey": {"fadeblack", "fadewhite", "fadegrays"},
        "wipe": {"wipetr", "diagbl", "smoothright", "vuwind", "lumaramp"},
        "wipe closing": {"circleclose", "vertclose"},
        "slide or push": {"slideup", "squeezev", "blurpush"},
        "cover or reveal": {"coverup", "revealright", "revealdown"},
        "pixelize": {"pixelize"},
    }
    assert_transition_mix(ROUND22, ROUND22_GRADUAL, TRANSITIONS_ROUND22, families)
    assert set(CUSTOM_TRANSITIONS) >= ROUND22_NEW_KINDS
    durations = Counter(a.into_s for a, _ in ROUND22_GRADUAL)
    steps = [round(0.52 + 0.16 * i, 2) for i in range(10)]
    thrice = (0.52, 0.68, 1.0, 1.8, 1.96)
    assert [durations[d] for d in steps] == [3 if d in thrice else 2 for d in steps]
    assert durations.total() == 25 and all(round(d * 25, 6).is_integer() for d in durations)
    flat = assert_moves(ROUND22, ROUND22_GRADUAL, ROUND22_MOVES, moving=29, both=22)
    similar = [(a, b) for a, b in ROUND22_GRADUAL if (a.source, b.source) in ROUND22_SIMILAR]
    assert len(similar) == 7 and all(a.move and b.move for a, b in similar)
    short = {a.into for a, _ in similar if a.into_s < 0.7}
    long = {a.into for a, _ in similar if a.into_s > 1.75}
    assert {"fade", "dissolve", "hblur"} <= short and {"fade", "dissolve", "fadeslow"} <= long
    _assert_own_footage(
        22,
        flat,
        24,
        {
            ("bikes.mp4", 0.45): 3,
            ("fire2.mp4", 0.45): 1,
            ("chaplin.mp4", 1.2): 1,
            ("bigbuckbunny.mp4", 0.6): 2,
        },
        {"bikes.mp4": 10.0, "fire2.mp4": 2.37, "chaplin.mp4": 9.64, "bigbuckbunny.mp4": 5.28},
    )


def test_the_round22_set_is_not_an_earlier_one():
    """Its footage (file, start, picture), shot sources and lavfi sources are no earlier
    set's (every table of the generator, every set bench_transitions renders, rounds 19 to 21
    too), its moves, similar pairs, three custom kinds and five new negatives none of theirs,
    its speeds no earlier set's; against rounds 20 and 21 its durations share none (so no kind
    of theirs comes at their duration), and against round 21 its kinds and negatives are
    another mix; the footage lies clear of the films' own fades (no source_fade in its
    truth)."""
    earlier = _earlier_tables("REAL_SHOTS", "ROUND22")
    assert len(earlier) >= 17 and REAL_SHOTS_ROUND21 in earlier
    everyone = _earlier_sets(22)
    ours = assert_own_footage(ROUND22, REAL_SHOTS_ROUND22, earlier, everyone)
    lavfi = {s for table in _earlier_tables("SYNTHETIC_SHOTS", "ROUND22") for s in table.values()}
    assert not set(SYNTHETIC_SHOTS_ROUND22.values()) & lavfi
    assert not set(SYNTHETIC_SHOTS_ROUND22) & {k for t in earlier for k in t}
    speeds = ROUND14_SPEEDS | ROUND20_SPEEDS | ROUND21_SPEEDS
    assert not set(ROUND22_SPEEDS.values()) & set(speeds.values())
    moves = {s.move for s in ours if s.move} | set(ROUND22_MOVES)
    assert not ROUND22_NEW_NEGATIVES & _negatives_before(22)
    custom = {k: v for k, v in CUSTOM_TRANSITIONS.items() if k not in ROUND22_NEW_KINDS}
    assert not {CUSTOM_TRANSITIONS[k] for k in ROUND22_NEW_KINDS} & set(custom.values())
    _assert_none_of_theirs(everyone, moves, ROUND22_NEW_NEGATIVES, ROUND22_NEW_KINDS)
    for other in (ROUND20, ROUND21):
        theirs = [s for video in other for s in video]
        assert {s.into_s for s in ours} & {s.into_s for s in theirs} == {0.0}
    theirs = [s for video in ROUND21 for s in video]
    assert Counter(s.into for s in ours) != Counter(s.into for s in theirs)
    assert Counter(s.negative for s in ours) != Counter(s.negative for s in theirs)
    _assert_own_moves_and_pairs(22, ROUND22_MOVES, ROUND22_SIMILAR)
    _assert_clear_of_source_fades(ROUND22, REAL_SHOTS_ROUND22, ROUND22_SPEEDS)


def test_the_round22_negatives_change_the_picture_only_in_their_moments(tmp_path):
    """Over 4.2 s of grey, the negative's second from frame 40 (every frame before it and
    after its moment the plain one's, the middle half of the moment plainly not): headlights
    sweep across low in the frame, left to right, in frames 40-60; fog rolls in from the left
    from frame 40 and stays; a lower third (a dark blue bar, light 'words' in it) fades in
    over the lower left from frame 48 and stays, the picture above it as it was; rain streaks
    a few per cent of the frame in frames 40-65; fireworks burst red about (0.3, 0.3) from
    frame 44, gold about (0.72, 0.22) from frame 53, and are gone by frame 64."""
    moments = {
        "headlights": (range(40, 61), 105),
        "fog_roll": (range(40, 105), 105),
        "lower_third": (range(48, 105), 105),
        "rain_streaks": (range(40, 66), 105),
        "fireworks": (range(44, 64), 105),
    }
    render(tmp_path / "grey.mp4", [Shot("grey", 4.2)])
    base = yuv_frames(tmp_path / "grey.mp4")
    for kind, (inside, count) in moments.items():
        truth = render(tmp_path / f"{kind}.mp4", [Shot("grey", 4.2, kind)])
        assert round(truth.negatives[0]["start_s"] * 25) == 40
        video = yuv_frames(tmp_path / f"{kind}.mp4")
        assert len(video) == count
        diff = [np.abs(a - b).mean() for a, b in zip(video, base, strict=True)]
        assert all(d < 0.1 for k, d in enumerate(diff) if k not in inside), (kind, diff)
        quarter = len(inside) // 4
        assert all(diff[k] > 0.7 for k in inside[quarter:-quarter]), (kind, diff)
        luma = [video[k][:180] - base[k][:180] for k in range(count)]
        if kind == "headlights":  # the brightest column of the lower half goes right
            xs = [int(np.argmax(luma[k][90:140].mean(axis=0))) for k in range(44, 57, 3)]
            assert xs == sorted(xs) and xs[-1] - xs[0] > 150, xs
        if kind == "fog_roll":  # the left first, then the whole frame veiled, for good
            assert luma[46][:, :100].mean() > 3 * max(luma[46][:, 220:].mean(), 1)
            assert all(
                abs(luma[k].mean() - 0.6 * (170 - base[k][:180].mean())) < 2 for k in (70, 104)
            )
        if kind == "lower_third":
            bar = luma[104][140:165, 25:225]
            assert bar.min() < -50 and bar.max() > 80 and np.abs(luma[104][:130]).max() == 0
            u = [f[180:225].reshape(90, 160)[69:72, 15:100].mean() for f in (video[104], base[104])]
            assert u[0] > u[1] + 20, u
        if kind == "rain_streaks":
            share = [(luma[k] > 20).mean() for k in inside]
            assert all(0.015 < s < 0.06 for s in share), share
        if kind == "fireworks":  # V (red) up near the first burst, U (gold) down at the second
            v = [video[k][225:].reshape(90, 160) - base[k][225:].reshape(90, 160) for k in (48, 57)]
            u = [
                video[k][180:225].reshape(90, 160) - base[k][180:225].reshape(90, 160)
                for k in (48, 57)
            ]
            assert v[0][10:45, 20:75].max() > 50 and np.abs(v[0][:, 100:]).max() < 5
            assert u[1][:45, 85:150].min() < -50 and np.abs(u[1][:, :40]).max() < 5


def _blend_renders(tmp_path, kind: str, source: str):
    """A 2 s `kind` from `source` (4 s) into navy (3 s) rendered losslessly, and again with the
    outgoing shot held alone: the truth and both renders' YUV frames (125; frame 50, the last
    before the transition, the same in both)."""
    shots = [Shot(source, 4.0, into=kind, into_s=2.0), Shot("navy", 3.0)]
    truth = render(tmp_path / f"{kind}.mp4", shots, lossless=True)
    video = yuv_frames(tmp_path / f"{kind}.mp4")
    held = [replace(shots[0], into="hold_outgoing"), shots[1]]  # the outgoing shot alone
    render(tmp_path / f"{kind}_a.mp4", held, lossless=True)
    alone = yuv_frames(tmp_path / f"{kind}_a.mp4")
    assert len(video) == 125 and (video[50] == alone[50]).all()
    return truth, video, alone


def test_the_round22_custom_kinds_zoom_key_and_push(tmp_path):
    """Over 2 s from frame 50 (frames 51-99 blend), half-way (frame 75, P 0.5): the zoom
    crossfade shows colour bars magnified 1.3x about the centre, half faded into navy; the
    luma-key wipe shows navy where its chevron ramp is low (the left edge's middle), grey in
    the far corners and a blend between; the push shows the bars' right half on the left of
    the frame, each pixel the mean of three 24 px apart along the push, and navy on the
    right."""
    for kind, source in (("zoomdissolve", "hdbars"), ("lumaramp", "grey"), ("blurpush", "hdbars")):
        _, video, alone = _blend_renders(tmp_path, kind, source)
        a, navy, mid = alone[75][:180], video[-1][:180], video[75][:180]
        for k in range(51, 100):
            assert (video[k] != video[-1]).any(), k
        if kind == "zoomdissolve":
            seen = 2 * mid[40] - navy[40]  # the outgoing shot's row 40, as zoomed
            x = np.arange(320)
            zoomed = a[40][np.clip((160 + (x - 160) / 1.3).astype(int), 0, 319)]
            assert np.abs(seen - zoomed).mean() < 6, np.abs(seen - zoomed).mean()
            assert np.abs(seen - a[40]).mean() > 20
        if kind == "lumaramp":
            assert abs(mid[90, 16] - navy[90, 16]) <= 2 and abs(mid[90, 150] - navy[90, 150]) <= 2
            assert abs(mid[4, 315] - a[4, 315]) <= 2 and abs(mid[175, 315] - a[175, 315]) <= 2
            assert (
                min(a[90, 288], navy[90, 288]) + 10
                < mid[90, 288]
                < max(a[90, 288], navy[90, 288]) - 10
            )
        if kind == "blurpush":  # columns taken at x + 160 -/+ 24: the bars', past them navy's
            x = np.arange(320)
            taken = [
                np.where(
                    x + d < 320, a[:, np.clip(x + d, 0, 319)], navy[:, np.clip(x + d - 320, 0, 319)]
                )
                for d in (136, 160, 184)
            ]
            pushed = sum(taken) / 3
            assert np.abs(mid - pushed).mean() < 2, np.abs(mid - pushed).mean()
            assert np.abs(mid[:, 200:] - navy[:, 200:]).max() <= 2


def test_a_round22_move_goes_on_its_path(tmp_path):
    """Over colour bars for 4 s: the slow roll turns the picture from level to 0.18 rad (the
    green bar's right edge upright, then slanting 11 px over 60 rows); the swinging pan goes
    one way, back and the first way again, each swing shorter; the push and pull magnifies
    the picture, most mid-way (about 1.48x against 1.08x), and ends as it began."""
    video = {}
    for move in ("slow_roll", "swing_pan", "push_pull"):
        render(tmp_path / f"{move}.mp4", [Shot("hdbars", 4.0, move=move)])
        video[move] = [f.astype(int) for f in frames(tmp_path / f"{move}.mp4")]
        assert len(video[move]) == 100

    def slant(frame) -> int:  # how far the green bar's right edge lies right at row 70 of 10
        edges = [150 + np.argmax(np.abs(np.diff(frame[y][150:250]))) for y in (10, 70)]
        return int(edges[1] - edges[0])

    roll = video["slow_roll"]
    assert abs(slant(roll[0])) <= 1 and -14 <= slant(roll[99]) <= -8, (
        slant(roll[0]),
        slant(roll[99]),
    )

    def shift(a, b) -> int:  # how far right b's picture lies of a's, in pixels
        a, b = a[20:160, 20:300], b[20:160]
        return min(range(-12, 13), key=lambda d: np.abs(a - b[:, 20 + d : 300 + d]).mean())

    pan = video["swing_pan"]
    moved = [shift(pan[k + 1], pan[k]) for k in range(99)]
    swings = [sum(moved[:33]), sum(moved[33:66]), sum(moved[66:])]
    assert swings[0] < 0 < swings[1] and swings[2] < 0, swings
    assert -swings[0] > swings[1] > -swings[2], swings

    def width(frame) -> int:  # how wide the bar in the middle of row 60 is
        same = np.abs(frame[60] - frame[60][160]) <= 6
        left, right = same[:160][::-1], same[160:]
        return int(np.argmin(left) + np.argmin(right))

    push = [width(video["push_pull"][k]) for k in (0, 50, 99)]
    assert push[1] > 1.25 * push[0] and abs(push[2] - push[0]) <= 4, push


ROUND23 = [random_shots(seed, 8, False, round23=True) for seed in ROUND23_SEEDS]
ROUND23_BOUNDS = [pair for video in ROUND23 for pair in pairwise(video)]
ROUND23_GRADUAL = [(a, b) for a, b in ROUND23_BOUNDS if a.into != "cut"]
ROUND23_NEW_NEGATIVES = {"door_light", "train_pass", "neon_flicker", "confetti", "screen_on"}
ROUND23_NEW_KINDS = {"irisdissolve", "diagblinds", "blurdissolve"}


def test_the_round23_set_holds_what_its_note_says():
    """Seeds 2301-2304 (ROUND23_PLAN's note): 25 transitions of every family, three custom
    kinds of its own among them, and three hard cuts; durations of whole frames, 0.6, 0.64,
    0.76, 1.88 and 1.92 s three times, 0.92, 1.08, 1.4 and 1.72 s twice, 1.24 and 1.56 s once;
    29 of 32 shots moving with round 23's own moves, 22 transitions moving on both sides, the
    rest on one; seven between similar shots, all moving on both sides: the short (under 0.8 s)
    fade, dissolve and blurring dissolve, a smooth wipe, the long (over 1.7 s) dissolve, slow
    fade and eased dissolve; no boxes; 15 negatives each once, each in a moving shot, five new;
    bikes' and fire2's footage at 0.35x (bikes' inside its shots, its published cuts), chaplin
    at 1.3x, bigbuckbunny at 0.65x, each read within its file."""
    assert list(ROUND23_SEEDS) == [2301, 2302, 2303, 2304]
    families = {
        "fade": {"fade", "fadeslow", "fadefast"},
        "dissolve": {"dissolve", "hblur", "easedissolve", "blurdissolve"},
        "through black, white or grey": {"fadeblack", "fadewhite", "fadegrays"},
        "wipe": {"wipebr", "diagtl", "smoothleft", "hlwind", "diagblinds"},
        "wipe opening": {"irisdissolve", "circleopen", "horzopen"},
        "slide": {"slideleft", "slidedown"},
        "cover or reveal": {"coverleft", "revealup"},
    }
    assert_transition_mix(ROUND23, ROUND23_GRADUAL, TRANSITIONS_ROUND23, families)
    assert set(CUSTOM_TRANSITIONS) >= ROUND23_NEW_KINDS
    durations = Counter(a.into_s for a, _ in ROUND23_GRADUAL)
    assert durations == {
        **dict.fromkeys((0.6, 0.64, 0.76, 1.88, 1.92), 3),
        **dict.fromkeys((0.92, 1.08, 1.4, 1.72), 2),
        **dict.fromkeys((1.24, 1.56), 1),
    }
    flat = assert_moves(ROUND23, ROUND23_GRADUAL, ROUND23_MOVES, moving=29, both=22)
    similar = [(a, b) for a, b in ROUND23_GRADUAL if (a.source, b.source) in ROUND23_SIMILAR]
    assert len(similar) == 7 and all(a.move and b.move for a, b in similar)
    short = {a.into for a, _ in similar if a.into_s < 0.8}
    long = {a.into for a, _ in similar if a.into_s > 1.7}
    assert short == {"fade", "dissolve", "hblur"}
    assert long == {"dissolve", "fadeslow", "easedissolve"}
    assert "smoothleft" in {a.into for a, _ in similar}
    _assert_own_footage(
        23,
        flat,
        24,
        {
            ("bikes.mp4", 0.35): 4,
            ("fire2.mp4", 0.35): 1,
            ("chaplin.mp4", 1.3): 1,
            ("bigbuckbunny.mp4", 0.65): 2,
        },
        {"bikes.mp4": 10.0, "fire2.mp4": 2.37, "chaplin.mp4": 9.64, "bigbuckbunny.mp4": 5.28},
    )


def test_the_round23_set_is_not_an_earlier_one():
    """Its footage (file and start: no earlier set starts a segment where it does), shot
    sources and lavfi sources are no earlier set's (every table of the generator, every set
    bench_transitions renders, rounds 19 to 22 too), its moves, similar pairs, three custom
    kinds and five new negatives none of theirs, its speeds no earlier set's; no kind comes at
    a duration any earlier set gave it, and against rounds 21 and 22 its durations share none
    (no whole-frame duration of 0.52-2 s is left that no earlier set has: rounds 20 to 22
    take them all); against round 22 its kinds and negatives are another mix; the footage
    lies clear of the films' own fades (no source_fade in its truth)."""
    earlier = _earlier_tables("REAL_SHOTS", "ROUND23")
    assert len(earlier) >= 18 and REAL_SHOTS_ROUND22 in earlier
    everyone = _earlier_sets(23)
    assert {"round19", "round20", "round21", "round22"} <= set(everyone)
    ours = assert_own_footage(ROUND23, REAL_SHOTS_ROUND23, earlier, everyone)
    starts = {(v[0], v[1]) for table in earlier for v in table.values()}
    assert not {(v[0], v[1]) for v in REAL_SHOTS_ROUND23.values()} & starts
    lavfi = {s for table in _earlier_tables("SYNTHETIC_SHOTS", "ROUND23") for s in table.values()}
    assert not set(SYNTHETIC_SHOTS_ROUND23.values()) & lavfi
    assert not set(SYNTHETIC_SHOTS_ROUND23) & {k for t in earlier for k in t}
    speeds = ROUND14_SPEEDS | ROUND20_SPEEDS | ROUND21_SPEEDS | ROUND22_SPEEDS
    assert not set(ROUND23_SPEEDS.values()) & set(speeds.values())
    moves = {s.move for s in ours if s.move} | set(ROUND23_MOVES)
    assert not ROUND23_NEW_NEGATIVES & _negatives_before(23)
    custom = {k: v for k, v in CUSTOM_TRANSITIONS.items() if k not in ROUND23_NEW_KINDS}
    assert not {CUSTOM_TRANSITIONS[k] for k in ROUND23_NEW_KINDS} & set(custom.values())
    _assert_none_of_theirs(everyone, moves, ROUND23_NEW_NEGATIVES, ROUND23_NEW_KINDS)
    theirs = [s for videos in everyone.values() for video in videos for s in video]
    given = {(s.into, s.into_s) for s in theirs if s.into != "cut"}
    assert not {(s.into, s.into_s) for s in ours if s.into != "cut"} & given
    frames = {round(0.52 + 0.04 * k, 2) for k in range(38)}  # 13 to 50 frames at 25 fps
    assert frames <= {s.into_s for s in theirs}
    for other in (ROUND21, ROUND22):
        theirs = [s for video in other for s in video]
        assert {s.into_s for s in ours} & {s.into_s for s in theirs} == {0.0}
    theirs = [s for video in ROUND22 for s in video]
    assert Counter(s.into for s in ours) != Counter(s.into for s in theirs)
    assert Counter(s.negative for s in ours) != Counter(s.negative for s in theirs)
    _assert_own_moves_and_pairs(23, ROUND23_MOVES, ROUND23_SIMILAR)
    _assert_clear_of_source_fades(ROUND23, REAL_SHOTS_ROUND23, ROUND23_SPEEDS)


def test_the_round23_negatives_change_the_picture_only_in_their_moments(tmp_path):
    """Over 4.2 s of grey, the negative's second from frame 40 (every frame before it and
    after its moment the plain one's, the middle half of the moment plainly not): a door
    right of centre opens onto bright light from frame 40 and stays open, the left of the
    picture as it was; a train crosses the lower part right to left in frames 41-61, the
    upper part as it was; a magenta neon sign over the upper right flickers in frames 40-65,
    dim in some frames; confetti falls from the top in frames 41-65, in three colours; a
    screen on the left opens from a bright line from frame 43 and settles to stripes."""
    moments = {
        "door_light": range(40, 105),
        "train_pass": range(41, 62),
        "neon_flicker": range(40, 66),
        "confetti": range(41, 66),
        "screen_on": range(43, 105),
    }
    render(tmp_path / "grey.mp4", [Shot("grey", 4.2)])
    base = yuv_frames(tmp_path / "grey.mp4")
    for kind, inside in moments.items():
        truth = render(tmp_path / f"{kind}.mp4", [Shot("grey", 4.2, kind)])
        assert round(truth.negatives[0]["start_s"] * 25) == 40
        video = yuv_frames(tmp_path / f"{kind}.mp4")
        assert len(video) == 105
        diff = [np.abs(a - b).mean() for a, b in zip(video, base, strict=True)]
        assert all(d < 0.1 for k, d in enumerate(diff) if k not in inside), (kind, diff)
        quarter = len(inside) // 4
        assert all(diff[k] > 0.7 for k in inside[quarter:-quarter]), (kind, diff)
        luma = [video[k][:180] - base[k][:180] for k in range(105)]
        v = [video[k][225:].reshape(90, 160) - base[k][225:].reshape(90, 160) for k in range(105)]
        u = [
            video[k][180:225].reshape(90, 160) - base[k][180:225].reshape(90, 160)
            for k in range(105)
        ]
        if kind == "door_light":  # the gap widens, then the door stays bright
            wide = [int((video[k][:180][90] >= 225).sum()) for k in (42, 46, 50, 104)]
            assert wide[0] < wide[1] < wide[2] == wide[3] and abs(wide[3] - 64) <= 2, wide
            assert np.abs(luma[104][:, :60]).max() <= 3 and luma[104][90, 160] > 20
        if kind == "train_pass":  # the upper part untouched, the lower covered mid-way
            assert all(np.abs(luma[k][:78]).max() == 0 for k in range(105))
            assert (np.abs(luma[51][90:]) > 20).mean() > 0.9
            gaps = [np.flatnonzero(video[k][:180][170] < 40) for k in (49, 50)]
            moved = (gaps[0].min() - gaps[1].min()) % 128  # 0.4 widths from gap to gap
            assert abs(moved - 38.4) <= 2, gaps  # 3 widths a second to the left
        if kind == "neon_flicker":  # V up in the sign's strokes, dimmer in a few frames
            assert all(v[k][9:25, 100:140].max() > 40 for k in inside)
            levels = [round(diff[k], 1) for k in inside]
            assert 2 <= sum(d < 0.6 * max(levels) for d in levels) <= 8, levels
        if kind == "confetti":  # the top first, then the whole height, three colours
            rows = [np.flatnonzero(np.abs(luma[k]).max(axis=1) > 20) for k in (43, 55)]
            assert rows[0].max() < 90 and rows[1].max() > 160, rows
            assert v[55].max() > 60 and u[55].min() < -60 and u[55].max() > 60
        if kind == "screen_on":  # a line, then the screen, then stripes; the rest as it was
            tall = [int((np.abs(luma[k][:, 96]) > 20).sum()) for k in (43, 46, 60)]
            assert tall[0] <= 8 and tall[0] < tall[1] < tall[2] and abs(tall[2] - 63) <= 2, tall
            row = video[104][:180][68, 48:144]
            assert abs(int(row.min()) - 120) <= 3 and abs(int(row.max()) - 170) <= 3, row
            assert np.abs(luma[104][:, 160:]).max() == 0


def test_the_round23_custom_kinds_open_an_iris_blinds_and_blur(tmp_path):
    """Over 2 s from frame 50 (frames 51-99 blend), half-way (frame 75, P 0.5): the soft iris
    shows navy about the point 0.4 across and 0.45 down, grey in the far corners and a blend
    on its edge; the diagonal blinds show navy where X/W + Y/H lies in the first half of a
    quarter, the outgoing picture in the other half; the blurred dissolve shows the mean of
    five samples of each shot (itself and four 8 px away) half and half."""
    for kind, source in (
        ("irisdissolve", "grey"),
        ("diagblinds", "hdbars"),
        ("blurdissolve", "hdbars"),
    ):
        _, video, alone = _blend_renders(tmp_path, kind, source)
        a, navy, mid = alone[75][:180], video[-1][:180], video[75][:180]
        for k in range(51, 100):
            assert (video[k] != video[-1]).any() and (video[k] != alone[k]).any(), k
        if kind == "irisdissolve":  # radius 0.725 at P 0.5, full navy within 0.475
            assert abs(mid[81, 128] - navy[81, 128]) <= 1 and abs(mid[0, 319] - a[0, 319]) <= 1
            y, x = 81, 128 + round(0.6 / (16 / 9) * 320)  # 0.6 out: a third of the edge's way
            assert min(a[y, x], navy[y, x]) + 5 < mid[y, x] < max(a[y, x], navy[y, x]) - 5
        if kind == "diagblinds":
            x, y = np.meshgrid(np.arange(320) / 320, np.arange(180) / 180)
            slat = np.mod(x + y, 0.25)
            opened, closed = slat < 0.12, slat > 0.13
            assert np.abs(mid - navy)[opened].max() <= 1 and np.abs(mid - a)[closed].max() <= 1
        if kind == "blurdissolve":

            def blur(frame):  # the mean of five: itself and 8 px left, right, up and down
                f = frame.astype(float)
                xs, ys = np.arange(320), np.arange(180)
                taps = [f, f[:, np.clip(xs - 8, 0, 319)], f[:, np.clip(xs + 8, 0, 319)]]
                taps += [f[np.clip(ys - 8, 0, 179)], f[np.clip(ys + 8, 0, 179)]]
                return sum(taps) / 5

            expected = (blur(a) + blur(navy)) / 2
            assert np.abs(mid - expected).mean() < 1.5, np.abs(mid - expected).mean()
            assert np.abs(mid - (a + navy) / 2).mean() > 4


def test_a_round23_move_goes_on_its_path(tmp_path):
    """Over colour bars for 4 s: the overshooting pan goes right past where it ends and comes
    back; the Dutch pan holds the picture at 0.12 rad (the green bar's right edge slanting
    7 px over 60 rows) from its first frame to its last; the snap zoom magnifies the picture
    about 1.4x over the first quarter and then holds it."""
    video = {}
    for move in ("overshoot_pan", "dutch_pan", "snap_zoom"):
        render(tmp_path / f"{move}.mp4", [Shot("hdbars", 4.0, move=move)])
        video[move] = [f.astype(int) for f in frames(tmp_path / f"{move}.mp4")]
        assert len(video[move]) == 100

    def shift(a, b) -> int:  # how far right b's picture lies of a's, in pixels
        a, b = a[20:160, 20:300], b[20:160]
        return min(range(-15, 16), key=lambda d: np.abs(a - b[:, 20 + d : 300 + d]).mean())

    pan = video["overshoot_pan"]
    went = np.cumsum([shift(pan[k + 1], pan[k]) for k in range(99)])
    assert went.max() > went[-1] + 20 and went[-1] > 100, went

    def slant(frame) -> int:  # how far the green bar's right edge lies right at row 70 of 10
        edges = [150 + np.argmax(np.abs(np.diff(frame[y][150:250]))) for y in (10, 70)]
        return int(edges[1] - edges[0])

    dutch = [slant(video["dutch_pan"][k]) for k in (0, 50, 99)]
    assert all(-10 <= s <= -5 for s in dutch), dutch

    def width(frame) -> int:  # how wide the bar in the middle of row 60 is
        same = np.abs(frame[60] - frame[60][160]) <= 6
        left, right = same[:160][::-1], same[160:]
        return int(np.argmin(left) + np.argmin(right))

    zoom = [width(video["snap_zoom"][k]) for k in (0, 25, 99)]
    assert zoom[1] > 1.3 * zoom[0] and abs(zoom[2] - zoom[1]) <= 0.1 * zoom[1], zoom


ROUND24 = [random_shots(seed, 8, False, round24=True) for seed in ROUND24_SEEDS]
ROUND24_BOUNDS = [pair for video in ROUND24 for pair in pairwise(video)]
ROUND24_GRADUAL = [(a, b) for a, b in ROUND24_BOUNDS if a.into != "cut"]
ROUND24_NEW_NEGATIVES: set[str] = set()  # earlier sets' negatives only
ROUND24_DURATIONS = (0.7, 0.9, 1.1, 1.3, 1.7, 1.9)


def test_the_round24_set_holds_what_its_note_says():
    """Seeds 2401-2404 (ROUND24_PLAN's note), rendered at 30 fps (every other set at 25): 25
    transitions of 22 kinds of every family and three hard cuts; durations of whole frames at
    30 fps that are none at 25 (0.7 s five times, 0.9, 1.1, 1.3, 1.7 and 1.9 s four times),
    shots of whole tenths; 29 of 32 shots moving on eight earlier rounds' paths, 23 transitions
    moving on both sides, the rest on one; seven between similar shots, all moving on both
    sides: the 0.7 s fade, dissolve and blurring dissolve, a 0.9 s smooth wipe, the 1.7-1.9 s
    dissolve, slow fade and eased dissolve; no boxes; 15 earlier sets' negatives each once, each
    in a moving shot; bikes' and fire2's footage at 0.3x (bikes' inside its shots, its
    published cuts), chaplin at 1.35x, bigbuckbunny at 0.55x, each read within its file."""
    assert list(ROUND24_SEEDS) == [2401, 2402, 2403, 2404] and ROUND24_FPS == 30
    assert {set_fps(video) for video in ROUND24} == {30}
    families = {
        "fade": {"fade", "fadeslow", "fadefast"},
        "dissolve": {"dissolve", "hblur", "easedissolve", "blurdissolve"},
        "through black, white or grey": {"fadeblack", "fadewhite", "fadegrays"},
        "wipe": {"wipetl", "diagbr", "smoothup", "hrwind"},
        "wipe opening or closing": {"irisdissolve", "circleclose", "vertopen"},
        "squeeze": {"squeezev"},
        "slide": {"slideright", "slideup"},
        "cover or reveal": {"coverright", "revealdown"},
    }
    assert_transition_mix(ROUND24, ROUND24_GRADUAL, TRANSITIONS_ROUND24, families)
    assert len(set(TRANSITIONS_ROUND24)) == 22
    durations = Counter(a.into_s for a, _ in ROUND24_GRADUAL)
    assert durations == {0.7: 5, **dict.fromkeys(ROUND24_DURATIONS[1:], 4)}
    for d in durations:  # whole frames at 30 fps, none at 25
        assert round(d * 30, 6).is_integer() and not round(d * 25, 6).is_integer(), d
    earlier_moves = {m for k in range(16, 24) for m in vars(transition_videos)[f"ROUND{k}_MOVES"]}
    moves = {s.move for video in ROUND24 for s in video if s.move}
    assert len(moves) == 8 and moves <= earlier_moves
    flat = assert_moves(ROUND24, ROUND24_GRADUAL, moves, moving=29, both=23)
    similar = [(a, b) for a, b in ROUND24_GRADUAL if (a.source, b.source) in ROUND24_SIMILAR]
    assert len(similar) == 7 and all(a.move and b.move for a, b in similar)
    assert {a.into for a, _ in similar if a.into_s < 0.8} == {"fade", "dissolve", "hblur"}
    long = {a.into for a, _ in similar if a.into_s > 1.6}
    assert long == {"dissolve", "fadeslow", "easedissolve"}
    assert ("smoothup", 0.9) in {(a.into, a.into_s) for a, _ in similar}
    _assert_own_footage(
        24,
        flat,
        24,
        {
            ("bikes.mp4", 0.3): 4,
            ("fire2.mp4", 0.3): 1,
            ("chaplin.mp4", 1.35): 1,
            ("bigbuckbunny.mp4", 0.55): 2,
        },
        {"bikes.mp4": 10.0, "fire2.mp4": 2.37, "chaplin.mp4": 9.64, "bigbuckbunny.mp4": 5.28},
        fps=30,
    )


def test_the_round24_set_is_not_an_earlier_one():
    """Its footage (file and start: no earlier set starts a segment where it does), shot
    sources and lavfi sources are no earlier set's (every table of the generator, every set
    bench_transitions renders, rounds 19 to 23 too), nor its similar pairs or speeds; every
    earlier set renders at 25 fps, so none has its durations (nor any kind at them); its
    mixes of moves, kinds and negatives are no earlier set's; the footage lies clear of the
    films' own fades (no source_fade in its truth)."""
    earlier = _earlier_tables("REAL_SHOTS", "ROUND24")
    assert len(earlier) >= 19 and REAL_SHOTS_ROUND23 in earlier
    everyone = _earlier_sets(24)
    assert {"round19", "round20", "round21", "round22", "round23"} <= set(everyone)
    ours = assert_own_footage(ROUND24, REAL_SHOTS_ROUND24, earlier, everyone)
    starts = {(v[0], v[1]) for table in earlier for v in table.values()}
    assert not {(v[0], v[1]) for v in REAL_SHOTS_ROUND24.values()} & starts
    lavfi = {s for table in _earlier_tables("SYNTHETIC_SHOTS", "ROUND24") for s in table.values()}
    assert not set(SYNTHETIC_SHOTS_ROUND24.values()) & lavfi
    assert not set(SYNTHETIC_SHOTS_ROUND24) & {k for t in earlier for k in t}
    speeds = ROUND14_SPEEDS | ROUND20_SPEEDS | ROUND21_SPEEDS | ROUND22_SPEEDS | ROUND23_SPEEDS
    assert not set(ROUND24_SPEEDS.values()) & set(speeds.values())
    tables = vars(transition_videos)
    pairs = {p for k in range(16, 24) for p in tables[f"ROUND{k}_SIMILAR"]}
    assert not set(ROUND24_SIMILAR) & pairs
    for name, videos in everyone.items():
        theirs = [s for video in videos for s in video]
        assert {set_fps(video) for video in videos} == {25}, name
        assert not {s.into_s for s in theirs} & set(ROUND24_DURATIONS), name
        for key in ("move", "into", "negative"):
            mix = Counter(getattr(s, key) for s in ours)
            assert mix != Counter(getattr(s, key) for s in theirs), (name, key)
    _assert_clear_of_source_fades(ROUND24, REAL_SHOTS_ROUND24, ROUND24_SPEEDS, fps=30)
    assert sum(len(ROUND24_PLAN[seed]) for seed in ROUND24_SEEDS) == 32


ROUND25 = [random_shots(seed, 8, False, round25=True) for seed in ROUND25_SEEDS]
ROUND25_BOUNDS = [pair for video in ROUND25 for pair in pairwise(video)]
ROUND25_GRADUAL = [(a, b) for a, b in ROUND25_BOUNDS if a.into != "cut"]
ROUND25_NEW_NEGATIVES = {"light_leak", "iris_pulse", "smoke_puff"}
ROUND25_NEW_KINDS = {"pinwheel", "checkerwipe", "ripple", "burndissolve", "lumadissolve"}
ROUND25_DURATIONS = (0.625, 0.875, 1.125, 1.375, 1.625, 1.875)


def _segments(table: dict, speeds: dict) -> list[tuple[str, float, float]]:
    """Each real segment of `table` as (file, first second read, last second read)."""
    return [
        (name, start, round(start + usable * speeds.get(key, 1.0), 4))
        for key, (name, start, usable, *_) in table.items()
    ]


def test_the_round25_negatives_change_the_picture_only_in_their_moments(tmp_path):
    """Over 4.2 s of grey, the negative's second from frame 40 (every frame before it and
    after its moment the plain one's, the middle half of the moment plainly not): a warm light
    leak glows in from the right edge (brighter, U down and V up, the left edge as it was) and
    dies away; an iris closes to a circle about the centre (the corners black, the centre as it
    was) and opens again; a puff of grey smoke rises from the lower left, the upper right as it
    was."""
    moments = {kind: range(41, 65) for kind in ROUND25_NEW_NEGATIVES}
    render(tmp_path / "grey.mp4", [Shot("grey", 4.2)])
    base = yuv_frames(tmp_path / "grey.mp4")
    for kind, inside in moments.items():
        truth = render(tmp_path / f"{kind}.mp4", [Shot("grey", 4.2, kind)])
        assert round(truth.negatives[0]["start_s"] * 25) == 40
        assert not truth.transitions and not truth.cuts_s  # a negative is no boundary
        video = yuv_frames(tmp_path / f"{kind}.mp4")
        assert len(video) == 105
        diff = [np.abs(a - b).mean() for a, b in zip(video, base, strict=True)]
        assert all(d < 0.1 for k, d in enumerate(diff) if k not in inside), (kind, diff)
        quarter = len(inside) // 4
        assert all(diff[k] > 0.7 for k in inside[quarter:-quarter]), (kind, diff)
        luma = video[52][:180] - base[52][:180]
        u = video[52][180:225].reshape(90, 160) - base[52][180:225].reshape(90, 160)
        v = video[52][225:].reshape(90, 160) - base[52][225:].reshape(90, 160)
        if kind == "light_leak":
            assert luma[:, 300:].mean() > 60 and np.abs(luma[:, :10]).max() <= 2
            assert u[:, 150:].mean() < -12 and v[:, 150:].mean() > 15
        if kind == "iris_pulse":  # radius 0.35 at its smallest (frame 52: 0.37)
            assert (video[52][:180][:8, :8] <= 18).all() and np.abs(
                luma[80:100, 150:170]
            ).max() <= 1
        if kind == "smoke_puff":
            assert luma[120:170, 40:120].mean() > 5 and np.abs(luma[:30, 280:]).max() <= 1


def test_the_round25_custom_kinds_wipe_ripple_burn_and_key(tmp_path):
    """Over 2 s from frame 50 (frames 51-99 blend), half-way (frame 75, P 0.5): the pinwheel
    shows navy in the first half of each quarter turn about the centre, the outgoing picture in
    the second; the checkerboard wipe navy in the even squares of 8 x 4, the outgoing picture in
    the odd; the ripple dissolve the outgoing bars' rows pushed sideways, half and half with
    navy; the film burn a warm band down the middle, a plain dissolve at the edges; the luma
    dissolve the outgoing bars' bright parts mostly navy, their dark ones mostly not."""
    x, y = np.meshgrid(np.arange(320), np.arange(180))  # xfade's X and Y
    for kind, source in (
        ("pinwheel", "hdbars"),
        ("checkerwipe", "hdbars"),
        ("ripple", "hdbars"),
        ("burndissolve", "grey"),
        ("lumadissolve", "hdbars"),
    ):
        truth, video, alone = _blend_renders(tmp_path, kind, source)
        assert (truth.transitions[0]["start_s"], truth.transitions[0]["end_s"]) == (2.0, 4.0)
        for k in range(51, 100):
            assert (video[k] != video[-1]).any() and (video[k] != alone[k]).any(), k
        a, navy, mid = (f[:180].astype(float) for f in (alone[75], video[-1], video[75]))
        if kind == "pinwheel":
            turn = np.mod(np.arctan2(y - 90, x - 160) + np.pi, np.pi / 2)
            opened = (turn > 0.05) & (turn < np.pi / 4 - 0.05)  # clear of the blades' edges
            closed = (turn > np.pi / 4 + 0.05) & (turn < np.pi / 2 - 0.05)
            away = np.hypot(x - 160, y - 90) > 6
            assert np.abs(mid - navy)[opened & away].max() <= 1
            assert np.abs(mid - a)[closed & away].max() <= 1
        if kind == "checkerwipe":
            even = np.mod(np.floor(x / 40) + np.floor(y / 45), 2) == 0
            assert np.abs(mid - navy)[even].max() <= 1 and np.abs(mid - a)[~even].max() <= 1
        if kind == "ripple":
            assert np.abs(mid - (a + navy) / 2).mean() > 3  # the rows moved
            dx = 8 * np.sin(16 * np.pi * np.floor(y) / 180 - 3 * np.pi)
            cols = np.clip(np.floor(x + dx), 0, 319).astype(int)
            moved = np.take_along_axis(a, cols, axis=1)
            assert np.median(np.abs(mid - (moved + navy) / 2)) <= 2
        if kind == "burndissolve":
            plain = (a + navy) / 2
            assert np.abs(mid[:, :4] - plain[:, :4]).max() <= 2
            assert (mid[:, 158:162] - plain[:, 158:162]).min() > 100
        if kind == "lumadissolve":
            share = (mid - a) / np.where(np.abs(navy - a) > 30, navy - a, np.nan)
            bright, dark = a > 160, a < 100
            assert np.nanmedian(share[bright]) > 0.75 and np.nanmedian(share[dark]) < 0.25


ROUND26 = [random_shots(seed, 8, False, round26=True) for seed in ROUND26_SEEDS]
ROUND26_BOUNDS = [pair for video in ROUND26 for pair in pairwise(video)]
ROUND26_GRADUAL = [(a, b) for a, b in ROUND26_BOUNDS if a.into != "cut"]
ROUND26_NEW_NEGATIVES: set[str] = set()
ROUND26_DURATIONS = (0.55, 0.85, 1.05, 1.35, 1.65, 1.95)


ROUND27 = [random_shots(seed, 8, False, round27=True) for seed in ROUND27_SEEDS]
ROUND27_BOUNDS = [pair for video in ROUND27 for pair in pairwise(video)]
ROUND27_GRADUAL = [(a, b) for a, b in ROUND27_BOUNDS if a.into != "cut"]
ROUND27_NEW_NEGATIVES = {"camera_jolt", "slow_refocus", "cloud_shadow", "tube_flicker"}
ROUND27_NEW_KINDS = {"softclock", "dipamber", "pushdown", "hazedissolve"}
ROUND27_DURATIONS = (0.62, 0.86, 1.14, 1.38, 1.66, 1.94)


def test_the_round27_negatives_change_the_picture_only_in_their_moments(tmp_path):
    """Over 4.2 s of colour bars (grey for the shadow) at 50 fps, the negative's second from
    frame 80, every frame before it and after its moment the plain one's: a knock on the camera
    moves the picture 5 % of the width in one frame, 0.1 s in, and it swings back; a slow
    refocus softens the bars most 0.6 s in and sharpens them again; a cloud's shadow darkens
    the middle 0.48 s in (40 % of the light above black), not the corners; a failing tube's
    five blinks darken nine frames (55 % of the light, greener), the rest as they were."""
    plain = {}
    for source in ("hdbars", "grey"):
        render(tmp_path / f"{source}.mp4", [Shot(source, 4.2)], fps=50, lossless=True)
        plain[source] = yuv_frames(tmp_path / f"{source}.mp4")
    blinks = [84, 85, 90, 93, 94, 95, 105, 116, 117]
    for kind, source, moment in (
        ("camera_jolt", "hdbars", range(85, 131)),
        ("slow_refocus", "hdbars", range(81, 130)),
        ("cloud_shadow", "grey", range(80, 131)),
        ("tube_flicker", "hdbars", blinks),
    ):
        shots = [Shot(source, 4.2, kind)]
        truth = render(tmp_path / f"{kind}.mp4", shots, fps=50, lossless=True)
        assert round(truth.negatives[0]["start_s"] * 50) == 80
        assert not truth.transitions and not truth.cuts_s  # a negative is no boundary
        video, base = yuv_frames(tmp_path / f"{kind}.mp4"), plain[source]
        assert len(video) == 210
        diff = [np.abs(a - b).mean() for a, b in zip(video, base, strict=True)]
        assert all(d == 0 for k, d in enumerate(diff) if k not in moment), (kind, diff)
        luma = video[104][:180] - base[104][:180]
        if kind == "camera_jolt":
            assert diff[85] > 5 * max(diff[110:131]) and diff[85] > 20, diff
        if kind == "slow_refocus":  # softest 0.6 s in (frame 110)
            assert max(diff) == max(diff[105:116]) > 3 * diff[85] > 0, diff
            assert diff[100] > 1 and diff[120] > 1, diff
        if kind == "cloud_shadow":
            assert (luma[70:110, 130:190] < -35).all() and np.abs(luma[:8, :8]).max() <= 1
        if kind == "tube_flicker":
            assert all(diff[k] > 10 for k in blinks), diff
            dark = video[93][:180] - base[93][:180]
            bright = base[93][:180] > 100
            assert np.median(dark[bright] / (base[93][:180][bright] - 16)) < -0.5


def test_the_round27_custom_kinds_clock_dip_push_and_haze(tmp_path):
    """Over 2 s from frame 50 (frames 51-99 blend, the push's 51-97: its last two move the
    picture less than a row, which the set's spans leave out), half-way (frame 75, P 0.5): the
    soft clock shows navy where the sweep from 9 o'clock has passed (up to 2.69 rad), the
    outgoing picture where it has not reached (past 3.59 rad); the dip holds amber (Y, U, V
    142, 71, 166) over its middle fifth (frames 70-80); the push shows navy in the top half and
    the outgoing picture's top half below it; the haze a blurred mix of grey and navy veiled
    35 % toward Y 200."""
    x, y = np.meshgrid(np.arange(320), np.arange(180))  # xfade's X and Y
    for kind, source in (
        ("softclock", "hdbars"),
        ("dipamber", "hdbars"),
        ("pushdown", "hdbars"),
        ("hazedissolve", "grey"),
    ):
        truth, video, alone = _blend_renders(tmp_path, kind, source)
        assert (truth.transitions[0]["start_s"], truth.transitions[0]["end_s"]) == (2.0, 4.0)
        last = 97 if kind == "pushdown" else 99  # the push's last two move it under a row
        for k in range(51, last + 1):
            assert (video[k] != video[-1]).any() and (video[k] != alone[k]).any(), k
        assert all((video[k] == video[-1]).all() for k in range(last + 1, 100))
        a, navy, mid = (f[:180].astype(float) for f in (alone[75], video[-1], video[75]))
        if kind == "softclock":
            turn = np.arctan2(y - 90, x - 160) + np.pi
            away = np.hypot(x - 160, y - 90) > 6
            assert np.abs(mid - navy)[(turn < 2.64) & away].max() <= 1
            assert np.abs(mid - a)[(turn > 3.64) & away].max() <= 1
            edge = (turn > 2.9) & (turn < 3.4) & away
            assert (np.abs(mid - a) > 2)[edge].mean() > 0.5  # blended in the soft edge
        if kind == "dipamber":
            for k in range(71, 80):
                planes = video[k][:180], video[k][180:225], video[k][225:]
                assert [int(np.median(p)) for p in planes] == [142, 71, 166], k
                assert max(np.abs(p.astype(int) - v).max() for p, v in
                           zip(planes, (142, 71, 166), strict=True)) <= 1, k  # fmt: skip
        if kind == "pushdown":
            assert np.abs(mid[:88] - navy[:88]).max() <= 1
            assert np.abs(mid[92:] - a[2:90]).max() <= 1
        if kind == "hazedissolve":
            mixed = (a + navy) / 2
            assert np.abs(mid - (mixed + (200 - mixed) * 0.35)).max() <= 2


ROUND28 = [random_shots(seed, 8, False, round28=True) for seed in ROUND28_SEEDS]
ROUND28_BOUNDS = [pair for video in ROUND28 for pair in pairwise(video)]
ROUND28_GRADUAL = [(a, b) for a, b in ROUND28_BOUNDS if a.into != "cut"]
ROUND28_NEW_NEGATIVES = {"flash_burst", "heat_shimmer", "lightning", "headlight_glare"}
ROUND28_NEW_KINDS = {"spindissolve", "flashdissolve", "parallaxslide", "mosaicdissolve"}
ROUND28_DURATIONS = (0.6875, 0.8125, 1.0625, 1.3125, 1.5625, 1.8125)


def test_the_round28_negatives_change_the_picture_only_in_their_moments(tmp_path):
    """Over 4.25 s of colour bars (grey for the lightning and the glare) at 48 fps, the
    negative's second from frame 78, every frame before it and after its moment the plain
    one's: the flashes wash six frames, each a disc toward white (the first 0.1 s in), the
    rest as they were; heat shimmer wavers the bars most mid-way, the light as it was; the
    lightning lights one frame, a dimmer one, then a bright one 0.4 s in dying away, the top
    more than the bottom; the glare swells to its brightest mid-way (frame 102) round the
    headlights, near white there."""
    plain = {}
    for source in ("hdbars", "grey"):
        render(tmp_path / f"{source}.mp4", [Shot(source, 4.25)], fps=48, lossless=True)
        plain[source] = yuv_frames(tmp_path / f"{source}.mp4")
    pops = [83, 84, 95, 103, 104, 117]
    for kind, source, moment in (
        ("flash_burst", "hdbars", pops),
        ("heat_shimmer", "hdbars", range(79, 127)),
        ("lightning", "grey", [88, 92, *range(98, 127)]),
        ("headlight_glare", "grey", range(79, 126)),
    ):
        shots = [Shot(source, 4.25, kind)]
        truth = render(tmp_path / f"{kind}.mp4", shots, fps=48, lossless=True)
        assert round(truth.negatives[0]["start_s"] * 48) == 78
        assert not truth.transitions and not truth.cuts_s  # a negative is no boundary
        video, base = yuv_frames(tmp_path / f"{kind}.mp4"), plain[source]
        assert len(video) == 204
        diff = [np.abs(a.astype(float) - b).mean() for a, b in zip(video, base, strict=True)]
        assert all(d == 0 for k, d in enumerate(diff) if k not in moment), (kind, diff)
        luma = video[102][:180].astype(float) - base[102][:180]
        if kind == "flash_burst":
            assert all(diff[k] > 5 for k in pops), diff
            first = video[83][:180].astype(float)
            assert first[70:74, 94:98].min() > 200  # the first flash's middle, near white
            assert (first[:, 250:] == base[83][:180, 250:]).mean() > 0.9  # far from it, not
        if kind == "heat_shimmer":
            assert max(diff) == max(diff[96:108]) > 2 > diff[80] > 0, diff
            for k in (90, 102, 115):
                assert abs(video[k][:180].mean() - base[k][:180].mean()) < 0.5, k
        if kind == "lightning":
            assert diff[88] > diff[92] > 20 and diff[98] > diff[99] > diff[104] > 10, diff
            lit = video[88][:180].astype(float) - base[88][:180]
            assert lit[:20].mean() > lit[-20:].mean() + 20
        if kind == "headlight_glare":
            assert max(diff) == diff[102] > 20 and diff[90] > 10, diff
            assert video[102][:180][104, 198:202].min() >= 230 and np.abs(luma[:20, :40]).max() <= 2


def test_the_round28_custom_kinds_spin_flash_parallax_and_mosaic(tmp_path):
    """Over 2 s from frame 50 (frames 51-99 blend, every one), half-way (frame 75, P 0.5): the
    spin shows black in the corners (both pictures turned and shrunk away from them) and
    half of each picture's centre in the middle; the flash dissolve the mix of grey and navy
    washed 90 % toward white; the parallax slide navy in the right half and the outgoing
    picture's middle half in the left, drifted a quarter of the width; the mosaic the mix of
    the outgoing picture in blocks of 15 pixels and navy."""
    for kind, source in (
        ("spindissolve", "hdbars"),
        ("flashdissolve", "grey"),
        ("parallaxslide", "hdbars"),
        ("mosaicdissolve", "hdbars"),
    ):
        truth, video, alone = _blend_renders(tmp_path, kind, source)
        assert (truth.transitions[0]["start_s"], truth.transitions[0]["end_s"]) == (2.0, 4.0)
        for k in range(51, 100):
            assert (video[k] != video[-1]).any() and (video[k] != alone[k]).any(), k
        assert all((video[k] == video[-1]).all() for k in range(100, 125))
        a, navy, mid = (f[:180].astype(float) for f in (alone[75], video[-1], video[75]))
        if kind == "spindissolve":
            assert (mid[:4, :4] == 16).all() and (mid[-4:, -4:] == 16).all()
            centre = np.s_[88:92, 158:162]
            assert np.abs(mid[centre] - (a[centre] + navy[centre]) / 2).max() <= 1
        if kind == "flashdissolve":
            mixed = (a + navy) / 2
            assert np.abs(mid - (mixed + (235 - mixed) * 0.9)).max() <= 1
        if kind == "parallaxslide":
            assert np.abs(mid[:, 161:] - navy[:, 161:]).max() <= 1
            assert np.abs(mid[:, :159] - a[:, 80:239]).max() <= 1
        if kind == "mosaicdissolve":
            y, x = np.mgrid[0:180, 0:320]
            assert np.abs(mid - (a[y // 15 * 15, x // 15 * 15] + navy) / 2).max() <= 1


ROUND29 = [random_shots(seed, 8, False, round29=True) for seed in ROUND29_SEEDS]
ROUND29_BOUNDS = [pair for video in ROUND29 for pair in pairwise(video)]
ROUND29_GRADUAL = [(a, b) for a, b in ROUND29_BOUNDS if a.into != "cut"]
ROUND29_NEW_NEGATIVES = {"wiper_sweep", "hue_sweep", "static_burst", "vertical_roll"}
ROUND29_NEW_KINDS = {"channeldissolve", "swirldissolve", "tilewipe", "inkwipe"}
ROUND29_DURATIONS = tuple(n / 60 for n in (43, 53, 67, 79, 97, 113))


def test_the_round29_negatives_change_the_picture_only_in_their_moments(tmp_path):
    """Over 4.2 s of colour bars at 60 fps, the negative's second from frame 96, every frame
    before it and after its moment the plain one's: the wiper's dark blade crosses from the
    left (frames 99-123), is out of the frame at the turn and crosses back (129-153); the
    colour wheel turns the chroma a full circle, most mid-way, the luma as it was; the burst of
    interference grains 16 frames from 0.3 s in, the light about as it was; the picture rolls
    down once from 0.2 s in, a black bar of 11 rows across it mid-way (frame 124)."""
    render(tmp_path / "plain.mp4", [Shot("hdbars", 4.2)], fps=60, lossless=True)
    base = yuv_frames(tmp_path / "plain.mp4")
    wiped = [*range(99, 124), *range(129, 154)]
    for kind, moment in (
        ("wiper_sweep", wiped),
        ("hue_sweep", range(97, 156)),
        ("static_burst", range(114, 130)),
        ("vertical_roll", range(109, 145)),
    ):
        truth = render(tmp_path / f"{kind}.mp4", [Shot("hdbars", 4.2, kind)], fps=60, lossless=True)
        assert round(truth.negatives[0]["start_s"] * 60) == 96
        assert not truth.transitions and not truth.cuts_s  # a negative is no boundary
        video = yuv_frames(tmp_path / f"{kind}.mp4")
        assert len(video) == 252
        diff = [np.abs(a.astype(float) - b).mean() for a, b in zip(video, base, strict=True)]
        assert all(d == 0 for k, d in enumerate(diff) if k not in moment), (kind, diff)
        assert all(diff[k] > 0 for k in moment), (kind, diff)
        luma = [a[:180].astype(float) - b[:180] for a, b in zip(video, base, strict=True)]
        if kind == "wiper_sweep":  # darker where the blade lies, the rest as it was
            for k in (104, 110, 145):
                assert luma[k].mean() < -3 and (luma[k] < -20).mean() > 0.02, k
                assert (luma[k] == 0).mean() > 0.8, k
        if kind == "hue_sweep":
            assert max(diff) == max(diff[124:136]) > 15 > diff[100] > 0, diff
            assert all((luma[k] == 0).all() for k in moment)
        if kind == "static_burst":
            assert all(diff[k] > 20 and abs(luma[k].mean()) < 2 for k in moment), diff
        if kind == "vertical_roll":
            assert max(diff) == max(diff[120:132]) > 50, diff
            black = np.where((video[124][:180] <= 17).all(axis=1))[0]
            assert list(black) == list(range(69, 80))


def test_the_round29_custom_kinds_channel_swirl_tiles_and_ink(tmp_path):
    """Over 2 s from frame 50 (frames 51-99 blend; the tile wipe's 51-98, the ink wipe's
    58-97: its field's lowest point is 15 % of the way in), half-way (frame 75, P 0.5): the
    channel dissolve has V 5/6 of the way to navy, U half-way, luma 1/6; the swirl mixes both
    pictures half and half twisted about the centre (the corners untwisted); each tile of the
    tile wipe is the outgoing picture, navy or between; the ink wipe navy where its field is
    low, the outgoing picture where it is high."""
    for kind in ("channeldissolve", "swirldissolve", "tilewipe", "inkwipe"):
        truth, video, alone = _blend_renders(tmp_path, kind, "hdbars")
        assert (truth.transitions[0]["start_s"], truth.transitions[0]["end_s"]) == (2.0, 4.0)
        first, last = {"tilewipe": (51, 98), "inkwipe": (58, 97)}.get(kind, (51, 99))
        for k in range(first, last + 1):
            assert (video[k] != video[-1]).any() and (video[k] != alone[k]).any(), k
        assert all((video[k] == video[-1]).all() for k in range(100, 125))
        a, navy, mid = (f.astype(float) for f in (alone[75], video[-1], video[75]))
        if kind == "channeldissolve":
            for rows, share in ((np.s_[:180], 1 / 6), (np.s_[180:225], 0.5), (np.s_[225:], 5 / 6)):
                expected = a[rows] + (navy[rows] - a[rows]) * share
                assert np.abs(mid[rows] - expected).max() < 2, share
        if kind == "swirldissolve":
            corner = np.s_[:4, :4]
            assert np.abs(mid[corner] - (a[corner] + navy[corner]) / 2).max() <= 1
            assert np.abs(mid[:180] - (a[:180] + navy[:180]) / 2).max() > 20  # twisted
        if kind == "tilewipe":
            y = mid[:180]
            for ty in range(6):
                for tx in range(8):
                    tile = np.s_[ty * 30 + 1 : ty * 30 + 29, tx * 40 + 1 : tx * 40 + 39]
                    gap = navy[:180][tile] - a[:180][tile]
                    w = (y[tile] - a[:180][tile])[np.abs(gap) > 40] / gap[np.abs(gap) > 40]
                    assert w.size == 0 or np.ptp(w) < 0.05, (tx, ty)  # one weight a tile
        if kind == "inkwipe":
            yn, xn = np.mgrid[0:180, 0:320] / np.array([180, 320])[:, None, None]
            field = (
                0.5
                + 0.2 * np.sin(2 * np.pi * (1.3 * xn + 0.7 * yn))
                + 0.15 * np.sin(2 * np.pi * (2.9 * xn - 1.7 * yn) + 1)
                + 0.1 * np.sin(2 * np.pi * (5.3 * yn + 0.6 * xn) + 2)
            )
            y = mid[:180]
            assert np.abs(y[field < 0.3] - navy[:180][field < 0.3]).max() <= 1
            assert np.abs(y[field > 0.65] - a[:180][field > 0.65]).max() <= 1


# What each late round's set holds, by its note (ROUND<n>_PLAN's), for the checks below:
# rounds 25 (24 fps, shots of whole quarters, five custom kinds), 26 (20 fps, earlier kinds
# only), 27 (50 fps, four custom kinds, four new negatives), 28 (48 fps, shots of whole
# sixteenths, four custom kinds, four new negatives) and 29 (60 fps, shots of whole
# twentieths, durations held as fractions, four custom kinds, four new negatives).
LATE_NOTES = {
    25: {
        "fps": 24,
        "steps": 4,
        "not_at": (25, 30),
        "families": {
            "fade": {"fade"},
            "dissolve": {"dissolve", "hblur", "ripple", "burndissolve", "lumadissolve", "distance"},
            "through black, white or grey": {"fadeblack", "fadewhite", "fadegrays"},
            "wipe": {"pinwheel", "checkerwipe", "vuslice", "hrslice", "vdwind"},
            "crop or zoom": {"circlecrop", "rectcrop", "zoomin"},
            "squeeze": {"squeezeh"},
            "slide": {"slideup"},
            "cover or reveal": {"coverleft", "revealright"},
        },
        "both": 21,
        "similar": [
            ("fade", 0.625),
            ("dissolve", 0.625),
            ("lumadissolve", 0.875),
            ("ripple", 1.125),
            ("burndissolve", 1.125),
            ("hblur", 1.375),
            ("dissolve", 1.875),
        ],
        "real": 23,
        "files": {
            ("bikes.mp4", 0.25): 12,
            ("big_buck_bunny_0_30.webm", 0.25): 2,
            ("big_buck_bunny_0_30.webm", 0.85): 3,
            ("cockatoo.mp4", 0.9): 6,
        },
        "lasts": {"bikes.mp4": 10.0, "cockatoo.mp4": 14.0, "big_buck_bunny_0_30.webm": 24.6},
        # every second it reads read by at most 12 earlier segments, where the films' busiest
        # seconds were read by 30 or more
        "step": 0.04,
        "most_read": 12,
        "unread": (),
    },
    26: {
        "fps": 20,
        "steps": 20,
        "not_at": (24, 25, 30),
        "families": {
            "fade": {"fade"},
            "dissolve": {"dissolve", "hblur", "ripple", "lumadissolve", "distance"},
            "through black, white or grey": {"fadeblack", "fadewhite", "fadegrays"},
            "wipe": {"smoothright", "diagbl", "hlslice", "vdslice", "hrwind", "radial"},
            "crop, iris or barn door": {"circlecrop", "rectcrop", "circleclose", "horzclose"},
            "slide": {"slideleft"},
            "cover or reveal": {"coverdown", "revealup"},
        },
        "both": 21,
        "similar": [
            ("fade", 0.85),
            ("hblur", 0.55),
            ("dissolve", 0.55),
            ("lumadissolve", 1.05),
            ("ripple", 1.35),
            ("distance", 1.65),
            ("dissolve", 1.95),
        ],
        "real": 17,
        "files": {("bikes.mp4", 0.2): 11, ("cockatoo.mp4", 0.58): 6},
        "lasts": {"bikes.mp4": 10.0, "cockatoo.mp4": 14.0},
        # bikes' first shot read by none, every other second by at most 6
        "step": 0.05,
        "most_read": 6,
        "unread": (("bikes.mp4", 0.0, 1.2),),
    },
    27: {
        "fps": 50,
        "steps": 50,
        "not_at": (20, 24, 25, 30),
        "families": {
            "fade": {"fade"},
            "dissolve": {"dissolve", "hblur", "blurdissolve", "hazedissolve", "easedissolve"},
            "distance": {"distance"},
            "through black, white or amber": {"fadeblack", "fadewhite", "dipamber"},
            "wipe": {"smoothleft", "diagtr", "radial", "softcornerwipe", "softclock"},
            "opening or closing": {"circleopen", "vertclose"},
            "squeeze": {"squeezev"},
            "slide or push": {"slideright", "pushdown"},
            "cover or reveal": {"coverup", "revealleft"},
        },
        "both": 22,
        "similar": [
            ("hblur", 0.62),
            ("dissolve", 0.62),
            ("blurdissolve", 0.86),
            ("hazedissolve", 1.14),
            ("dissolve", 1.38),
            ("easedissolve", 1.66),
            ("fade", 1.94),
        ],
        "real": 20,
        "files": {("bikes.mp4", 0.28): 11, ("cockatoo.mp4", 0.42): 9},
        "lasts": {"bikes.mp4": 10.0, "cockatoo.mp4": 14.0},
        # cockatoo's seconds from just after its whip to 8.8 s, its own refocus, read by none,
        # every other second by at most 11
        "step": 0.02,
        "most_read": 11,
        "unread": (("cockatoo.mp4", 7.9, 8.8),),
    },
    28: {
        "fps": 48,
        "steps": 16,
        "not_at": (20, 24, 25, 30, 50),
        "families": {
            "fade": {"fade"},
            "dissolve": {
                *("dissolve", "hblur", "easedissolve", "lumadissolve"),
                *("mosaicdissolve", "flashdissolve"),
            },
            "through black or grey": {"fadeblack", "fadegrays"},
            "wipe": {"wipedown", "diagtl", "clockwipe", "hlwind", "smoothup"},
            "iris or barn door": {"circleclose", "horzopen"},
            "squeeze": {"squeezeh"},
            "spin": {"spindissolve"},
            "slide": {"slidedown", "parallaxslide"},
            "cover or reveal": {"coverright", "revealdown"},
        },
        "both": 21,
        "similar": [
            ("dissolve", 0.6875),
            ("hblur", 0.6875),
            ("easedissolve", 0.8125),
            ("mosaicdissolve", 1.0625),
            ("dissolve", 1.3125),
            ("lumadissolve", 1.5625),
            ("fade", 1.8125),
        ],
        "real": 20,
        "files": {("bikes.mp4", 0.18): 12, ("big_buck_bunny_0_30.webm", 0.19): 8},
        "lasts": {"bikes.mp4": 10.0, "big_buck_bunny_0_30.webm": 24.6},
        # bikes' seconds 0.02-0.06 (before round 26's two shots) read by none, every other
        # second by at most 8, where the files' busiest seconds were read by up to 36
        "step": 0.02,
        "most_read": 8,
        "unread": (("bikes.mp4", 0.02, 0.05),),
    },
    29: {
        "fps": 60,
        "steps": 20,
        "not_at": (20, 24, 25, 30, 48, 50),
        "families": {
            "fade": {"fade"},
            "dissolve": {
                *("dissolve", "hblur", "easedissolve", "pixelize"),
                *("channeldissolve", "swirldissolve"),
            },
            "through black or grey": {"fadeblack", "fadegrays"},
            "wipe": {"wipetr", "smoothleft", "diagbr", "hrwind", "radial", "tilewipe", "inkwipe"},
            "iris or barn door": {"circleopen", "vertclose"},
            "squeeze": {"squeezev"},
            "slide": {"slideleft"},
            "cover or reveal": {"coverup", "revealleft"},
        },
        "both": 20,
        "similar": [
            ("dissolve", 43 / 60),
            ("hblur", 43 / 60),
            ("easedissolve", 53 / 60),
            ("channeldissolve", 67 / 60),
            ("dissolve", 79 / 60),
            ("swirldissolve", 97 / 60),
            ("fade", 113 / 60),
        ],
        "real": 20,
        "files": {("bikes.mp4", 0.16): 12, ("cockatoo.mp4", 0.17): 8},
        "lasts": {"bikes.mp4": 9.64, "cockatoo.mp4": 14.0},
        # cockatoo's seconds 7.79-7.96 (its whip, before round 27's refocus) read by none, every
        # other second by at most 9 (bikes' by 7), where the files' busiest were read by 26-36
        "step": 0.01,
        "most_read": 9,
        "unread": (("cockatoo.mp4", 7.79, 7.96),),
    },
}
LATE_ROUNDS = [pytest.param(n, id=f"round{n}") for n in LATE_NOTES]


def _late_round(n: int) -> dict:
    """Round `n`'s tables (the generator's and this module's) by their names without the
    round: PLAN, SEEDS, FPS, SIMILAR, SPEEDS, REAL, SYNTHETIC, TRANSITIONS, NEGATIVES, VIDEOS,
    GRADUAL, NEW_KINDS, NEW_NEGATIVES, DURATIONS."""
    tables, own = {**vars(transition_videos), **globals()}, f"ROUND{n}"
    names = ("PLAN", "SEEDS", "FPS", "SIMILAR", "SPEEDS", "GRADUAL", "NEW_NEGATIVES", "DURATIONS")
    found = {name: tables[f"{own}_{name}"] for name in names}
    found["NEW_KINDS"] = tables.get(f"{own}_NEW_KINDS", set())
    for name, prefix in (("REAL", "REAL_SHOTS"), ("SYNTHETIC", "SYNTHETIC_SHOTS")):
        found[name] = tables[f"{prefix}_{own}"]
    for name in ("TRANSITIONS", "NEGATIVES"):
        found[name] = tables[f"{name}_{own}"]
    found["VIDEOS"] = tables[own]
    return found


@pytest.mark.parametrize("n", LATE_ROUNDS)
def test_a_late_round_set_holds_what_its_note_says(n):
    """Seeds n01-n04 (ROUND<n>_PLAN's note, LATE_NOTES), rendered at the round's own rate: 25
    transitions of 22 kinds of every family (its custom kinds among them) and three hard cuts;
    durations of whole frames at its rate that are none at every other set's (the first five
    times, the rest four), shots of whole 1 / steps s; 29 of 32 shots moving on eight earlier
    rounds' paths, none of rounds 24 to n - 1's, `both` transitions moving on both sides, the
    rest on one; seven between similar shots, all moving on both sides, of the kinds and
    durations its note names; no boxes; 15 negatives each once, each in a moving shot, its new
    ones among them; its footage at its speeds (`files`), each read within its file (`lasts`),
    bikes' inside its shots and the film's (big_buck_bunny_0_30) inside one of its shots."""
    note, own = LATE_NOTES[n], _late_round(n)
    videos, gradual = own["VIDEOS"], own["GRADUAL"]
    assert list(own["SEEDS"]) == [n * 100 + k for k in (1, 2, 3, 4)] and own["FPS"] == note["fps"]
    assert {set_fps(video) for video in videos} == {note["fps"]}
    assert_transition_mix(videos, gradual, own["TRANSITIONS"], note["families"])
    assert len(set(own["TRANSITIONS"])) == 22
    assert set(own["TRANSITIONS"]) & set(CUSTOM_TRANSITIONS) >= own["NEW_KINDS"]
    durations = Counter(a.into_s for a, _ in gradual)
    first, *rest = own["DURATIONS"]
    assert durations == {first: 5, **dict.fromkeys(rest, 4)}
    for d in durations:  # whole frames at its rate, none at the others'
        assert round(d * note["fps"], 6).is_integer(), d
        assert not any(round(d * fps, 6).is_integer() for fps in note["not_at"]), d
    for video in videos:
        assert all(round(s.length_s * note["steps"], 6).is_integer() for s in video)
    tables = vars(transition_videos)
    earlier_moves = {m for k in range(16, 24) for m in tables[f"ROUND{k}_MOVES"]}
    later_moves = {s.move for k in range(24, n) for video in globals()[f"ROUND{k}"] for s in video}
    moves = {s.move for video in videos for s in video if s.move}
    assert len(moves) == 8 and moves <= earlier_moves and not moves & later_moves
    flat = assert_moves(videos, gradual, moves, moving=29, both=note["both"])
    similar = [(a, b) for a, b in gradual if (a.source, b.source) in own["SIMILAR"]]
    assert len(similar) == 7 and all(a.move and b.move for a, b in similar)
    assert sorted((a.into, a.into_s) for a, _ in similar) == sorted(note["similar"])
    _assert_own_footage(n, flat, note["real"], note["files"], note["lasts"], fps=note["fps"])
    cuts = json.loads((TESTDATA / "real" / "truth.json").read_text())
    film = cuts["big_buck_bunny_0_30.webm"]["cuts_s_approx"]
    for s in flat:  # the film's footage inside one of its shots
        name, start, *_ = own["REAL"].get(s.source, ("", 0.0))
        if name == "big_buck_bunny_0_30.webm":
            end = start + s.length_s * own["SPEEDS"][s.source]
            assert not [c for c in film if start - 0.04 < c < end + 0.04], s


@pytest.mark.parametrize("n", LATE_ROUNDS)
def test_a_late_round_set_is_not_an_earlier_one(n):
    """Round n's footage (no earlier segment starts or ends where one of its own does; every
    second it reads read by at most `most_read` earlier segments, its `unread` stretches by
    none, where the films' busiest seconds were read by 30 or more), shot sources and lavfi
    sources are no earlier set's (every table of the generator before round n, every set
    bench_transitions renders, rounds 19 to n - 1 too), nor its similar pairs, speeds, custom
    kinds (nor their expressions) or new negatives; every earlier set renders at another rate
    (`not_at` or 25) and none has its durations (nor any kind at them); its mixes of moves,
    kinds and negatives are no earlier set's; the footage lies clear of the files' own fades
    (no source_fade in its truth)."""
    note, own = LATE_NOTES[n], _late_round(n)
    earlier = _earlier_tables("REAL_SHOTS", f"ROUND{n}")
    assert len(earlier) >= n - 5 and vars(transition_videos)[f"REAL_SHOTS_ROUND{n - 1}"] in earlier
    assert own["REAL"] not in earlier
    everyone = _earlier_sets(n)
    assert {f"round{k}" for k in range(19, n)} <= set(everyone)
    ours = assert_own_footage(own["VIDEOS"], own["REAL"], earlier, everyone)
    speeds = {
        k: v
        for name, t in vars(transition_videos).items()
        if name.endswith("_SPEEDS")
        for k, v in t.items()
    }
    theirs_read = [seg for table in earlier for seg in _segments(table, speeds)]
    own_read = _segments(own["REAL"], own["SPEEDS"])
    assert not {(f, a) for f, a, _ in own_read} & {(f, a) for f, a, _ in theirs_read}
    assert not {(f, b) for f, _, b in own_read} & {(f, b) for f, _, b in theirs_read}
    most = 0
    for name, first, last in own_read:
        for t in np.arange(first, last, note["step"]):
            read_by = sum(f == name and a <= t < b for f, a, b in theirs_read)
            most = max(most, read_by)
            if any(name == f and lo <= t < hi for f, lo, hi in note["unread"]):
                assert read_by == 0, (name, t)
    assert most <= note["most_read"], most
    assert all(any(f == name for f, _, _ in own_read) for name, _, _ in note["unread"])
    busiest = Counter()
    for name, first, last in theirs_read:
        for k in range(int(first * 4), int(last * 4)):
            busiest[name, k] += 1
    assert {name for (name, _), count in busiest.items() if count >= 30} >= {
        "big_buck_bunny_0_30.webm", "chaplin.mp4", "video_with_failing_audio.mp4"
    }  # fmt: skip
    lavfi = {s for table in _earlier_tables("SYNTHETIC_SHOTS", f"ROUND{n}") for s in table.values()}
    assert not set(own["SYNTHETIC"].values()) & lavfi
    assert not set(own["SYNTHETIC"]) & {k for t in earlier for k in t}
    before = {
        v
        for name, t in vars(transition_videos).items()
        if name.endswith("_SPEEDS") and name != f"ROUND{n}_SPEEDS"
        for v in t.values()
    }
    assert not set(own["SPEEDS"].values()) & before
    tables = vars(transition_videos)
    pairs = {p for k in range(16, n) for p in tables[f"ROUND{k}_SIMILAR"]}
    assert not set(own["SIMILAR"]) & pairs
    assert not own["NEW_NEGATIVES"] & _negatives_before(n)
    kinds = own["NEW_KINDS"]
    custom = {k: v for k, v in CUSTOM_TRANSITIONS.items() if k not in kinds}
    assert not {CUSTOM_TRANSITIONS[k] for k in kinds} & set(custom.values())
    _assert_none_of_theirs(everyone, set(), own["NEW_NEGATIVES"], kinds)
    for name, videos in everyone.items():
        theirs = [s for video in videos for s in video]
        assert {set_fps(video) for video in videos} <= {25, *note["not_at"]}, name
        assert not {s.into_s for s in theirs} & set(own["DURATIONS"]), name
        for key in ("move", "into", "negative"):
            mix = Counter(getattr(s, key) for s in ours)
            assert mix != Counter(getattr(s, key) for s in theirs), (name, key)
    _assert_clear_of_source_fades(own["VIDEOS"], own["REAL"], own["SPEEDS"], fps=note["fps"])
    assert sum(len(own["PLAN"][seed]) for seed in own["SEEDS"]) == 32


@pytest.mark.parametrize(
    ("videos", "fps", "before", "before_fps"),
    [
        pytest.param(ROUND24, 30, ROUND23, 25, id="round24"),
        pytest.param(ROUND25, 24, ROUND24, 30, id="round25"),
        pytest.param(ROUND26, 20, ROUND25, 24, id="round26"),
        pytest.param(ROUND27, 50, ROUND26, 20, id="round27"),
        pytest.param(ROUND28, 48, ROUND27, 50, id="round28"),
        pytest.param(ROUND29, 60, ROUND28, 48, id="round29"),
    ],
)
def test_a_set_renders_at_its_own_rate(tmp_path, monkeypatch, videos, fps, before, before_fps):
    """A set's truth and ffmpeg arguments are at its own frame rate (a GOP of two seconds), its
    length, spans and cuts on its frames (to the 4 places times are kept to); the set before it
    stays at its rate (arguments only, no render)."""
    calls = []
    monkeypatch.setattr(transition_videos, "make_video", lambda path, *args: calls.append(args))
    for video in videos:
        truth = render(tmp_path / "set.mp4", video)
        assert truth.fps == fps and str(2 * fps) in calls[-1]
        assert f"fps={fps}" in ";".join(calls[-1]) and "fps=25" not in ";".join(calls[-1])
        assert round(truth.duration_s * fps, 6).is_integer()
        for t in truth.transitions:
            assert t["kind"] != "source_fade", t
            for at in (t["start_s"], t["end_s"]):
                assert abs(at * fps - round(at * fps)) < 5e-5 * fps, t
        assert all(round(c * fps, 6).is_integer() for c in truth.cuts_s)
    render(tmp_path / "before.mp4", before[0])
    assert before_fps != fps and str(2 * before_fps) in calls[-1]
    assert f"fps={before_fps}" in ";".join(calls[-1])
