"""HDR sources (BT.2020 with the PQ or HLG transfer) seen and written as SDR BT.709.

Training corpora are SDR: an HDR picture read as if it were BT.709 is flat and grey (a PQ
version of real footage: mean level 76 of 255 against 111), which skews brightness, blur and
scene scores and the encoded clips alike. Re-encodes run ffmpeg's zscale + tonemap chain
(`sdr_chain`); the decode pass, whose libav has no zscale, applies the same steps to its
small frames in numpy (`sdr_bgr`): BT.2020 YUV to R'G'B', the transfer's inverse to linear
light (100 nits = 1), BT.2020 to BT.709 primaries, ffmpeg's `mobius` tone map on the largest
component (linear up to `MOBIUS_KNEE`, smoothly compressed up to `PEAK`, colours scaled with
it), BT.1886's inverse (display light to a BT.709 signal). numpy and OpenCV, no Beam.
"""

from __future__ import annotations

import functools

import numpy as np

# AVColorTransferCharacteristic numbers of HDR video, by their zscale names
TRANSFERS = {16: "smpte2084", 18: "arib-std-b67"}
PEAK = 10.0  # signal peak the tone map compresses to white, x 100 nits (1000-nit masters)
MOBIUS_KNEE = 0.3  # ffmpeg tonemap's default `param` for mobius: linear below this

# BT.2020 to BT.709 primaries, in linear light (ITU-R BT.2087)
BT2020_TO_BT709 = np.array(
    [
        [1.6605, -0.5876, -0.0728],
        [-0.1246, 1.1329, -0.0083],
        [-0.0182, -0.1006, 1.1187],
    ],
    dtype=np.float32,
)
KR, KB = 0.2627, 0.0593  # BT.2020 non-constant-luminance luma weights


def hdr_transfer(color_trc) -> str | None:
    """ "smpte2084" (PQ) or "arib-std-b67" (HLG) for an HDR colour transfer number, else None."""
    return TRANSFERS.get(int(color_trc)) if color_trc is not None else None


def sdr_chain(transfer: str) -> str:
    """The ffmpeg filters that turn HDR frames into SDR BT.709 (limited-range YUV out)."""
    return (
        f"zscale=tin={transfer}:min=2020_ncl:pin=2020:rin=tv:t=linear:npl=100,"
        "format=gbrpf32le,zscale=p=bt709,"
        f"tonemap=tonemap=mobius:param={MOBIUS_KNEE}:desat=0:peak={PEAK:g},"
        "zscale=t=bt709:m=bt709:r=tv"
    )


def _pq_to_linear(e: np.ndarray) -> np.ndarray:
    """SMPTE ST 2084 EOTF: signal in [0, 1] to light, 100 nits = 1."""
    m1, m2 = 2610 / 16384, 2523 / 4096 * 128
    c1, c2, c3 = 3424 / 4096, 2413 / 4096 * 32, 2392 / 4096 * 32
    p = np.power(np.clip(e, 0, 1), 1 / m2)
    return 100.0 * np.power(np.maximum(p - c1, 0) / (c2 - c3 * p), 1 / m1)


def _hlg_to_scene(e: np.ndarray) -> np.ndarray:
    """BT.2100 HLG inverse OETF: signal in [0, 1] to scene light in [0, 1]."""
    a, b, c = 0.17883277, 0.28466892, 0.55991073
    e = np.clip(e, 0, 1)
    return np.where(e <= 0.5, e * e / 3, (np.exp((e - c) / a) + b) / 12)


@functools.lru_cache(maxsize=2)
def _signal_lut(transfer: str) -> np.ndarray:
    """The transfer's inverse (PQ: to display light; HLG: to scene light) at 65536 levels."""
    levels = np.linspace(0, 1, 65536, dtype=np.float64)
    curve = _pq_to_linear(levels) if transfer == "smpte2084" else _hlg_to_scene(levels)
    return curve.astype(np.float32)


