"""OCR and aesthetics on the frames sampled in the decode pass, and the ScoreClips stage."""

import dataclasses
import logging
import math

import apache_beam as beam
import numpy as np
import pytest
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from schemas import Clip
from tests.conftest import make_video
from transforms import signatures as sig
from transforms.dedup import DedupConfig, sign_clip
from transforms.dedup_settled import better_matches, in_rank_order, settled_by
from transforms.probe import probe_file
from transforms.scenes import analyze_video, build_clips
from transforms.score import (
    DROPPED,
    AestheticConfig,
    AestheticScorer,
    OcrConfig,
    OcrScorer,
    ScoreClips,
    aesthetic_handler,
    load_aesthetic_head,
    log_availability,
    make_aesthetic_head,
    rapidocr_engine,
    text_votes_decided,
)

TEXT = "drawtext=text='BREAKING NEWS 24':fontsize=44:fontcolor=white:box=1:boxcolor=black:x=30:y=40"


def sampled_clip(path, config):
    info = probe_file(str(path), str(path), config.probe)
    analysis = analyze_video(str(path), info, config.scenes)
    (sampled,) = build_clips(info, analysis, config.scenes, config.clips)
    return sampled


@pytest.fixture(scope="module")
def clips(tmp_path_factory, config):
    tmp = tmp_path_factory.mktemp("score")
    src = ("-f", "lavfi", "-i", "mandelbrot=s=640x360:r=30", "-t", "3")  # no text of its own
    plain = make_video(tmp / "plain.mp4", *src)
    text = make_video(tmp / "text.mp4", *src, "-vf", TEXT)
    return sampled_clip(plain, config), sampled_clip(text, config)


def test_ocr_finds_rendered_text_and_not_in_plain_frames(clips):
    plain, text = clips
    detect = OcrScorer(OcrConfig())
    assert detect.score(plain)["text_area_fracs"] == [0.0] * 5
    found = detect.score(text)
    assert all(0.02 < a < 0.2 for a in found["text_area_fracs"]), found
    assert "ocr_text" not in found  # recognition only when asked

    read = OcrScorer(OcrConfig(recognize_text=True)).score(text)
    assert "BREAKINGNEWS" in "".join(read["ocr_text"].split()), read


VERTICAL = (
    "transpose=1,drawtext=text='VERTICAL BANNER':fontsize=40:fontcolor=white:box=1"
    ":boxcolor=black:x=20:y=20,transpose=2"
)


def test_ocr_finds_vertical_text_and_turns_only_frames_with_a_response(
    clips, tmp_path, config, monkeypatch
):
    plain, _ = clips
    src = ("-f", "lavfi", "-i", "mandelbrot=s=640x360:r=30", "-t", "3")
    vertical = sampled_clip(make_video(tmp_path / "vertical.mp4", *src, "-vf", VERTICAL), config)
    calls = []
    boxes = OcrScorer._boxes
    monkeypatch.setattr(
        OcrScorer, "_boxes", lambda self, im: calls.append(im.shape) or boxes(self, im)
    )

    detect = OcrScorer(OcrConfig())
    found = detect.score(vertical)["text_area_fracs"]
    assert all(0.02 < a < 0.2 for a in found), found  # text running down the frame
    # Every frame turned (the letters light up the upright map); each frame's text band too
    # (on the band's thread, so in any order beside the sample's).
    assert sorted(calls) == sorted([(256, 456, 3), (456, 256, 3), (96, 640, 3)] * 5), calls
    assert OcrScorer(OcrConfig(vertical=False)).score(vertical)["text_area_fracs"] == [0.0] * 5
    calls.clear()
    assert detect.score(plain)["text_area_fracs"] == [0.0] * 5
    assert sorted(calls) == sorted([(256, 456, 3), (96, 640, 3)] * 5), calls  # no turn
    # Turning every frame finds the same.
    assert (
        OcrScorer(OcrConfig(vertical_min_response=0.0)).score(vertical)["text_area_fracs"] == found
    )


