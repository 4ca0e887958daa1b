"""Strips: the first, middle and last frame of a clip, side by side, as one small JPEG.

A single middle frame hides a cut or a fade inside a clip; three frames show it. Kept clips are
read from what the run wrote, the `{clip_id}.mp4` in their shard (each shard read once, as a
stream, up to the last clip wanted). Dropped clips have no media, so their frames are read from
their source: PyAV seeks to each of the three times of the clip's span and decodes forward to
it, so only a few GOPs are decoded per clip. Both happen only for the report's bounded sample.
"""

from __future__ import annotations

import base64
import io
import logging
import os
import tarfile
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

from apache_beam.io.filesystems import FileSystems

from transforms.media import MediaError, file_url, local_copy, open_options, upright_rotation

log = logging.getLogger(__name__)
GAP_PX = 2


def strip_times(start_s: float, end_s: float, fps: float | None) -> list[float]:
    """First, middle and last frame times of [start_s, end_s)."""
    frame = 1.0 / fps if fps else 0.04
    last = max(start_s, end_s - frame)
    return [start_s, (start_s + last) / 2, last]


def frames_at(
    path: str,
    times_s: list[float],
    allowed_formats: list[str],
    height_px: int,
    rotation: int | None = None,
    sample_aspect_ratio: float | None = None,
) -> list:
    """PIL images, upright and with square pixels, of the frames shown at `times_s`."""
    import av
    from PIL import Image

    try:
        container = av.open(file_url(path), options=open_options(allowed_formats))
    except av.FFmpegError as e:
        raise MediaError("corrupt_container", str(e)) from e
    images = []
    with container:
        stream = container.streams.video[0]
        # One decoder thread: strips are made several at once (make_strips), and a known
        # output delay lets non-reference frames far from a target be skipped (_decode_to).
        stream.codec_context.thread_count = 1
        base = stream.time_base
        start = float(stream.start_time * base) if stream.start_time is not None else 0.0
        sar = sample_aspect_ratio or float(stream.codec_context.sample_aspect_ratio or 1) or 1.0
        targets = sorted(times_s)
        try:
            keys = keyframes(container, stream, start, targets[0], targets[-1])
            plan = seek_plan(keys, targets)
            chosen_frames, previous = _decode_to(container, stream, targets, plan, start)
        except av.FFmpegError as e:
            raise MediaError("undecodable", str(e)) from e
        if previous is None:
            raise MediaError("no_frame", f"no frame at {targets[0]:.2f}s")
        chosen_frames += [previous] * (len(targets) - len(chosen_frames))  # past the end: last
        for chosen in chosen_frames:
            turn = rotation if rotation is not None else upright_rotation(chosen.rotation or 0)
            width = max(1, round(chosen.width * sar))
            up_w, up_h = (chosen.height, width) if turn in (90, 270) else (width, chosen.height)
            out_h = height_px
            out_w = max(1, round(up_w * height_px / up_h))
            dec_w, dec_h = (out_h, out_w) if turn in (90, 270) else (out_w, out_h)
            image = chosen.reformat(width=dec_w, height=dec_h, format="rgb24").to_image()
            if turn:
                image = image.transpose(
                    {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180,
                     270: Image.Transpose.ROTATE_90}[turn]
                )  # fmt: skip
            images.append(image)
    return images


def keyframes(container, stream, start_s: float, first_s: float, last_s: float) -> list:
    """(time, pts) of the keyframes from the one at or before `first_s` to `last_s`, read from
    the packets (no decoding); empty when the container does not say."""
    base = stream.time_base
    container.seek(max(0, int((start_s + first_s) / base)), stream=stream, backward=True)
    found = []
    for packet in container.demux(stream):
        if packet.pts is None:
            continue
        t_s = float(packet.pts * base) - start_s
        if packet.is_keyframe:
            found.append((t_s, packet.pts))
        stamp = packet.dts if packet.dts is not None else packet.pts
        if float(stamp * base) - start_s > last_s + 1.0:  # past the last target, reorder too
            break
    return found


def seek_plan(keys: list, targets_s: list[float]) -> list:
    """Per target (sorted): the keyframe pts to seek to before decoding on to it, or None to
    decode on from the target before. A keyframe between two targets is sought to, so the
    frames between them are not decoded; without one, decoding goes on (a seek would decode
    the same GOP again). The first target always seeks (to its time when no keyframe is
    known: the demuxer then finds the keyframe before it)."""
    plan, reached = [], None
    for t_s in targets_s:
        key = max((k for k in keys if k[0] <= t_s + 1e-3), default=None)
        if reached is None:
            plan.append(key[1] if key else ("time", t_s))
        elif key is not None and key[0] > reached + 1e-3:
            plan.append(key[1])
        else:
            plan.append(None)
        reached = t_s
    return plan