def _to_linear(signal: np.ndarray, transfer: str) -> np.ndarray:
    """R'G'B' in [0, 1] to display light (100 nits = 1), through a look-up table."""
    light = _signal_lut(transfer)[(np.clip(signal, 0, 1) * 65535 + 0.5).astype(np.uint16)]
    return light if transfer == "smpte2084" else _hlg_ootf(light)


def _hlg_ootf(scene: np.ndarray) -> np.ndarray:
    """HLG scene light to display light on a 1000-nit display (100 nits = 1), as zscale does:
    gamma 1.2 on the scene's luminance."""
    luminance = scene @ np.array([KR, 1 - KR - KB, KB], dtype=np.float32)
    return 10.0 * np.power(np.maximum(luminance, 1e-9), 0.2)[..., None] * scene


def _mobius(sig: np.ndarray, j: float, peak: float) -> np.ndarray:
    a = -j * j * (peak - 1) / (j * j - 2 * j + peak)
    b = (j * j - 2 * j * peak + peak) / max(peak - 1, 1e-6)
    curve = (b * b + 2 * b * j + j * j) / (b - a) * (sig + a) / (sig + b)
    return np.where(sig <= j, sig, curve)


def _yuv_to_rgb() -> np.ndarray:
    """The 3x4 affine map from limited-range 16-bit BT.2020 Y, Cb, Cr to R'G'B' in [0, 1]."""
    columns = []
    for y, cb, cr in ((1, 0, 0), (0, 1, 0), (0, 0, 1), (0, 0, 0)):
        r = y + 2 * (1 - KR) * cr
        b = y + 2 * (1 - KB) * cb
        g = (y - KR * r - KB * b) / (1 - KR - KB)
        columns.append((r, g, b))
    linear = np.array(columns[:3], dtype=np.float64).T  # R'G'B' per unit of Y, Cb, Cr
    scale = np.diag([1 / (60160 - 4096), 1 / (61440 - 4096), 1 / (61440 - 4096)])
    offset = -linear @ scale @ np.array([4096, 32768, 32768])
    return np.hstack([linear @ scale, offset[:, None]]).astype(np.float32)


YUV_TO_RGB = _yuv_to_rgb()
BT2020_TO_BT709_BGR = BT2020_TO_BT709[::-1].copy()  # rows in OpenCV's B, G, R order


def sdr_bgr(yuv: np.ndarray, transfer: str) -> np.ndarray:
    """An HDR frame as limited-range 16-bit YUV 4:4:4 (height x width x 3, what libav's
    yuv444p16le gives) to an SDR BT.709 BGR image (uint8)."""
    import cv2

    rgb = cv2.transform(yuv.astype(np.float32), YUV_TO_RGB)
    light = cv2.transform(_to_linear(rgb, transfer), BT2020_TO_BT709_BGR)
    np.maximum(light, 0, out=light)
    # the largest component (two maximums: numpy's max over a last axis of 3 is ~20x slower)
    sig = np.maximum(np.maximum(light[..., 0], light[..., 1]), light[..., 2])
    sig = np.maximum(sig, 1e-6)[..., None]
    light *= _mobius(sig, MOBIUS_KNEE, PEAK) / sig
    # BT.1886's inverse (gamma 1/2.4): display light to a BT.709 signal, as zscale converts
    # display-referred light (not the camera's BT.709 OETF)
    out = cv2.pow(np.minimum(light, 1.0), 1 / 2.4) * 255.0 + 0.5
    return out.astype(np.uint8)


def sdr_frame(reformatter, frame, width: int, height: int, transfer: str) -> np.ndarray:
    """A decoded HDR frame scaled to (width, height) in libav and turned SDR (`sdr_bgr`)."""
    small = reformatter.reformat(
        frame, width, height, "yuv444p16le", interpolation="AREA", threads=1
    )
    return sdr_bgr(small.to_ndarray(), transfer)
