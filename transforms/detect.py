"""Detect objects: optional labels for the model-free tracks, from a detection model.

The decode pass finds moving objects without a model (`transforms/objects.py`): boxes and
track ids, no labels. Where a detector is configured, this stage runs it on the frames sampled
in that pass (2 per second, upright, display aspect) through `RunInference`, batched, and names
each track by the labels of the detections that overlap its boxes (a majority vote over the
clip). The architecture is torchvision's (`fasterrcnn_mobilenet_v3_large_320_fpn`,
`fasterrcnn_resnet50_fpn_v2`, `retinanet_resnet50_fpn_v2`, `ssdlite320_mobilenet_v3_large`, ...)
and the weights a local state-dict file named in the config: nothing is downloaded.
"""

from __future__ import annotations

import bisect
import collections
import dataclasses
import json
import os
from dataclasses import dataclass

import apache_beam as beam

from transforms.common import StageCounters
from transforms.objects import iou

STAGE = "detect"

# COCO's category names in torchvision's 91-slot numbering (background and unused slots "").
COCO_LABELS = (
    "", "person", "bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck", "boat",
    "traffic light", "fire hydrant", "", "stop sign", "parking meter", "bench", "bird", "cat",
    "dog", "horse", "sheep", "cow", "elephant", "bear", "zebra", "giraffe", "", "backpack",
    "umbrella", "", "", "handbag", "tie", "suitcase", "frisbee", "skis", "snowboard",
    "sports ball", "kite", "baseball bat", "baseball glove", "skateboard", "surfboard",
    "tennis racket", "bottle", "", "wine glass", "cup", "fork", "knife", "spoon", "bowl",
    "banana", "apple", "sandwich", "orange", "broccoli", "carrot", "hot dog", "pizza", "donut",
    "cake", "chair", "couch", "potted plant", "bed", "", "dining table", "", "", "toilet", "",
    "tv", "laptop", "mouse", "remote", "keyboard", "cell phone", "microwave", "oven", "toaster",
    "sink", "refrigerator", "", "book", "clock", "vase", "scissors", "teddy bear", "hair drier",
    "toothbrush",
)  # fmt: skip


@dataclass(frozen=True)
class DetectConfig:
    enabled: bool = False
    architecture: str = "fasterrcnn_mobilenet_v3_large_320_fpn"  # a torchvision detection model
    weights: str | None = None  # local state-dict file (.pth) for that architecture
    labels: tuple[str, ...] | None = None  # class index -> name; None: COCO_LABELS
    min_score: float = 0.5
    min_iou: float = 0.3  # a detection names a track's box when they overlap this much
    max_time_gap_s: float = 0.3  # ... and were taken this close in time
    batch_size: int = 16  # frames per model call
    device: str = "auto"  # auto | cpu | cuda

    def __post_init__(self):
        object.__setattr__(self, "labels", tuple(self.labels or COCO_LABELS))
        if not 0 <= self.min_score <= 1 or not 0 < self.min_iou <= 1 or self.batch_size < 1:
            raise ValueError("detect.min_score in [0, 1], min_iou in (0, 1], batch_size >= 1")

    def unavailable(self) -> str | None:
        if not self.enabled:
            return "detect.enabled is false"
        if not self.weights:
            return "detect.weights is not set (a local state-dict file of the architecture)"
        if not os.path.isfile(self.weights):
            return f"detect.weights {self.weights!r} does not exist"
        return None


@dataclass
class Detector:
    model: object
    device: str


def load_detector(config: DetectConfig) -> Detector:
    """The torchvision architecture with the configured weights, in eval mode."""
    import torch
    from torchvision.models import detection

    build = getattr(detection, config.architecture, None)
    if build is None:
        raise ValueError(f"detect.architecture {config.architecture!r} is not in torchvision")
    model = build(weights=None, weights_backbone=None, num_classes=len(config.labels))
    state = torch.load(config.weights, map_location="cpu", weights_only=True)
    model.load_state_dict(state)
    device = config.device
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    return Detector(model.to(device).eval(), device)


def detect_frames(model, device: str, images: list, config: DetectConfig) -> list[list[dict]]:
    """Detections per image (RGB uint8 arrays): [{"xywh" as fractions, "label", "score"}]."""
    import torch

    out: list[list[dict]] = []
    with torch.inference_mode():
        for i in range(0, len(images), config.batch_size):
            chunk = images[i : i + config.batch_size]
            tensors = [
                torch.from_numpy(im).permute(2, 0, 1).float().div(255).to(device) for im in chunk
            ]
            for im, result in zip(chunk, model(tensors), strict=True):
                h, w = im.shape[:2]
                found = []
                for box, label, score in zip(
                    result["boxes"].tolist(),
                    result["labels"].tolist(),
                    result["scores"].tolist(),
                    strict=True,
                ):
                    if score < config.min_score or not 0 <= label < len(config.labels):
                        continue
                    x1, y1, x2, y2 = box
                    found.append(
                        {
                            "xywh": [x1 / w, y1 / h, (x2 - x1) / w, (y2 - y1) / h],
                            "label": config.labels[label] or None,
                            "score": round(float(score), 3),
                        }
                    )
                out.append(found)
    return out


