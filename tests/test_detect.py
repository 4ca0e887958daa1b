"""The optional detector: torchvision architecture, local weights, RunInference, track labels."""

import json

import apache_beam as beam
import pytest
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that

from schemas import Clip, SampledClip
from transforms.detect import (
    COCO_LABELS,
    DetectConfig,
    DetectObjects,
    detect_frames,
    label_tracks,
    load_detector,
)

ARCH = "ssdlite320_mobilenet_v3_large"  # the smallest torchvision detector


@pytest.fixture(scope="module")
def weights(tmp_path_factory):
    """A state dict of the real architecture with random weights, saved as a user would."""
    import torch
    from torchvision.models import detection

    torch.manual_seed(0)
    model = detection.ssdlite320_mobilenet_v3_large(
        weights=None, weights_backbone=None, num_classes=len(COCO_LABELS)
    )
    path = tmp_path_factory.mktemp("detector") / "ssdlite.pth"
    torch.save(model.state_dict(), path)
    return path


def test_label_tracks_votes_per_track():
    config = DetectConfig()

    def box(track, x, y):
        return {"track_id": track, "xywh": [x, y, 0.2, 0.2], "score": 1, "label": None}

    frames = [
        {"t_s": 0.0, "boxes": [box(0, 0.1, 0.1), box(1, 0.6, 0.6)]},
        {"t_s": 0.5, "boxes": [box(0, 0.15, 0.1)]},
    ]
    detections = [
        [{"xywh": [0.1, 0.1, 0.2, 0.21], "label": "dog", "score": 0.9},
         {"xywh": [0.0, 0.7, 0.1, 0.1], "label": "car", "score": 0.9}],
        [{"xywh": [0.16, 0.1, 0.2, 0.2], "label": "cat", "score": 0.6}],
    ]  # fmt: skip
    out = label_tracks(frames, [0.02, 0.51], detections, config)
    assert [b["label"] for b in out[0]["boxes"]] == ["dog", None]  # track 1 has no overlap
    assert out[1]["boxes"][0]["label"] == "dog"  # 0.9 beats 0.6 for the whole track
    # a detection too far in time names nothing
    far = label_tracks(frames, [1.5, 2.0], detections, config)
    assert all(b["label"] is None for f in far for b in f["boxes"])


def test_config_needs_local_weights(tmp_path):
    assert "enabled" in DetectConfig().unavailable()
    assert "not set" in DetectConfig(enabled=True).unavailable()
    assert "does not exist" in DetectConfig(enabled=True, weights=str(tmp_path / "x")).unavailable()
    with pytest.raises(ValueError, match="not in torchvision"):
        load_detector(DetectConfig(enabled=True, architecture="nope", weights="x"))


def test_detector_loads_and_runs(weights):
    import numpy as np

    config = DetectConfig(enabled=True, architecture=ARCH, weights=str(weights), min_score=0.0,
                          device="cpu")  # fmt: skip
    detector = load_detector(config)
    model, device = detector.model, detector.device
    images = [np.random.default_rng(i).integers(0, 255, (144, 256, 3), dtype=np.uint8)
              for i in range(3)]  # fmt: skip
    found = detect_frames(model, device, images, config)
    assert len(found) == 3
    for dets in found:
        for d in dets:
            x, _, w, h = d["xywh"]
            assert -0.01 <= x <= 1.01 and w >= 0 and h >= 0
            assert d["label"] is None or d["label"] in COCO_LABELS
            assert 0 <= d["score"] <= 1


def test_detect_stage_in_a_pipeline(weights):
    """RunInference over SampledClips: boxes.json keeps its shape, tracks get a label or None."""
    import cv2
    import numpy as np

    jpg = cv2.imencode(".jpg", np.full((144, 256, 3), 128, np.uint8))[1].tobytes()
    boxes = {"clip_id": "c", "width": 256, "height": 144, "frames": [
        {"t_s": 0.0, "boxes": [{"track_id": 0, "xywh": [0.1, 0.1, 0.3, 0.3], "score": 0.8,
                                "label": None}]}]}  # fmt: skip
    clip = Clip(clip_id="c", source="s", source_sha256="x", scene_index=0, scene_start_s=0.0,
                scene_end_s=4.0, start_s=1.0, end_s=3.0, duration_s=2.0, width=256, height=144,
                fps=25.0, source_duration_s=4.0)  # fmt: skip
    sampled = SampledClip(clip, (1.0, 1.5), (jpg, jpg), boxes_json=json.dumps(boxes))
    config = DetectConfig(enabled=True, architecture=ARCH, weights=str(weights), device="cpu")

    def check(outputs):
        (out,) = outputs
        doc = json.loads(out.boxes_json)
        assert doc["clip_id"] == "c" and len(doc["frames"]) == 1
        box = doc["frames"][0]["boxes"][0]
        assert box["track_id"] == 0 and (box["label"] is None or box["label"] in COCO_LABELS)

    with TestPipeline() as p:
        out = p | beam.Create([sampled]) | DetectObjects(config)
        assert_that(out, check)


def test_detect_stage_is_a_no_op_when_off():
    with TestPipeline() as p:
        out = p | beam.Create([1, 2]) | DetectObjects(DetectConfig())
        assert_that(out, lambda xs: sorted(xs) == [1, 2] or (_ for _ in ()).throw(AssertionError))
