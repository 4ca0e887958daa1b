"""The bottom band of a decoded frame at a higher resolution than the samples, for OCR.

The decode pass's samples are 256 px on the short side, so a subtitle of 3 % of the frame
height (22 px at 720p, 32 px at 1080p) is ~7.7 px high there, under what the text detector
finds (~11 px). Subtitles sit in the bottom of the picture, so beside each sample the pass keeps
that band (at least `scenes.sample_band_frac` of the upright height, rounded up to the
detector's 32 px stride) at `scenes.sample_band_short_side` (the whole frame's short side,
capped at the source's): at 448 a 3 % line is 13.4 px high (10.8 px at 360p, the most a 360p
source has), in a band of 796x96 at 16:9, ~0.65x the sample's pixels. OCR reads it beside the
sample (transforms/score.py). Bright footage with thin white letters is what needs 448 rather
than 384 (bench_ocr_subtitles.py: Big Buck Bunny, plain white 24 px at 720p on 1 of 15 frames
at 384, 14 at 448).

The band is cut from the decoded frame before scaling, in one libav filter graph (crop, area
scale, BGR), so only its own pixels are scaled: ~0.2 ms per sample at 720p against 0.5 ms for
the 256 px sample and 0.8 ms for scaling the whole frame then cropping (the analysis pass of the
bench input: 1.01x CPU with the band). A rotated source is cropped on the side that becomes the
upright bottom, then turned.
"""

from __future__ import annotations

import itertools
import logging
import math

import numpy as np

from transforms.hdr import sdr_bgr

log = logging.getLogger(__name__)


# The text detector (DBNet) works on inputs whose sides are multiples of this; a band of other
# height would be resized, changing the scale it was sampled at (transforms/score.py).
DETECTOR_STRIDE_PX = 32


def band_size(
    decoded: tuple[int, int], scaled: tuple[int, int], frac: float, rotation_deg: int
) -> tuple[tuple[int, int, int, int], tuple[int, int]]:
    """(crop x, y, width, height in the decoded frame's pixels; scaled width, height) of the
    band at the bottom of the upright picture, for a decoded (stored, unrotated) frame of size
    `decoded` scaled to `scaled` (both width, height, unrotated). The band is at least `frac` of
    the upright height, its scaled height rounded up to the detector's stride; the crop's
    offset is even (on chroma samples), so it may hold a row more."""
    (w, h), (sw, sh) = decoded, scaled
    turned = rotation_deg in (90, 270)  # the upright bottom is a stored side
    full, scaled_full = (w, sw) if turned else (h, sh)
    stride = DETECTOR_STRIDE_PX
    rows = min(scaled_full, math.ceil(scaled_full * frac / stride) * stride)
    crop = min(full, max(2, round(full * rows / scaled_full / 2) * 2))
    start = 0
    if rotation_deg in (0, 90):  # the stored bottom (0) or right side (90); else top or left
        start = (full - crop) // 2 * 2
        crop = full - start
    if turned:
        return (start, 0, crop, h), (rows, sh)
    return (0, start, w, crop), (sw, rows)


class BandSampler:
    """JPEGs of the upright bottom band of decoded frames, at the scale where the whole frame
    would be `scaled` (width, height, unrotated). A frame of another size or pixel format than
    the last rebuilds the graph; a frame libav cannot crop or scale gives None (no band: OCR
    then reads the sample alone)."""

    def __init__(
        self,
        scaled: tuple[int, int],
        frac: float,
        rotation_deg: int,
        jpeg_quality: int,
        hdr: str | None = None,
    ):
        self.scaled, self.frac, self.rotation_deg = scaled, frac, rotation_deg
        self.jpeg_quality, self.hdr = jpeg_quality, hdr
        self._graph = None
        self._key: tuple | None = None

    def _build(self, frame, frac: float, scaled: tuple[int, int]) -> None:
        import av

        crop, (bw, bh) = band_size((frame.width, frame.height), scaled, frac, self.rotation_deg)
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
            # An HDR band leaves as 16-bit YUV, to be turned SDR (transforms/hdr.py).
            graph.add("format", "yuv444p16le" if self.hdr else "bgr24"),
            graph.add("buffersink"),
        ]
        for a, b in itertools.pairwise(chain):
            a.link_to(b)
        graph.configure()
        self._graph = graph

    def __call__(
        self,
        frame,
        picture: tuple[float, float] | None = None,
        scaled: tuple[int, int] | None = None,
    ) -> bytes | None:
        """The band of one decoded frame as an upright JPEG, or None. With `picture` (the top
        and bottom of the picture inside black bars, as fractions of the upright height), the
        band is `frac` of the picture's height above its bottom, and the bar below: a cut to
        the clip's crop box then leaves the picture's bottom band (`cropped_band`). `scaled`:
        the whole frame's size for this frame instead of the sampler's (so that a picture
        inside bars has the band's short side)."""
        import av
        import cv2

        from transforms.media import rotate_image

        frac = self.frac
        if picture is not None:
            top, bottom = picture
            frac = min(1.0, self.frac * (bottom - top) + (1.0 - bottom))
        key = (frame.width, frame.height, frame.format.name, frame.colorspace, frame.color_range)
        scaled = scaled or self.scaled
        key += (frac, scaled)
        try:
            if key != self._key:
                self._key = key
                self._build(frame, frac, scaled)
            self._graph.push(frame)
            band = self._graph.pull().to_ndarray()
            if self.hdr:
                band = sdr_bgr(band, self.hdr)
        except (av.FFmpegError, ValueError) as e:
            log.debug("no text band for a %s frame: %s", key, e)
            self._key = None
            return None
        band = rotate_image(band, self.rotation_deg)
        ok, jpg = cv2.imencode(".jpg", band, [cv2.IMWRITE_JPEG_QUALITY, self.jpeg_quality])
        return jpg.tobytes() if ok else None