def test_folded_detector_graph_scores_as_the_shipped_one(clips):
    """ocr.fold_graphs (transforms/ocr_graph.py) changes the cost, not the scores."""
    for sampled in clips:
        folded = OcrScorer(OcrConfig(early_stop=False)).score(sampled)
        shipped = OcrScorer(OcrConfig(early_stop=False, fold_graphs=False)).score(sampled)
        assert folded == shipped


def test_direct_detection_matches_rapidocr_per_image_call(clips):
    import cv2

    from transforms.score import decode_jpeg

    _, text = clips
    detect = OcrScorer(OcrConfig())
    assert detect.engine is None  # no recognition or direction model loaded for detection
    engine = rapidocr_engine(OcrConfig())
    for jpg in text.frames_jpg[::4]:
        image = decode_jpeg(jpg)
        result, _ = engine(image, use_det=True, use_cls=False, use_rec=False)
        expected = np.zeros(image.shape[:2], np.uint8)
        cv2.fillPoly(expected, [np.round(np.asarray(b)).astype(np.int32) for b in result], 1)
        mask, *_ = detect._detect(image)
        assert expected.any() and np.array_equal(mask, expected)


def test_early_stop_reads_frames_until_the_clip_verdict_is_settled(clips, tmp_path, config):
    plain, text = clips
    src = ("-f", "lavfi", "-i", "mandelbrot=s=640x360:r=30", "-t", "3")
    flash = make_video(tmp_path / "flash.mp4", *src, "-vf", TEXT + ":enable='lt(t,1.2)'")
    flash = sampled_clip(flash, config)
    check = config.quality.check
    every, early = OcrScorer(OcrConfig(early_stop=False)), OcrScorer(OcrConfig())
    for sampled, with_text, read in ((plain, 0, 3), (text, 5, 3), (flash, 2, 5)):
        whole = every.score(sampled, check)
        assert sum(a > 0.02 for a in whole["text_area_fracs"]) == with_text, whole
        got = early.score(sampled, check)
        # The frames read, in order, with today's areas; their mean is text_area_frac.
        assert got["text_area_fracs"] == whole["text_area_fracs"][:read], (got, whole)
        assert got["text_area_frac"] == round(float(np.mean(got["text_area_fracs"])), 4)
        verdicts = [check(dataclasses.replace(sampled.clip, **s)) for s in (whole, got)]
        assert verdicts[0] == verdicts[1] == (["text_overlay"] if with_text > 2 else [])
    # Without a check, or while recognising text, every frame is read.
    assert len(early.score(plain)["text_area_fracs"]) == 5
    reading = OcrScorer(OcrConfig(recognize_text=True)).score(plain, check)
    assert len(reading["text_area_fracs"]) == 5


SUBTITLE = (
    "drawtext=text='and then we went down to the river at night':fontsize=18:fontcolor=white"
    ":x=(w-tw)/2:y=h-th-27"
)


def test_ocr_finds_a_thin_subtitle_line_on_real_footage(tmp_path, config):
    """A white lowercase subtitle 18 px high on 640x360 footage: a band ~6 px high on the
    256-high sampled frame, whose box's rectangle mean (det_score_mode fast) stays under 0.7."""
    real = "../shared/testdata/real/chaplin.mp4"
    path = make_video(
        tmp_path / "sub.mp4", "-ss", "1", "-i", real, "-t", "3", "-an", "-vf", SUBTITLE
    )
    sampled = sampled_clip(path, config)
    check = config.quality.check
    scorer = OcrScorer(OcrConfig(early_stop=False))
    whole = scorer.score(sampled, check)
    # The line is found on every frame, its box about 0.04 of the frame (not the whole width).
    assert all(0.02 < a < 0.1 for a in whole["text_area_fracs"]), whole
    # The text band's boxes lie on the sample's own: nothing left to recognise, no model loaded.
    assert scorer.engine is None
    assert check(dataclasses.replace(sampled.clip, **whole)) == ["text_overlay"]
    # Early stop reads on until both votes are settled (text_overlay after 3 frames, subtitles
    # later where the line is seen centred on some frames only), the same verdict.
    early = OcrScorer(OcrConfig()).score(sampled, check)
    read = len(early["text_area_fracs"])
    assert 3 <= read <= 5 and len(early["subtitle_width_fracs"]) == read, early
    assert early["text_area_fracs"] == whole["text_area_fracs"][:read], (early, whole)
    assert early["subtitle_width_fracs"] == whole["subtitle_width_fracs"][:read], (early, whole)
    assert check(dataclasses.replace(sampled.clip, **early)) == ["text_overlay"]


