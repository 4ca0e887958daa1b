"""Captions that contradict the measured camera motion, and the prompt's measured hints."""

import pytest

from transforms.grounding import camera_contradiction, claimed_camera, prompt_hints


@pytest.mark.parametrize(
    ("en", "zh", "measured", "expected"),
    [
        pytest.param("A static shot of a red car driving past.", "", "pan_left",
                     "camera_mismatch:static|pan_left", id="static_claim_on_a_pan"),
        pytest.param("", "固定镜头拍摄一辆红色汽车驶过。", "zoom_in",
                     "camera_mismatch:static|zoom_in", id="static_claim_in_chinese"),
        pytest.param("The camera pans right across a beach.", "", "static",
                     "camera_mismatch:pan|static", id="pan_claim_on_a_static_shot"),
        pytest.param("The camera pans right across a beach.", "镜头向右平移。", "pan_right", None,
                     id="agrees"),
        pytest.param("A red car drives past a bakery.", "一辆红色汽车驶过面包店。", "pan_left",
                     None, id="no_camera_claim"),
        pytest.param("A static shot of a street.", "", "complex", None, id="complex_is_unknown"),
        pytest.param("A static shot of a street.", "", None, None, id="not_measured"),
        pytest.param("Panning shots of a fixed camera mount.", "", "static",
                     "camera_mismatch:pan|static", id="pan_words"),
    ],
)  # fmt: skip
def test_camera_contradiction(en, zh, measured, expected):
    assert camera_contradiction(en, zh, measured) == expected


def test_claims_need_whole_phrases():
    assert claimed_camera("A zoom lens on a table.", "") == set()
    assert claimed_camera("The camera zooms in on a cat.", "") == {"zoom"}


def test_prompt_hints():
    assert prompt_hints(None, None) == ""
    hint = prompt_hints("pan_left", 2)
    assert "panning left" in hint and "2 objects" in hint
    assert "no object" in prompt_hints("static", 0)
