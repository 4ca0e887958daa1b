"""The analysis frame's shared views are the same bytes as the OpenCV calls they replace."""

import numpy as np
import pytest

from tests.conftest import TESTDATA
from transforms.frames import AnalysisFrame, area_resized


@pytest.fixture(scope="module")
def frames() -> list[np.ndarray]:
    """Real frames (street footage, handheld phone) at a few analysis sizes."""
    import av
    import cv2

    out = []
    for name in ("bikes.mp4", "cockatoo.mp4"):
        with av.open(str(TESTDATA / "real" / name)) as container:
            for i, frame in enumerate(container.decode(video=0)):
                if i % 20 == 0:
                    image = frame.to_ndarray(format="bgr24")
                    for size in ((320, 180), (240, 180), (180, 320), (333, 187)):
                        out.append(cv2.resize(image, size, interpolation=cv2.INTER_AREA))
                if i >= 60:
                    break
    return out


@pytest.mark.parametrize(
    "scale",
    [
        pytest.param((0.7125, 0.7111), id="flow-size"),  # 320x180 -> 228x128: float32 path
        pytest.param((0.5, 0.5), id="halves"),  # integer factors: OpenCV's integer path
        pytest.param((0.5, 0.6), id="one-integer"),
        pytest.param((1.0, 0.9), id="one-axis"),
        pytest.param((1.0, 1.0), id="same-size"),
        pytest.param((1.3, 0.8), id="upscale-one-axis"),
        pytest.param((0.1, 0.1), id="thumbnail"),
    ],
)
def test_area_resized_is_opencv_area_to_the_bit(frames, scale):
    import cv2

    for image in frames:
        h, w = image.shape[:2]
        size = (max(1, round(w * scale[0])), max(1, round(h * scale[1])))
        expected = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
        got = area_resized(image, size)
        assert got.dtype == np.uint8 and got.shape == expected.shape
        assert np.array_equal(got, expected), (image.shape, size)


def test_views_are_cached_and_match_their_opencv_calls(frames):
    import cv2

    image = frames[0]
    frame = AnalysisFrame(image)
    size = (228, 128)
    small = frame.resized(size)
    assert frame.resized(size) is small
    assert np.array_equal(small, cv2.resize(image, size, interpolation=cv2.INTER_AREA))
    grey = cv2.cvtColor(cv2.resize(image, size, interpolation=cv2.INTER_AREA), cv2.COLOR_BGR2GRAY)
    assert np.array_equal(frame.resized_grey(size), grey)
