"""The generator of videos with transition truth (tests/transition_videos.py): the round-14
held-back set's make-up, checked without rendering it, and the pieces it adds, rendered small."""

from itertools import pairwise

import av
import numpy as np
import pytest

from tests.transition_videos import (
    CUSTOM_TRANSITIONS,
    DIAGONALS,
    NEGATIVES_ROUND14,
    NEGATIVES_ROUND15,
    REAL_SHOTS_LAST,
    REAL_SHOTS_NEXT,
    REAL_SHOTS_ROUND12,
    REAL_SHOTS_ROUND13,
    REAL_SHOTS_ROUND14,
    REAL_SHOTS_ROUND15,
    REAL_SHOTS_WIPES,
    ROUND14_PLAIN,
    ROUND14_SPEEDS,
    ROUND15_BOXED,
    ROUND15_DURATIONS,
    ROUND15_INTO_BOX,
    ROUND15_SEEDS,
    ROUND15_SPEED_CHANGES,
    SYNTHETIC_SHOTS_ROUND15,
    TRANSITIONS_ROUND14,
    TRANSITIONS_ROUND15,
    Shot,
    negative_at,
    random_shots,
    render,
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