SUBTITLE_720P = (
    "drawtext=text='and then we went down to the river at night':fontsize=24:fontcolor=white"
    ":borderw=2:bordercolor=black:x=(w-tw)/2:y=h-th-36"
)


def test_ocr_finds_a_small_subtitle_on_720p_footage_in_the_text_band(tmp_path, config):
    """A subtitle 24 px high on 1280x720 footage (3.3 % of the frame) is ~8.5 px on the 256 px
    sample, too small for the detector; the sample's text band (the bottom of the frame at
    448 px on the short side) has it at ~15 px."""
    real = "../shared/testdata/real/bigbuckbunny.mp4"
    path = make_video(
        tmp_path / "sub.mp4", "-ss", "0.5", "-i", real, "-t", "3", "-an", "-vf", SUBTITLE_720P
    )
    sampled = sampled_clip(path, config)
    assert len(sampled.bands_jpg) == len(sampled.frames_jpg) == 5
    found = OcrScorer(OcrConfig(early_stop=False)).score(sampled)["text_area_fracs"]
    assert all(0.005 < a < 0.05 for a in found), found
    alone = OcrScorer(OcrConfig(early_stop=False, band=False)).score(sampled)["text_area_fracs"]
    assert sum(a > 0 for a in alone) <= 1, alone  # the sample alone misses it
    read = OcrScorer(OcrConfig(recognize_text=True)).score(sampled)["ocr_text"]
    assert "river" in read, read  # recognised from the band


def test_the_band_is_detected_beside_the_sample_with_the_same_scores(tmp_path, config, monkeypatch):
    """The text band's detection runs on a thread of its own while the sample's runs on the
    caller's, and scores as it did run after it."""
    import threading
    from concurrent.futures import Future

    real = "../shared/testdata/real/bigbuckbunny.mp4"
    path = make_video(
        tmp_path / "sub.mp4", "-ss", "0.5", "-i", real, "-t", "3", "-an", "-vf", SUBTITLE_720P
    )
    sampled = sampled_clip(path, config)
    threads, band_threads = {}, set()
    boxes = OcrScorer._boxes

    def noted(self, image):
        threads.setdefault(image.shape[0] < 128, set()).add(threading.current_thread().name)
        if image.shape[0] < 128:
            band_threads.add(threading.current_thread())
        return boxes(self, image)

    monkeypatch.setattr(OcrScorer, "_boxes", noted)
    scorer = OcrScorer(OcrConfig(early_stop=False))
    beside = scorer.score(sampled)
    caller = threading.current_thread().name
    assert threads[False] == {caller}, threads  # the sample's, turned too where it responds
    assert caller not in threads[True] and len(threads[True]) == 1, threads  # the band's
    scorer.close()  # as the stage's teardown does: the band's thread ends
    assert not any(t.is_alive() for t in band_threads)

    def inline(self, band):
        done = Future()
        done.set_result(self._boxes(band))
        return done

    monkeypatch.setattr(OcrScorer, "_band_detection", inline)
    after = OcrScorer(OcrConfig(early_stop=False)).score(sampled)
    assert beside == after and all(a > 0.005 for a in after["text_area_fracs"]), (beside, after)