def cropped_band(band: np.ndarray, box: list[float], frame_aspect: float) -> np.ndarray:
    """The part of a band (the full width of an upright frame of `frame_aspect` = width /
    height, down to its bottom) inside `box` ([x, y, w, h] fractions of the frame): the bottom
    of the picture a clip cropped to `box` shows, as wide as its samples and ending at their
    bottom (`band_offset`)."""
    rows, width = band.shape[:2]
    frame_rows = width / frame_aspect  # the whole frame's height at the band's scale
    top = frame_rows - rows  # the band's first row in the frame's
    x0, x1 = round(box[0] * width), round((box[0] + box[2]) * width)
    y0 = min(rows - 1, max(0, round(box[1] * frame_rows - top)))
    y1 = min(rows, max(y0 + 1, round((box[1] + box[3]) * frame_rows - top)))
    return band[y0:y1, x0:x1]


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


def text_lines(boxes: list[np.ndarray]) -> list[tuple[float, float, float, float]]:
    """Text boxes (polygons, x then y) joined into lines: (x0, y0, x1, y1) of each run of boxes
    that overlap vertically by half the lower one's height or more and lie within two line
    heights of each other horizontally (the detector splits a sentence at wide word gaps, and the
    sample's and the band's boxes of one line overlap). Boxes taller than wide are left out."""
    rects = []
    for box in boxes:
        pts = np.asarray(box, np.float32).reshape(-1, 2)
        x0, y0 = pts.min(axis=0)
        x1, y1 = pts.max(axis=0)
        if x1 - x0 >= y1 - y0 > 0:
            rects.append([float(x0), float(y0), float(x1), float(y1)])
    merged = True
    while merged:
        merged = False
        for i, j in itertools.combinations(range(len(rects)), 2):
            a, b = rects[i], rects[j]
            overlap = min(a[3], b[3]) - max(a[1], b[1])
            height = max(a[3] - a[1], b[3] - b[1])
            gap = max(a[0], b[0]) - min(a[2], b[2])
            if overlap >= 0.5 * min(a[3] - a[1], b[3] - b[1]) and gap <= 2 * height:
                rects[i] = [min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])]
                del rects[j]
                merged = True
                break
    return [tuple(r) for r in rects]


def box_tilt_deg(box: np.ndarray) -> float:
    """How far a text box's longest side (the baseline of a word box) slopes from the
    horizontal, in degrees (0-90); the detector's boxes are minimum-area rectangles, so a word
    written askew, or seen in perspective, gives a turned box."""
    pts = np.asarray(box, np.float32).reshape(-1, 2)
    sides = np.roll(pts, -1, axis=0) - pts
    dx, dy = sides[int(np.argmax(np.hypot(sides[:, 0], sides[:, 1])))]
    return float(np.degrees(np.arctan2(abs(dy), abs(dx))))


def subtitle_line(
    boxes: list[np.ndarray],
    shape: tuple[int, ...],
    band_frac: float,
    max_offcentre_frac: float,
    max_tilt_deg: float | None = None,
) -> tuple[float, float, float, float] | None:
    """The widest subtitle-shaped text line among `boxes` (polygons in the pixels of an upright
    frame of `shape`), as (x0, y0, x1, y1) fractions of the frame's width and height: a line
    whose centre lies in the top or bottom `band_frac` of the frame's height and within
    `max_offcentre_frac` of its width from the middle; None when there is none. With
    `max_tilt_deg`, boxes sloping more than that (`box_tilt_deg`) are no part of one: a
    renderer writes subtitles level, a sign in the scene is seen askew or in perspective."""
    h, w = shape[:2]
    if max_tilt_deg is not None:
        boxes = [b for b in boxes if box_tilt_deg(b) <= max_tilt_deg]
    widest = None
    for x0, y0, x1, y1 in text_lines(boxes):
        cy = (y0 + y1) / 2
        in_band = cy >= h * (1 - band_frac) or cy <= h * band_frac
        centred = abs((x0 + x1) / 2 - w / 2) <= max_offcentre_frac * w
        if in_band and centred and (widest is None or x1 - x0 > (widest[2] - widest[0]) * w):
            widest = (x0 / w, y0 / h, x1 / w, y1 / h)
    return widest


def subtitle_width_frac(
    boxes: list[np.ndarray], shape: tuple[int, ...], band_frac: float, max_offcentre_frac: float
) -> float:
    """The width, as a share of the frame's, of the widest subtitle-shaped line among `boxes`
    (`subtitle_line`); 0 when there is none."""
    line = subtitle_line(boxes, shape, band_frac, max_offcentre_frac)
    return 0.0 if line is None else line[2] - line[0]


def held_edge(line: tuple[float, float, float, float]) -> tuple[bool, float]:
    """(in the bottom half, the edge a subtitle renderer holds fixed) of a `subtitle_line`:
    the bottom edge of a line in the bottom half, the top edge of one in the top half (a
    subtitle line's height changes with its letters, ascenders and descenders)."""
    bottom = (line[1] + line[3]) / 2 >= 0.5
    return bottom, line[3] if bottom else line[1]


def lines_spread(lines: list[tuple[float, float, float, float] | None]) -> float:
    """How far apart the held edges (`held_edge`) of the last of `lines` and the earlier lines
    in the same half of the frame lie, as a share of the frame's height (0 for no line): a
    subtitle keeps its band while its text changes, a sign filmed in the scene moves with the
    camera."""
    if not lines or lines[-1] is None:
        return 0.0
    half, _ = held_edge(lines[-1])
    edges = [e for b, e in (held_edge(line) for line in lines if line) if b == half]
    return max(edges) - min(edges)
