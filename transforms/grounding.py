"""Grounding: what the measured motion tells the captioner, and captions that contradict it.

The decode pass measures the camera's motion (`camera_motion`: static, pan_left, ... complex)
and counts tracked moving objects. A caption prompt may pass both as hints, and caption QA
flags a caption whose camera claim contradicts the measurement ("a static shot" on a clip
measured as a pan), in either language. Only explicit camera phrases count: a caption that
says nothing of the camera contradicts nothing.
"""

from __future__ import annotations

import re

# Camera phrases per language, by the motion they claim. English phrases are matched as
# words, Chinese ones as substrings.
CAMERA_PHRASES_EN = {
    "static": (
        "static camera", "static shot", "stationary camera", "fixed camera", "locked-off",
        "camera remains still", "camera stays still", "camera is still", "camera does not move",
        "camera doesn't move", "tripod shot", "camera remains stationary",
    ),
    "pan": ("camera pans", "panning", "pans left", "pans right", "pan across", "camera sweeps"),
    "tilt": ("camera tilts", "tilting up", "tilting down", "tilts up", "tilts down"),
    "zoom": ("zooms in", "zooms out", "zooming in", "zooming out", "camera zooms", "zoom in",
             "zoom out"),
}  # fmt: skip
CAMERA_PHRASES_ZH = {
    "static": (
        "固定镜头", "镜头固定", "镜头静止", "静止镜头", "镜头保持不动", "镜头不动", "机位固定",
    ),
    "pan": ("镜头平移", "摇镜头", "镜头向左", "镜头向右", "水平移动的镜头", "横摇"),
    "tilt": ("镜头上摇", "镜头下摇", "镜头向上", "镜头向下", "俯仰", "纵摇"),
    "zoom": ("推镜头", "拉镜头", "镜头拉近", "镜头拉远", "变焦", "放大画面", "镜头推进"),
}  # fmt: skip

HINT_NAMES = {
    "static": "a static camera",
    "pan_left": "the camera panning left",
    "pan_right": "the camera panning right",
    "tilt_up": "the camera tilting up",
    "tilt_down": "the camera tilting down",
    "zoom_in": "the camera zooming in",
    "zoom_out": "the camera zooming out",
    "complex": "a moving camera",
}


def claimed_camera(caption_en: str | None, caption_zh: str | None) -> set[str]:
    """The camera motions ('static', 'pan', 'tilt', 'zoom') a caption pair claims."""
    claims = set()
    text = (caption_en or "").lower()
    for kind, phrases in CAMERA_PHRASES_EN.items():
        if any(re.search(rf"\b{re.escape(p)}\b", text) for p in phrases):
            claims.add(kind)
    zh = caption_zh or ""
    for kind, phrases in CAMERA_PHRASES_ZH.items():
        if any(p in zh for p in phrases):
            claims.add(kind)
    return claims


def camera_contradiction(
    caption_en: str | None, caption_zh: str | None, camera_motion: str | None
) -> str | None:
    """Evidence like `camera_mismatch:static|pan_left` when a caption's claim is contradicted.

    A claimed static camera contradicts any measured motion but `complex` (which may be shake
    or a subject filling the frame); a claimed pan, tilt or zoom contradicts a measured static
    camera. `complex` and unknown measurements contradict nothing.
    """
    if not camera_motion or camera_motion == "complex":
        return None
    claims = claimed_camera(caption_en, caption_zh)
    if not claims:
        return None
    measured_moving = camera_motion != "static"
    if "static" in claims and measured_moving and not (claims - {"static"}):
        return f"camera_mismatch:static|{camera_motion}"
    if not measured_moving and claims - {"static"}:
        return f"camera_mismatch:{'+'.join(sorted(claims - {'static'}))}|static"
    return None


def prompt_hints(camera_motion: str | None, n_tracks: int | None) -> str:
    """One sentence of measured facts for a caption prompt (empty when nothing is known)."""
    parts = []
    if camera_motion in HINT_NAMES:
        parts.append(f"the measured camera motion is {HINT_NAMES[camera_motion]}")
    if n_tracks is not None:
        parts.append(
            "no object moves on its own"
            if n_tracks == 0
            else f"{n_tracks} object{'s' if n_tracks > 1 else ''} move on their own"
        )
    if not parts:
        return ""
    return "Measured in this clip: " + "; ".join(parts) + ". Do not contradict these facts."
