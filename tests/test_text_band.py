"""The samples' text bands: the upright bottom of the frame at a higher resolution, for OCR."""

import dataclasses

import cv2
import numpy as np
import pytest

from tests.conftest import make_video
from transforms.media import rotate_image
from transforms.probe import probe_file
from transforms.scenes import analyze_video
from transforms.score import decode_jpeg
from transforms.text_band import BandSampler, band_offset, band_size, boxes_in_sample


@pytest.fixture(scope="module")
def video_720p(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("band")
    return make_video(
        tmp / "720p.mp4", "-f", "lavfi", "-i", "testsrc2=s=1280x720:r=30", "-t", "2",
        "-pix_fmt", "yuv420p",
    )  # fmt: skip


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_band_is_the_bottom_of_the_upright_frame(rotation):
    import av

    with av.open("../shared/testdata/real/cockatoo.mp4") as container:  # 1280x720
        frame = next(container.decode(video=0))
    band = decode_jpeg(BandSampler((640, 360), 0.25, rotation, 90)(frame))
    upright = rotate_image(frame.to_ndarray(format="bgr24"), rotation)
    h, w = upright.shape[:2]
    whole = cv2.resize(upright, (w // 2, h // 2), interpolation=cv2.INTER_AREA).astype(int)
    rows = band.shape[0]
    # At least a quarter of the upright height, the full width.
    assert rows >= whole.shape[0] // 4 and band.shape[1:] == (whole.shape[1], 3), band.shape

    def off(a):
        return np.abs(band - a).mean()

    # The bottom quarter to the pixel: 8 rows higher, or the top, is far off.
    assert off(whole[-rows:]) < 2 and off(whole[-rows - 8 : -8]) > 5 and off(whole[:rows]) > 50


def test_band_geometry_rounds_the_band_up_to_the_detector_stride_on_even_offsets():
    # 720p at 448: 20 % is 89.6 rows, 96 (a 154-row crop, 21.4 %) on the detector's stride.
    assert band_size((1280, 720), (796, 448), 0.2, 0) == ((0, 566, 1280, 154), (796, 96))
    assert band_size((1280, 720), (796, 448), 0.2, 180) == ((0, 0, 1280, 154), (796, 96))
    # Turned a quarter: the upright height is the stored width (796 scaled: 160 rows).
    assert band_size((1280, 720), (796, 448), 0.2, 90) == ((1022, 0, 258, 720), (160, 448))
    assert band_size((1280, 720), (796, 448), 0.2, 270) == ((0, 0, 258, 720), (160, 448))
    # 360p at its own size: 72 rows would be 20 %, 96 (26.7 %).
    assert band_size((640, 360), (640, 360), 0.2, 0) == ((0, 264, 640, 96), (640, 96))
    # An odd height: the crop starts on an even row, a row taller.
    assert band_size((703, 405), (703, 405), 0.2, 0) == ((0, 308, 703, 97), (703, 96))
    # A box in the band lands on the same place of the sample (456x256 of the same frame).
    scale, top = band_offset((256, 456, 3), (96, 682, 3))
    box = np.array([[[0, 0], [682, 0], [682, 96], [0, 96]]], np.float32)
    assert np.allclose(
        boxes_in_sample(box, scale, top), [[[0, 192], [456, 192], [456, 256], [0, 256]]], atol=0.5
    )


def test_decode_pass_keeps_a_band_per_sample_only_where_it_is_sharper(video_720p, tmp_path, config):
    info = probe_file(str(video_720p), str(video_720p), config.probe)
    analysis = analyze_video(str(video_720p), info, config.scenes)
    assert len(analysis.sample_bands_jpg) == len(analysis.samples_jpg) == 4
    assert {decode_jpeg(b).shape for b in analysis.sample_bands_jpg} == {(96, 796, 3)}
    # The samples themselves are the same with the band off.
    off = dataclasses.replace(config.scenes, sample_band_short_side=None)
    plain = analyze_video(str(video_720p), info, off)
    assert plain.samples_jpg == analysis.samples_jpg
    assert plain.sample_bands_jpg == [None] * 4
    # Non-square pixels: PAL 720x576 at 64:45 is 1024x576 on screen, its band 16:9 too.
    pal = make_video(
        tmp_path / "pal.mp4", "-f", "lavfi", "-i", "testsrc2=s=720x576:r=25", "-t", "1",
        "-vf", "setsar=64/45", "-pix_fmt", "yuv420p",
    )  # fmt: skip
    info = probe_file(str(pal), str(pal), config.probe)
    bands = analyze_video(str(pal), info, config.scenes).sample_bands_jpg
    assert {decode_jpeg(b).shape for b in bands} == {(96, 796, 3)}
    # A source no sharper than the samples (256 px on its short side at most) gets none.
    small = make_video(
        tmp_path / "small.mp4", "-f", "lavfi", "-i", "testsrc2=s=320x240:r=30", "-t", "1"
    )
    info = probe_file(str(small), str(small), config.probe)
    assert analyze_video(str(small), info, config.scenes).sample_bands_jpg == [None] * 2