def test_band_boxes_count_only_where_the_recogniser_reads_text(config):
    """ffmpeg's testsrc2 at 640x360: its noisy checkerboard, in the text band at the source's
    resolution, is detected as lines on every frame; the recogniser reads none of them."""
    sampled = sampled_clip("../shared/testdata/synthetic/bad/vp9.webm", config)
    check = config.quality.check

    def scores(**kw):
        return OcrScorer(OcrConfig(early_stop=False, **kw)).score(sampled)

    unread = scores(band_min_text_score=None)
    assert "text_overlay" in check(dataclasses.replace(sampled.clip, **unread)), unread
    read = scores()
    assert read == scores(band=False), read  # the same as the sample alone
    assert "text_overlay" not in check(dataclasses.replace(sampled.clip, **read))


def test_text_votes_are_settled_only_when_the_other_frames_cannot_change_them(config):
    clip = Clip("id", "s", "h", 0, 0.0, 4.0, 0.0, 4.0, 4.0, 640, 360, 30.0, 4.0)
    check = config.quality.check  # text_overlay: more than half of 5 frames over 0.02

    def settled(areas, check=check):
        return text_votes_decided(clip, areas, 5, check)

    assert not settled([0.3, 0.3]) and settled([0.3, 0.3, 0.3]) and settled([0.0, 0.01, 0.02])
    assert not settled([0.3, 0.0, 0.3, 0.0]) and not settled([0.0, 0.3, 0.3, 0.0])
    assert settled([0.3, 0.0, 0.3, 0.0, 0.3]) and settled([0.0, 0.0, 0.3, 0.0])
    off = dataclasses.replace(config.quality, max_text_frames_frac=None).check
    assert settled([0.5], off)  # no text rule: no frame can change the verdict
    strict = dataclasses.replace(config.quality, max_text_frames_frac=0.0).check
    assert settled([0.0, 0.3], strict) and not settled([0.0, 0.0], strict)


def test_score_clips_drops_text_overlays_and_keeps_the_rest(clips, config, caplog):
    plain, text = clips
    missing_head = AestheticConfig(enabled=True, pretrained="openai", head_path="/nonexistent.pth")
    with TestPipeline() as p:
        scored = (
            p
            | beam.Create([plain, text])
            | ScoreClips(OcrConfig(), missing_head, config.quality.check)
        )
        kept = scored["clips"] | "KeptIds" >> beam.Map(
            lambda s: (
                s.clip.source.rsplit("/", 1)[-1],
                s.clip.status,
                s.clip.aesthetic,
                s.bands_jpg,
            )
        )
        dropped = scored[DROPPED] | "DroppedIds" >> beam.Map(
            lambda c: (c.source.rsplit("/", 1)[-1], c.drop_reasons, c.text_area_frac > 0.02)
        )
        # The text bands stay behind: no stage after OCR carries them.
        assert_that(kept, equal_to([("plain.mp4", "kept", None, ())]), label="kept")
        assert_that(dropped, equal_to([("text.mp4", ["text_overlay"], True)]), label="dropped")


def test_missing_aesthetic_checkpoints_say_so_and_score_null(caplog):
    assert AestheticConfig().unavailable() == "aesthetics.enabled is false"
    assert "pretrained" in AestheticConfig(enabled=True).unavailable()
    config = AestheticConfig(enabled=True, pretrained="/nowhere/ViT-L-14.pt", head_path=__file__)
    assert "does not exist" in config.unavailable()
    with caplog.at_level(logging.WARNING):
        log_availability(OcrConfig(), config)
    assert "aesthetics off" in caplog.text and "aesthetics.head_path" in caplog.text
    assert config.unavailable(check_files=False) is None  # a remote launcher cannot tell
    with caplog.at_level(logging.ERROR):
        assert aesthetic_handler(config).load_model() is None  # the worker can
    assert "aesthetics off on this worker" in caplog.text


@pytest.fixture(scope="module")
def clip_model():
    import open_clip
    import torch

    torch.manual_seed(0)
    model, _, preprocess = open_clip.create_model_and_transforms("ViT-B-32", pretrained=None)
    return model, preprocess


