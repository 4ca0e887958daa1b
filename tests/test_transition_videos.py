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
    REAL_SHOTS_ROUND14,
    ROUND14_PLAIN,
    ROUND14_SPEEDS,
    TRANSITIONS_ROUND14,
    Shot,
    random_shots,
    render,
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