def _decode_to(container, stream, targets_s: list[float], plan: list, start_s: float):
    """The frames shown at `targets_s` following `plan` (seek_plan), and the last decoded
    frame; fewer frames than targets when the stream ends first."""
    codec, base = stream.codec_context, stream.time_base
    rate = float(stream.average_rate or stream.guessed_rate or 30)
    # Farther than this before the next target, a frame no other frame refers to is not
    # decoded at all; it covers the decoder's reorder delay (at most 16 frames) with room.
    skip_before_s = 24 / rate
    chosen, previous, i = [], None, 0
    while i < len(targets_s):
        seek = plan[i]
        if isinstance(seek, tuple):
            seek = max(0, int((start_s + seek[1]) / base))
        container.seek(seek, stream=stream, backward=True)
        codec.skip_frame = "DEFAULT"
        stop = next(j for j in range(i + 1, len(targets_s) + 1)
                    if j == len(targets_s) or plan[j] is not None)  # fmt: skip
        ended = True
        try:
            for frame in container.decode(stream):
                if frame.pts is None:
                    continue
                t_s = float(frame.pts * base) - start_s
                while len(chosen) < stop and t_s >= targets_s[len(chosen)] - 1e-3:
                    chosen.append(frame)
                previous = frame
                if len(chosen) == stop:
                    ended = False
                    break
                far = targets_s[len(chosen)] - t_s > skip_before_s
                codec.skip_frame = "NONREF" if far else "DEFAULT"
        except av_error() as e:
            if previous is None:
                raise
            log.info("report: decoding stopped early: %s", e)
        if ended:
            break
        i = stop
    return chosen, previous


def av_error():
    import av

    return av.FFmpegError


def strip_jpeg(images: list, quality: int = 72) -> bytes:
    from PIL import Image

    width = sum(i.width for i in images) + GAP_PX * (len(images) - 1)
    strip = Image.new("RGB", (width, max(i.height for i in images)), "white")
    x = 0
    for image in images:
        strip.paste(image, (x, 0))
        x += image.width + GAP_PX
    buffer = io.BytesIO()
    strip.save(buffer, "JPEG", quality=quality, optimize=True)
    return buffer.getvalue()


def _shard_media(out_dir: str, wanted: dict[str, str]) -> dict[str, bytes]:
    """clip_id -> mp4 bytes for `wanted` (clip_id -> shard name), each shard streamed once."""
    found: dict[str, bytes] = {}
    by_shard: dict[str, set[str]] = {}
    for clip_id, shard in wanted.items():
        by_shard.setdefault(shard, set()).add(clip_id)
    for shard, ids in sorted(by_shard.items()):
        path = FileSystems.join(out_dir, "shards", shard)
        try:
            with FileSystems.open(path) as f, tarfile.open(fileobj=f, mode="r|") as tar:
                for member in tar:
                    key, _, ext = member.name.partition(".")
                    if ext == "mp4" and key in ids:
                        found[key] = tar.extractfile(member).read()
                        ids.discard(key)
                        if not ids:
                            break
        except (OSError, tarfile.TarError) as e:
            log.warning("report: cannot read shard %s: %s", shard, e)
    return found


def make_strips(
    out_dir: str,
    clips: Iterable[dict],
    allowed_formats: list[str],
    height_px: int,
) -> dict[str, tuple[str | None, str]]:
    """clip_id -> (JPEG as a data: URI or None, where the frames came from or why none).

    A kept clip with a shard is read from its encoded mp4; any other clip from its source span.
    """
    import av

    clips = {c["clip_id"]: c for c in clips}
    encoded = _shard_media(
        out_dir, {i: c["shard"] for i, c in clips.items() if c["status"] == "kept" and c["shard"]}
    )

    def strip(clip_id: str, clip: dict) -> tuple[str | None, str]:
        try:
            if clip_id in encoded:
                with tempfile.NamedTemporaryFile(suffix=".mp4") as tmp:
                    tmp.write(encoded[clip_id])
                    tmp.flush()
                    times = strip_times(0.0, clip["end_s"] - clip["start_s"], clip.get("out_fps"))
                    # the encoded clip is upright with square pixels already
                    images = frames_at(tmp.name, times, ["mov", "mp4"], height_px, 0, 1.0)
                origin = "encoded clip in " + clip["shard"]
            else:
                with local_copy(clip["source"]) as path:
                    images = frames_at(
                        path,
                        strip_times(clip["start_s"], clip["end_s"], clip.get("fps")),
                        allowed_formats,
                        height_px,
                        clip.get("rotation"),
                        clip.get("sample_aspect_ratio"),
                    )
                origin = "source span"
            data = base64.b64encode(strip_jpeg(images)).decode()
            return f"data:image/jpeg;base64,{data}", origin
        except (MediaError, OSError, ValueError, av.FFmpegError) as e:
            reason = getattr(e, "error", None) or type(e).__name__
            log.info("report: no strip for %s (%s): %s", clip_id, clip["source"], e)
            return None, f"no frames: {reason}"

    # PyAV decodes without the GIL: a few clips at once use the machine's cores
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        futures = {i: pool.submit(strip, i, c) for i, c in sorted(clips.items())}
        return {i: f.result() for i, f in futures.items()}