@pytest.mark.parametrize("linear", [False, True], ids=["mlp", "linear"])
def test_aesthetic_score_with_random_weights(linear, clip_model, clips, tmp_path):
    import torch

    model, preprocess = clip_model
    torch.manual_seed(1)
    head = make_aesthetic_head(512, linear=linear)
    torch.save(head.state_dict(), tmp_path / "head.pth")
    loaded = load_aesthetic_head(str(tmp_path / "head.pth"))
    scorer = AestheticScorer(model, preprocess, loaded, "open_clip:ViT-B-32:random", frames=3)
    plain, text = clips
    scores = scorer.score(plain)

    assert math.isfinite(scores["aesthetic"])
    embedding = np.array(scores["image_embedding"])
    assert embedding.shape == (512,) and np.linalg.norm(embedding) == pytest.approx(1, abs=1e-4)
    assert scores["embedding_model"] == "open_clip:ViT-B-32:random"
    # The score is the mean of the head over the normalised embeddings of the 3 frames.
    with torch.no_grad():
        frames = torch.tensor(per_frame_embeddings(model, preprocess, plain))
        expected = float(head.eval()(frames).mean())
    assert scores["aesthetic"] == pytest.approx(expected, abs=1e-3)
    assert scorer.score(text)["image_embedding"] != scores["image_embedding"]


def per_frame_embeddings(model, preprocess, sampled):
    import cv2
    import torch
    from PIL import Image

    images = []
    for i in sampled.pick(3):
        bgr = cv2.imdecode(np.frombuffer(sampled.frames_jpg[i], np.uint8), cv2.IMREAD_COLOR)
        images.append(preprocess(Image.fromarray(bgr[..., ::-1].copy())))
    with torch.no_grad():
        e = model.eval().encode_image(torch.stack(images))
    return (e / e.norm(dim=-1, keepdim=True)).numpy()


def test_head_of_the_wrong_width_is_refused(clip_model, tmp_path):
    import torch

    model, preprocess = clip_model
    torch.save(make_aesthetic_head(768).state_dict(), tmp_path / "l14.pth")
    with pytest.raises(ValueError, match="768"):
        AestheticScorer(model, preprocess, load_aesthetic_head(str(tmp_path / "l14.pth")), "b32")


def test_aesthetics_run_through_run_inference_in_batches(clip_model, clips, tmp_path, config):
    """ScoreClips with checkpoint files: the model loads in RunInference's load_model (on the
    worker), clips are scored in batches of up to aesthetics.batch_size after a Reshuffle, and a
    batch gives the same scores as clip by clip."""

    import torch

    model, _ = clip_model
    torch.save(model.state_dict(), tmp_path / "clip.pt")
    torch.manual_seed(1)
    torch.save(make_aesthetic_head(512).state_dict(), tmp_path / "head.pth")
    aesthetics = AestheticConfig(
        enabled=True,
        model="ViT-B-32",
        pretrained=str(tmp_path / "clip.pt"),
        head_path=str(tmp_path / "head.pth"),
        batch_size=2,
    )
    scorer = AestheticScorer.load(aesthetics)
    plain, text = clips
    one_by_one = [scorer.score(plain), scorer.score(text)]
    for batched, single in zip(scorer.score_batch([plain, text]), one_by_one, strict=True):
        assert batched["aesthetic"] == pytest.approx(single["aesthetic"], abs=1e-3)
        assert np.allclose(batched["image_embedding"], single["image_embedding"], atol=1e-4)
    assert one_by_one[0]["aesthetic"] != one_by_one[1]["aesthetic"]
    no_text = dataclasses.replace(config.quality, max_text_frames_frac=None, min_aesthetic=None)
    with TestPipeline() as p:
        scored = (
            p
            | beam.Create([plain, text])
            | ScoreClips(OcrConfig(enabled=False), aesthetics, no_text.check)
        )
        got = scored["clips"] | beam.Map(
            lambda s: (s.clip.source.rsplit("/", 1)[-1], s.clip.aesthetic)
        )
        expected = [
            ("plain.mp4", one_by_one[0]["aesthetic"]),
            ("text.mp4", one_by_one[1]["aesthetic"]),
        ]

        def close(actual):
            assert sorted(n for n, _ in actual) == [n for n, _ in expected]
            for (_, a), (_, b) in zip(sorted(actual), expected, strict=True):
                assert a == pytest.approx(b, abs=1e-3)

        assert_that(got, close)
        assert_that(scored[DROPPED], equal_to([]), label="none dropped")


