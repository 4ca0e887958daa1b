"""The bottom band of a decoded frame at a higher resolution than the samples, for OCR.

The decode pass's samples are 256 px on the short side, so a subtitle of 3 % of the frame
height (22 px at 720p, 32 px at 1080p) is ~7.7 px high there, under what the text detector
finds (~11 px). Subtitles sit in the bottom of the picture, so beside each sample the pass keeps
that band (`scenes.sample_band_frac` of the upright height) at `scenes.sample_band_short_side`
(the whole frame's short side, capped at the source's): a 3 % line is then 11.5 px high at 384
(10.8 px at 360p, the most a 360p source has), for ~0.4x the pixels of the sample. OCR reads it
where the sample's text map hints at something there (transforms/score.py).

The band is cut from the decoded frame before scaling, in one libav filter graph (crop, area
scale, BGR), so only its own pixels are scaled: 0.2 ms per sample at 720p against 0.5 ms for
the 256 px sample and 0.8 ms for scaling the whole frame at 384 then cropping. A rotated source
is cropped on the side that becomes the upright bottom, then turned.
"""

from __future__ import annotations

import logging
import numpy as np

log = logging.getLogger(__name__)


def band_size(
    decoded: tuple[int, int], scaled: tuple[int, int], frac: float, rotation_deg: int
) -> tuple[tuple[int, int, int, int], tuple[int, int]]:
    """(crop x, y, width, height in the decoded frame's pixels; scaled width, height) of the
    band that is the bottom `frac` of the upright picture, for a decoded (stored, unrotated)
    frame of size `decoded` scaled to `scaled` (both width, height, unrotated). Crop offsets and
    offsets are even, so they fall on chroma samples (a band of an odd-sized frame then has a
    row or column more)."""
    (w, h), (sw, sh) = decoded, scaled
    if rotation_deg in (90, 270):  # the upright bottom is a stored side: right (90) or left
        cw = min(w, max(2, round(w * frac / 2) * 2))
        x = (w - cw) // 2 * 2 if rotation_deg == 90 else 0
        cw = w - x if rotation_deg == 90 else cw
        return (x, 0, cw, h), (max(2, round(sw * cw / w)), sh)
    ch = min(h, max(2, round(h * frac / 2) * 2))
    y = (h - ch) // 2 * 2 if rotation_deg == 0 else 0  # 180: the stored top
    ch = h - y if rotation_deg == 0 else ch
    return (0, y, w, ch), (sw, max(2, round(sh * ch / h)))


class BandSampler:
    """JPEGs of the upright bottom band of decoded frames, at the scale where the whole frame
    would be `scaled` (width, height, unrotated). A frame of another size or pixel format than
    the last rebuilds the graph; a frame libav cannot crop or scale gives None (no band: OCR
    then reads the sample alone)."""

    def __init__(
        self, scaled: tuple[int, int], frac: float, rotation_deg: int, jpeg_quality: int
    ):
        self.scaled, self.frac, self.rotation_deg = scaled, frac, rotation_deg
        self.jpeg_quality = jpeg_quality
        self._graph = None
        self._key: tuple | None = None

    def _build(self, frame) -> None:
        import av

        crop, (bw, bh) = band_size(
            (frame.width, frame.height), self.scaled, self.frac, self.rotation_deg
        )
        graph = av.filter.Graph()
        graph.threads = 1  # a few ten thousand pixels: slice threads cost more than they save
        # The frame's colour space and range, or libav warns of a change on every frame.
        source = graph.add(
            "buffer",
            f"video_size={frame.width}x{frame.height}:pix_fmt={frame.format.name}"
            f":time_base=1/90000:pixel_aspect=1/1:colorspace={int(frame.colorspace)}"
            f":range={int(frame.color_range)}",
        )
        chain = [
            source,
            graph.add("crop", "{}:{}:{}:{}:exact=1".format(*crop[2:], *crop[:2])),
            # The area filter, as the samples are scaled (transforms/scenes.py).
            graph.add("scale", f"{bw}:{bh}:flags=area"),
            graph.add("format", "bgr24"),
            graph.add("buffersink"),
        ]
        for a, b in zip(chain, chain[1:], strict=False):
            a.link_to(b)
        graph.configure()
        self._graph = graph

    def __call__(self, frame) -> bytes | None:
        """The band of one decoded frame as an upright JPEG, or None."""
        import av
        import cv2

        from transforms.media import rotate_image

        key = (frame.width, frame.height, frame.format.name, frame.colorspace, frame.color_range)
        try:
            if key != self._key:
                self._key = key
                self._build(frame)
            self._graph.push(frame)
            band = self._graph.pull().to_ndarray()
        except (av.FFmpegError, ValueError) as e:
            log.debug("no text band for a %s frame: %s", key, e)
            self._key = None
            return None
        band = rotate_image(band, self.rotation_deg)
        ok, jpg = cv2.imencode(".jpg", band, [cv2.IMWRITE_JPEG_QUALITY, self.jpeg_quality])
        return jpg.tobytes() if ok else None


def band_offset(sample_shape: tuple[int, ...], band_shape: tuple[int, ...]) -> tuple[float, float]:
    """(scale, top row) that map the band's pixels into a sample of the same frame: both are
    upright with square pixels and the band spans the sample's width down to its bottom."""
    scale = sample_shape[1] / band_shape[1]
    return scale, sample_shape[0] - band_shape[0] * scale


def boxes_in_sample(boxes: np.ndarray, scale: float, top: float) -> np.ndarray:
    """Band text boxes (N x 4 x 2, x then y) in the sample's pixels."""
    out = np.asarray(boxes, np.float32) * np.float32(scale)
    out[..., 1] += np.float32(top)
    return out