def label_tracks(
    frames: list[dict],
    detection_times_s: list[float],
    detections: list[list[dict]],
    config: DetectConfig,
) -> list[dict]:
    """`frames` of a boxes.json with each track's label set by a vote of overlapping detections.

    `detection_times_s` are the detected frames' times from the clip's start, ascending.
    """
    votes: dict[int, collections.Counter] = collections.defaultdict(collections.Counter)
    for frame in frames:
        i = bisect.bisect_left(detection_times_s, frame["t_s"])
        near = [j for j in (i - 1, i) if 0 <= j < len(detection_times_s)]
        near = [
            j for j in near if abs(detection_times_s[j] - frame["t_s"]) <= config.max_time_gap_s
        ]
        if not near:
            continue
        j = min(near, key=lambda k: abs(detection_times_s[k] - frame["t_s"]))
        for box in frame["boxes"]:
            best = max(
                ((iou(tuple(box["xywh"]), tuple(d["xywh"])), d) for d in detections[j]),
                key=lambda pair: pair[0],
                default=(0.0, None),
            )
            if best[1] is not None and best[0] >= config.min_iou and best[1]["label"]:
                votes[box["track_id"]][best[1]["label"]] += best[1]["score"]
    names = {tid: counter.most_common(1)[0][0] for tid, counter in votes.items()}
    return [
        {**f, "boxes": [{**b, "label": names.get(b["track_id"], b["label"])} for b in f["boxes"]]}
        for f in frames
    ]


def relabel(
    boxes_json: str | None, sampled_times_s, detections, clip_start_s, config
) -> str | None:
    """A boxes.json string with track labels from `detections` on frames at `sampled_times_s`."""
    if not boxes_json:
        return boxes_json
    doc = json.loads(boxes_json)
    times = [t - clip_start_s for t in sampled_times_s]
    doc["frames"] = label_tracks(doc["frames"], times, detections, config)
    return json.dumps(doc, ensure_ascii=False, sort_keys=True)


def with_labels(sampled, detections, config):
    """`sampled` (a SampledClip) with its boxes' tracks named by `detections` of its frames."""
    boxes = relabel(
        sampled.boxes_json, sampled.frame_times_s, detections, sampled.clip.start_s, config
    )
    return dataclasses.replace(sampled, boxes_json=boxes)


# ---- the Beam stage ------------------------------------------------------------------------


def detect_handler(config: DetectConfig):
    """A RunInference ModelHandler: SampledClips in, PredictionResult(clip, detections per
    frame) out. Built in a function: Beam's inference module imports torch (3 s of start-up
    that a run without the detector does not pay)."""
    from apache_beam.ml.inference.base import ModelHandler, PredictionResult

    class DetectModelHandler(ModelHandler):
        def __init__(self):
            super().__init__(
                min_batch_size=1,
                max_batch_size=max(1, config.batch_size // 4),
                large_model=config.device != "cpu",
            )
            self.config = config

        def load_model(self):
            return load_detector(self.config)

        def run_inference(self, batch, model, inference_args=None):
            from transforms.score import decode_jpeg

            detector, device = model.model, model.device
            images, owners = [], []
            for n, sampled in enumerate(batch):
                for jpg in sampled.frames_jpg:
                    images.append(decode_jpeg(jpg)[..., ::-1].copy())  # BGR -> RGB
                    owners.append(n)
            found = detect_frames(detector, device, images, self.config) if images else []
            per_clip: list[list] = [[] for _ in batch]
            for n, dets in zip(owners, found, strict=True):
                per_clip[n].append(dets)
            return [PredictionResult(s, d) for s, d in zip(batch, per_clip, strict=True)]

        def get_num_bytes(self, batch) -> int:
            return sum(len(f) for s in batch for f in s.frames_jpg)

        def get_metrics_namespace(self) -> str:
            return STAGE

    return DetectModelHandler()


class _LabelFn(beam.DoFn):
    def __init__(self, config: DetectConfig):
        self.config = config

    def setup(self):
        self.counters = StageCounters(STAGE)

    def process(self, result):
        sampled, detections = result.example, result.inference
        self.counters.inc("clips")
        self.counters.inc("detections", sum(len(d) for d in detections))
        yield with_labels(sampled, detections, self.config)


class DetectObjects(beam.PTransform):
    """SampledClips -> the same clips with their tracks labelled; a no-op when off."""

    def __init__(self, config: DetectConfig):
        super().__init__()
        self.config = config

    def expand(self, clips):
        if self.config.unavailable():
            return clips
        from apache_beam.ml.inference.base import RunInference

        return (
            clips
            | "Detect" >> RunInference(detect_handler(self.config))
            | "Label" >> beam.ParDo(_LabelFn(self.config))
        )