def copies_of(plain, text):
    """Four near-duplicate copies of one shot from one source (the text one's signature set to
    the plain one's, as a caption burnt into a copy moves it only a few bits), best first by
    clip_id: a-text, b-plain, c-plain, d-plain; and e-other, a shot of its own."""
    signed = sign_clip(plain, DedupConfig())
    phash = {"phash": signed.clip.phash, "phash_center": signed.clip.phash_center}
    other = [sig.to_int64(0x5A5A5A5A5A5A5A5A ^ (i * 0x0101010101010101)) for i in range(16)]
    same = {"source_sha256": "s" * 64, "blur_var": 100.0, "scene_index": 1}

    def copy(sampled, clip_id, **kw):
        clip = dataclasses.replace(sampled.clip, clip_id=clip_id, **same, **kw)
        return dataclasses.replace(sampled, clip=clip)

    return [
        copy(text, "a-text", **phash),
        copy(plain, "b-plain", **phash),
        copy(plain, "c-plain", **phash),
        copy(plain, "d-plain", **phash),
        copy(plain, "e-other", phash=other, phash_center=other),
    ]


@pytest.mark.parametrize("skip", [True, False], ids=["skip", "ocr-all"])
def test_ocr_leaves_unscanned_the_copies_settled_as_duplicates(clips, config, monkeypatch, skip):
    """OCR reads a group of near-duplicates best first until one passes (a-text is dropped for
    its text, so b-plain is read and passes): the copies after it are settled as its duplicates
    and never read, marked with it; a shot of its own is read. With skip_duplicates off, all."""
    read = []
    score = OcrScorer.score
    monkeypatch.setattr(
        OcrScorer,
        "score",
        lambda self, s, check=None: read.append(s.clip.clip_id) or score(self, s, check),
    )
    ocr = OcrConfig(skip_duplicates=skip)
    with TestPipeline() as p:
        scored = (
            p
            | beam.Create(copies_of(*clips))
            | ScoreClips(ocr, AestheticConfig(), config.quality.check, None, DedupConfig())
        )
        kept = scored["clips"] | "Kept" >> beam.Map(
            lambda s: (s.clip.clip_id, s.clip.duplicate_of, s.clip.text_area_frac is None)
        )
        dropped = scored[DROPPED] | "Dropped" >> beam.Map(lambda c: (c.clip_id, c.drop_reasons))
        settled = [("c-plain", "b-plain", True), ("d-plain", "b-plain", True)]
        scanned = [("c-plain", None, False), ("d-plain", None, False)]
        assert_that(
            kept,
            equal_to(
                [
                    ("b-plain", None, False),
                    ("e-other", None, False),
                    *(settled if skip else scanned),
                ]
            ),
            label="kept",
        )
        assert_that(dropped, equal_to([("a-text", ["text_overlay"])]), label="dropped")
    if skip:  # best first
        assert read == ["a-text", "b-plain", "e-other"]
    else:
        assert sorted(read) == ["a-text", "b-plain", "c-plain", "d-plain", "e-other"]


def test_better_matches_are_the_verified_pairs_of_dedup_ranked_first(clips):
    plain, text = clips
    copies = [s.clip for s in copies_of(plain, text)]
    better = better_matches(copies, DedupConfig())
    assert better == {
        "b-plain": ["a-text"],
        "c-plain": ["a-text", "b-plain"],
        "d-plain": ["a-text", "b-plain", "c-plain"],
    }
    assert better_matches(copies, DedupConfig(max_hamming=None)) == {}
    assert [c.clip_id for c in in_rank_order(reversed(copies))][:2] == ["a-text", "b-plain"]
    assert settled_by(better["d-plain"], {"c-plain", "b-plain"}) == "b-plain"
    assert settled_by(better["d-plain"], set()) is None
