"""Score clips: text overlay (OCR) and aesthetics, only on clips that passed the cheap checks.

These are the costly signals, so they run after the decode pass has dropped dark, blurry,
static and chaotic clips, and they read the JPEG frames sampled in that pass (no second
decode). OCR (rapidocr-onnxruntime, whose detection and recognition models ship in its wheel)
measures the share of each frame covered by text from detection at reduced resolution (plus
the frame's bottom band at a higher one, for small subtitles: transforms/text_band.py); the
text itself is recognised only when `ocr.recognize_text` asks (recognition costs several times
detection, FIELD). Aesthetics follow the LAION recipe: an open_clip image embedding and the
LAION aesthetic MLP head, averaged over a few frames; the embedding is kept for the dedup stage.
Checkpoints come from the config; without them aesthetics are off, said once at start, and the
score stays null. An optional watermark classifier (`watermark.classifier`: a Hugging Face
image-classification model) gives each clip's frames a watermark probability; `quality` turns
them into the `watermark` reason. Both models run through `RunInference`; torch and
transformers are imported only when one is on.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import apache_beam as beam
import numpy as np
from apache_beam.utils.windowed_value import WindowedValue

from schemas import SampledClip, segment_of
from transforms.common import StageCounters
from transforms.dedup_settled import better_matches, in_rank_order, settled_by
from transforms.ocr_graph import fold_graph
from transforms.text_band import band_offset, boxes_in_sample, lines_spread, subtitle_line
from transforms.watermark import WatermarkClassifierConfig

log = logging.getLogger(__name__)

STAGE = "score"
DROPPED = "dropped"


@dataclass(frozen=True)
class OcrConfig:
    enabled: bool = True
    # Frames per clip, spread evenly over it; quality decides on their share with text, so
    # one frame is never the whole vote.
    frames: int = 5
    # Detection input: the sampled frame's long side capped at this (rounded to 32 px). 960
    # keeps the sampled frames whole (456x256 at 16:9): rapidocr's own call never capped under
    # 960 whatever was asked, and capping at 416 or 384 lost small subtitles (bench_ocr.py).
    det_max_side: int = 960
    det_box_thresh: float = 0.7  # 0.5 (rapidocr's default) saw text in a blurred fractal
    # Run the detector and the recogniser with their per-pixel affine blocks folded into their
    # convolutions and hard-swish as two ops (transforms/ocr_graph.py): the same maps within
    # float rounding (detector 3e-5, recogniser 5e-6), 0.73-0.79x (detector) and 0.67x
    # (recogniser) the CPU per run. false: rapidocr's graphs as they ship.
    fold_graphs: bool = True
    # A candidate box's score (held to det_box_thresh) is the text map's mean over its min-area
    # rectangle (rapidocr's "fast" score) or, for a line at least this many times as long as
    # high, the larger of that and the mean over the text's own outline ("slow"). A thin line's
    # rectangle is mostly the rows above and below its letters and the gaps between words: a
    # subtitle 18 px high on 640x360 (a band ~6 px high on the 256-high sampled frame) scored
    # 0.54-0.67 by rectangle, 0.77-0.82 by outline. Outline means alone let in round blobs of a
    # blurred fractal and a face (0.8-0.93, aspect 1.0-1.5). null: the rectangle only.
    det_line_min_aspect: float | None = 3.0
    # Also detect on the frame turned a quarter, for vertical text (the detector misses text
    # running down an upright frame: 0 of 5 % found upright, all of it turned). Doubles the
    # detection cost.
    vertical: bool = True
    # The turned pass runs only on frames whose upright probability map peaks at this or more
    # somewhere (bench/bench_ocr.py): vertical text measured 0.06-1.0 upright (its letters light
    # the map a little), 70 % of frames without text under 0.0003; those skip it. 0 turns all.
    vertical_min_response: float = 0.01
    # Also detect on the sample's text band (scenes.sample_band_*: the bottom of the frame at a
    # higher resolution), where subtitles too small for the sample are found: 1280x720 lines
    # of 20-36 px on 238 of 438 frames from the sample alone, 420 with the band; 360p lines of
    # 14-28 px 529 -> 540 of 540; frames without text 2 of 148 either way (bench_ocr_subtitles
    # .py, 1.54x the CPU per frame there). On every frame that has one, not only where the
    # sample's text map responds in the band: on Big Buck Bunny a 24 px line at 720p left the
    # map under 1e-5 there on 18 of 45 frames, and 18 of 133 frames without text reach 1e-5.
    band: bool = True
    # A band box counts where the sample's own boxes cover half of it or more, else only where
    # the recogniser reads it with this confidence or more: at the band's scale the noisy
    # checkerboard of ffmpeg's testsrc2 (640x360) is detected as lines on every frame and read
    # at 0.00-0.24, subtitles at 0.90-1.00 (Latin, 14-24 px). Costs a recognition (~40 ms) per
    # such box, so only on frames where the band alone sees text. null: every band box counts.
    band_min_text_score: float | None = 0.5
    recognize_text: bool = False  # also recognise the text into `ocr_text` (costly)
    # Read a clip's frames only until its text_overlay and subtitles verdicts are settled
    # (quality's rules on the frames read so far, with the rest all clear or all text, give the
    # same answer): 3 of 5 frames on a clip clear or covered throughout, 1 while both rules are
    # off. text_area_fracs and subtitle_width_fracs then hold the frames read, so a rescore with
    # other text thresholds decides on those. Never while recognising text.
    early_stop: bool = True
    min_text_score: float = 0.7  # FIELD: OCR confidence > 0.7
    # A subtitle-shaped line (subtitle_width_fracs, quality's `subtitles` reason): a text line
    # (the sample's upright boxes and the band's that count, joined along a line) whose centre
    # is in the top or bottom `subtitle_band_frac` of the frame and within
    # `subtitle_max_offcentre_frac` of the width from its middle, whatever its area. Subtitles
    # are centred by their renderer and stay put while the camera moves: 195 of 200 subtitle
    # lines measured within 0.015 (bench_ocr_subtitles.py); a centred sign panning at 4 % of
    # the width per second is that close on 1 frame of 5.
    subtitle_band_frac: float = 0.25
    subtitle_max_offcentre_frac: float = 0.015
    # ... and sits where the clip's earlier subtitle-shaped lines sat: the held edges (bottom
    # edge in the bottom half, top edge in the top half) of this frame's line and the earlier
    # frames' lines in the same half lie within this share of the frame's height
    # (`lines_spread`), else the frame's width is 0. A subtitle holds its band while its text
    # changes; a sign filmed in the scene moves with the camera. null: every line counts.
    subtitle_max_drift_frac: float | None = 0.025
    # ... and is written level: boxes whose baseline slopes more than this many degrees are
    # scene text (a sign seen askew or in perspective), whatever the camera. null: any slope.
    subtitle_max_tilt_deg: float | None = 3.0
    # Leave unscanned a clip whose fate as a near-duplicate is settled before OCR: a better
    # clip of its source, a verified pair with it, passed OCR (transforms/dedup_settled.py).
    # DedupClips drops it as it would have; its OCR columns stay null. Only where no model after
    # OCR can drop that better clip (watermark.classifier, aesthetics) and visual dedup is on:
    # on the bench input 8 of 16 clips OCR'd, 24 of 48 frames. false: OCR every kept clip.
    skip_duplicates: bool = True
    threads: int = 1  # onnxruntime intra-op threads; Beam already runs one bundle per core

    def __post_init__(self):
        if self.frames < 1 or self.det_max_side < 32 or self.threads < 1:
            raise ValueError("ocr.frames >= 1, ocr.det_max_side >= 32, ocr.threads >= 1")
        if not 0 <= self.vertical_min_response <= 1:
            raise ValueError("ocr.vertical_min_response is a probability in [0, 1]")
        if self.band_min_text_score is not None and not 0 <= self.band_min_text_score <= 1:
            raise ValueError("ocr.band_min_text_score is null or in [0, 1]")
        if self.det_line_min_aspect is not None and self.det_line_min_aspect < 1:
            raise ValueError("ocr.det_line_min_aspect is null or >= 1")
        if not 0 <= self.subtitle_band_frac <= 0.5 or self.subtitle_max_offcentre_frac < 0:
            raise ValueError(
                "ocr.subtitle_band_frac in [0, 0.5], ocr.subtitle_max_offcentre_frac >= 0"
            )
        if self.subtitle_max_drift_frac is not None and self.subtitle_max_drift_frac < 0:
            raise ValueError("ocr.subtitle_max_drift_frac is null or >= 0")
        if self.subtitle_max_tilt_deg is not None and not 0 <= self.subtitle_max_tilt_deg < 90:
            raise ValueError("ocr.subtitle_max_tilt_deg is null or in [0, 90)")


@dataclass(frozen=True)
class AestheticConfig:
    enabled: bool = False
    model: str = "ViT-L-14"  # open_clip architecture the head was trained on
    pretrained: str | None = None  # open_clip pretrained tag or a local checkpoint path
    head_path: str | None = None  # LAION aesthetic head weights (.pth state dict)
    frames: int = 3  # FIELD: mean over 3 frames
    threads: int | None = None  # torch intra-op threads; null keeps torch's default
    device: str = "auto"  # auto (cuda when the worker has a GPU) | cpu | cuda | cuda:N
    batch_size: int = 16  # clips per forward pass (RunInference batches up to this)

    def __post_init__(self):
        if self.frames < 1 or self.batch_size < 1:
            raise ValueError("aesthetics.frames and aesthetics.batch_size must be >= 1")

    def unavailable(self, check_files: bool = True) -> str | None:
        """Why aesthetics cannot run with this config, or None when they can be tried.

        The files are checked where the model loads (the workers); a launcher of a remote job
        checks the config only (`check_files=False`)."""
        if not self.enabled:
            return "aesthetics.enabled is false"
        if not self.pretrained:
            return "aesthetics.pretrained is not set"
        if not self.head_path:
            return "aesthetics.head_path is not set"
        if not check_files:
            return None
        if not os.path.isfile(self.head_path):
            return f"aesthetics.head_path {self.head_path!r} does not exist"
        looks_like_path = os.sep in self.pretrained or self.pretrained.endswith(
            (".pt", ".pth", ".bin", ".safetensors")
        )
        if looks_like_path and not os.path.isfile(self.pretrained):
            return f"aesthetics.pretrained {self.pretrained!r} does not exist"
        return None


def decode_jpeg(jpg: bytes) -> np.ndarray:
    import cv2

    return cv2.imdecode(np.frombuffer(jpg, np.uint8), cv2.IMREAD_COLOR)


def rapidocr_args(config: OcrConfig) -> dict:
    """rapidocr's keyword settings for the config (the engine's and the detector's)."""
    return {
        "det_limit_side_len": config.det_max_side,
        "det_limit_type": "max",
        "det_box_thresh": config.det_box_thresh,
        "intra_op_num_threads": config.threads,
        "inter_op_num_threads": 1,
        "text_score": config.min_text_score,
    }


def rapidocr_engine(config: OcrConfig):
    """rapidocr's whole engine as the config asks (its models ship in the wheel): detection,
    direction classifier and recognition."""
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR(**rapidocr_args(config))


def rapidocr_settings(config: OcrConfig) -> dict:
    """rapidocr's settings (each model's path and options) as RapidOCR would build them."""
    from rapidocr_onnxruntime.main import DEFAULT_CFG_PATH
    from rapidocr_onnxruntime.utils import UpdateParameters, read_yaml, update_model_path

    settings = update_model_path(read_yaml(DEFAULT_CFG_PATH))
    return UpdateParameters()(settings, **rapidocr_args(config))


def rapidocr_det_settings(config: OcrConfig) -> dict:
    """rapidocr's detector section (model path, post-processing) as RapidOCR would build it."""
    return rapidocr_settings(config)["Det"]


def rapidocr_recogniser(config: OcrConfig):
    """rapidocr's engine with its recogniser alone, as RapidOCR builds it: what OCR uses of the
    engine (`sorted_boxes`, `get_crop_img_list`, `text_rec`). RapidOCR's constructor would also
    load the detector, which runs on a session of its own here, and the direction classifier,
    which is never used: ~0.07 CPU s more per worker."""
    from rapidocr_onnxruntime import RapidOCR
    from rapidocr_onnxruntime.ch_ppocr_rec import TextRecognizer

    engine = RapidOCR.__new__(RapidOCR)  # its methods above keep no other state
    settings = rapidocr_settings(config)["Rec"]
    engine.text_rec = TextRecognizer(settings)
    if config.fold_graphs:
        # rapidocr's session options, on the folded graph (its character list comes along).
        import onnxruntime as ort

        wrapper = engine.text_rec.session
        wrapper.session = ort.InferenceSession(
            folded_model(settings["model_path"]),
            wrapper._init_sess_opts(settings),
            providers=wrapper.session.get_providers(),
        )
    return engine


def folded_model(model_path: str) -> bytes:
    """The ONNX model at `model_path` with its per-pixel ops folded (`fold_graph`)."""
    with open(model_path, "rb") as f:
        model, counts = fold_graph(f.read())
    log.debug("OCR graph %s folded: %s", os.path.basename(model_path), counts)
    return model


def line_aware_postprocess(settings: dict, line_min_aspect: float | None):
    """rapidocr's DBNet post-processing (`settings`: its Det section) whose box score is the
    map's mean over the box's min-area rectangle, or for a line (long side >= `line_min_aspect`
    x short side) the larger of that and the mean over its outline (see
    OcrConfig.det_line_min_aspect); rapidocr's rectangle score alone when that is None."""
    import cv2
    from rapidocr_onnxruntime.ch_ppocr_det.utils import DBPostProcess

    class LineAwarePostProcess(DBPostProcess):
        def box_score_slow(self, bitmap: np.ndarray, contour: np.ndarray) -> float:
            points, _ = self.get_mini_boxes(contour)
            score = self.box_score_fast(bitmap, points.reshape(-1, 2))
            sides = cv2.minAreaRect(contour)[1]
            if score >= self.box_thresh or max(sides) < line_min_aspect * min(sides):
                return score
            return max(score, super().box_score_slow(bitmap, contour))

    post = ("thresh", "box_thresh", "max_candidates", "unclip_ratio", "use_dilation")
    if line_min_aspect is None:
        return DBPostProcess(**{k: settings[k] for k in post}, score_mode="fast")
    return LineAwarePostProcess(**{k: settings[k] for k in post}, score_mode="slow")


def detection_session(model_path: str, threads: int, fold: bool = False):
    """An onnxruntime session for the DBNet detector with the CPU memory arena on (rapidocr
    turns it off, so every run allocates its activations afresh): 0.98x the CPU per frame in
    six paired runs on a busy machine, the same maps bit for bit. With `fold`, on the graph
    with its per-pixel ops folded (`folded_model`)."""
    import onnxruntime as ort

    model = folded_model(model_path) if fold else model_path
    options = ort.SessionOptions()
    options.log_severity_level = 4
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.enable_cpu_mem_arena = True
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    return ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])


def share_covered(mask: np.ndarray, polygon: np.ndarray) -> float:
    """The share of `polygon`'s pixels (an int32 N x 2 outline) that are set in `mask`."""
    import cv2

    inside = np.zeros_like(mask)
    cv2.fillPoly(inside, [polygon], 1)
    area = int(inside.sum())
    return float((mask & inside).sum()) / area if area else 0.0


def text_votes_decided(
    clip, areas: list[float], frames: int, check, subtitles: list[float] | None = None
) -> bool:
    """Whether `check`'s verdict on `clip` is settled by the text areas (and `subtitles`, the
    subtitle line widths) of its first OCR'd frames, whatever the other `frames - len(areas)`
    hold: the same with those all clear, all covered by text, and left out (so the stored
    scores alone give that verdict on a rescore with the same thresholds). Exact for a verdict
    monotone in each frame's scores, as the share-of-frames rules (quality's text_overlay and
    subtitles) are."""
    rest = frames - len(areas)

    def verdict(fill: list[float]) -> list[str]:
        fracs = areas + fill
        mean = round(float(np.mean(fracs)), 4)
        more = {} if subtitles is None else {"subtitle_width_fracs": subtitles + fill}
        return check(dataclasses.replace(clip, text_area_fracs=fracs, text_area_frac=mean, **more))

    seen = verdict([])
    return all(verdict([fill] * rest) == seen for fill in (0.0, 1.0))


class OcrScorer:
    """Text area per frame from detection; recognised text when the config asks.

    Detection runs rapidocr's DBNet ONNX model directly (its own resize, post-processing and
    box filter, without the per-call wrapper), on a session of its own with the memory arena on
    and, with `fold_graphs`, its per-pixel ops folded into its convolutions (ocr_graph.py, the
    recogniser's too);
    the recognition model loads only when `recognize_text` asks or a band box needs reading (the
    direction model never: nothing here uses it). The frame's long side is capped at
    `det_max_side`, the probability map binarised and boxed as rapidocr does, a line-shaped box
    scored over its outline (`det_line_min_aspect`).
    The quarter-turned pass for vertical text runs only on frames whose upright map reaches
    `vertical_min_response` somewhere (vertical text lights up its letters upright too; a frame
    with no response at all has no text either way). A frame's text band (the bottom of the
    frame at a higher resolution, `SampledClip.bands_jpg`) is detected on too and its boxes
    drawn into the frame's mask where the recogniser reads them (`band_min_text_score`; the
    recognition model loads then), so subtitles too small for the sample count (`band`). One
    frame per session call: a batch of 5 measured 1.6x slower per frame on one thread
    (bench/bench_ocr.py). The band is detected on a thread of its own while the sample is
    (onnxruntime and OpenCV release the GIL; the session is safe to share): the same CPU and
    scores. On Beam's in-process runner OCR runs alone between the decode pass and the encode;
    with the second core free its wall measured 0.62-0.92x on the bench input's 16 clips (the
    band is ~40 % of a frame's detection), with the machine busy no gain.

    With `early_stop` and a quality `check`, a clip's frames are read in order until the
    clip's verdict cannot change (`text_votes_decided`): `text_area_fracs` then holds the areas
    of the frames read (3 of 5 for a clip clear or covered throughout) and `text_area_frac`
    their mean."""

    def __init__(self, config: OcrConfig):
        from rapidocr_onnxruntime.ch_ppocr_det import TextDetector

        self.config = config
        settings = rapidocr_det_settings(config)
        self.session = detection_session(settings["model_path"], config.threads, config.fold_graphs)
        self.input_name = self.session.get_inputs()[0].name
        self.engine = rapidocr_recogniser(config) if config.recognize_text else None
        # rapidocr's post-processing and box filter as its TextDetector builds them; not the
        # TextDetector itself, whose constructor would load the model into a second session
        # (its filter methods keep no state).
        self.postprocess = line_aware_postprocess(settings, config.det_line_min_aspect)
        self.filter_boxes = TextDetector.__new__(TextDetector).filter_tag_det_res
        self._band_thread = None  # made for the first band: a worker that sees none makes none

    def close(self) -> None:
        """Ends the band's thread (if one was made)."""
        if self._band_thread is not None:
            self._band_thread.shutdown()
            self._band_thread = None

    def _band_detection(self, band: np.ndarray) -> Future:
        """`_boxes(band)` started on the band's thread."""
        if self._band_thread is None:
            self._band_thread = ThreadPoolExecutor(1, thread_name_prefix="cliploom-ocr-band")
        return self._band_thread.submit(self._boxes, band)

    def _boxes(self, image: np.ndarray) -> tuple[np.ndarray, float]:
        """(text boxes in `image`'s pixels, the probability map's peak) of one BGR frame."""
        import cv2

        h, w = image.shape[:2]
        ratio = min(1.0, self.config.det_max_side / max(h, w))
        size = (max(32, round(int(w * ratio) / 32) * 32), max(32, round(int(h * ratio) / 32) * 32))
        x = cv2.resize(image, size).astype(np.float32) * np.float32(2 / 255) - np.float32(1)
        pred = self.session.run(None, {self.input_name: x.transpose(2, 0, 1)[None]})[0]
        boxes, _ = self.postprocess(pred, (h, w))
        return self.filter_boxes(boxes, (h, w)), float(pred.max())

    def _recognise(self, image: np.ndarray, boxes: np.ndarray) -> tuple[np.ndarray, list]:
        """(`boxes` in reading order, (text, confidence) of each), the recogniser loaded on
        first use."""
        if self.engine is None:
            self.engine = rapidocr_recogniser(self.config)
        ordered = self.engine.sorted_boxes(np.asarray(boxes, np.float32))
        recognised, _ = self.engine.text_rec(self.engine.get_crop_img_list(image, ordered))
        return np.asarray(ordered, np.float32), recognised

    def _lines(self, recognised: list) -> list[str]:
        return [t for t, score in recognised if t and score >= self.config.min_text_score]

    def _read(self, image: np.ndarray, boxes: np.ndarray) -> list[str]:
        """The lines recognised in `image`'s text boxes (none unless `recognize_text`)."""
        if not self.config.recognize_text or not len(boxes):
            return []
        return self._lines(self._recognise(image, boxes)[1])

    def _band_boxes(
        self, band: np.ndarray, boxes: np.ndarray, seen: np.ndarray
    ) -> tuple[list, list[str]]:
        """(the text band's `boxes` that count (as `_boxes` found them), as polygons in the
        sample's pixels; recognised lines). With `band_min_text_score` a box counts where the
        sample's own boxes (`seen`) cover most of it, or else where the recogniser reads it at
        that confidence (so the recogniser runs only on what the band alone found, unless
        `recognize_text`)."""
        if not len(boxes):
            return [], []
        floor, recognise = self.config.band_min_text_score, self.config.recognize_text
        lines, recognised = [], []
        if recognise:
            boxes, recognised = self._recognise(band, boxes)
            lines = self._lines(recognised)
        where = band_offset(seen.shape, band.shape)
        polygons = np.round(boxes_in_sample(boxes, *where)).astype(np.int32)
        if floor is None:
            return list(polygons), lines
        counts = np.array([share_covered(seen, p) >= 0.5 for p in polygons])
        if recognise:
            counts |= np.array([bool(t) and score >= floor for t, score in recognised])
        elif not counts.all():
            ordered, recognised = self._recognise(band, boxes[~counts])
            read = np.array([bool(t) and score >= floor for t, score in recognised])
            more = np.round(boxes_in_sample(ordered[read], *where)).astype(np.int32)
            return list(polygons[counts]) + list(more), lines
        return list(polygons[counts]), lines

    def _detect(self, image: np.ndarray) -> tuple[np.ndarray, float, list[str], list]:
        """(mask of text boxes, map peak, recognised lines, boxes) of one BGR frame as it
        stands."""
        import cv2

        boxes, peak = self._boxes(image)
        mask = np.zeros(image.shape[:2], np.uint8)
        if len(boxes):
            cv2.fillPoly(mask, [np.round(b).astype(np.int32) for b in boxes], 1)
        return mask, peak, self._read(image, boxes), list(boxes)

    def frame(
        self, image: np.ndarray, band: np.ndarray | None = None
    ) -> tuple[float, list[str], tuple[float, float, float, float] | None]:
        """(text area fraction, recognised lines, subtitle line) of one upright BGR
        frame, vertical text included when `vertical` asks and the upright pass saw a text-like
        response, and the text in its `band` (the frame's bottom at a higher resolution, as
        text_band.py makes it) when `band` asks, each band box where the sample's boxes or the
        recogniser confirm it (`band_min_text_score`). The subtitle line is the widest
        subtitle-shaped line among the upright and band boxes (`subtitle_line`: x0, y0, x1, y1
        as fractions of the frame), None when there is none."""
        import cv2

        banded = band is not None and self.config.band
        band_job = self._band_detection(band) if banded else None
        mask, peak, lines, upright = self._detect(image)
        if self.config.vertical and peak >= self.config.vertical_min_response:
            turned, _, more, _ = self._detect(np.ascontiguousarray(np.rot90(image, k=-1)))
            mask |= np.rot90(turned, k=1)
            lines += [line for line in more if line not in lines]
        if band_job is not None:
            polygons, more = self._band_boxes(band, band_job.result()[0], mask)
            if polygons:
                cv2.fillPoly(mask, polygons, 1)
                upright += polygons
            lines += [line for line in more if line not in lines]
        c = self.config
        line = subtitle_line(
            upright,
            image.shape,
            c.subtitle_band_frac,
            c.subtitle_max_offcentre_frac,
            c.subtitle_max_tilt_deg,
        )
        return float(mask.mean()), lines, line

    def score(self, sampled: SampledClip, check=None) -> dict:
        """The clip's text scores; `check` (quality's, clip -> reasons) lets `early_stop` end
        the clip's frames once its verdict is settled (never when recognising text: every
        frame's text is then wanted)."""
        picked = sampled.pick(self.config.frames)
        if not picked:
            return {}
        stop = check is not None and self.config.early_stop and not self.config.recognize_text
        areas, widths, texts = [], [], []
        bands = sampled.bands_jpg
        found = []  # each frame's subtitle-shaped line, None where it has none
        drift = self.config.subtitle_max_drift_frac
        for i in picked:
            band = bands[i] if i < len(bands) and self.config.band else None
            image = decode_jpeg(sampled.frames_jpg[i])
            area, lines, line = self.frame(image, decode_jpeg(band) if band is not None else None)
            areas.append(round(area, 4))
            found.append(line)
            held = line is not None and (drift is None or lines_spread(found) <= drift)
            widths.append(round(line[2] - line[0], 4) if held else 0.0)
            texts += [line for line in lines if line not in texts]
            if stop and text_votes_decided(sampled.clip, areas, len(picked), check, widths):
                break
        scores = {
            "text_area_frac": round(float(np.mean(areas)), 4),
            "text_area_fracs": areas,
            "subtitle_width_fracs": widths,
        }
        if self.config.recognize_text:
            scores["ocr_text"] = "\n".join(texts)
        return scores


def make_aesthetic_head(in_dim: int, linear: bool = False):
    """The LAION aesthetic head: the improved predictor's MLP (keys `layers.N.*`) or v1's
    single linear layer (keys `weight`, `bias`), on L2-normalised CLIP image embeddings."""
    import torch

    if linear:
        return torch.nn.Linear(in_dim, 1)

    class AestheticMLP(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = torch.nn.Sequential(
                torch.nn.Linear(in_dim, 1024),
                torch.nn.Dropout(0.2),
                torch.nn.Linear(1024, 128),
                torch.nn.Dropout(0.2),
                torch.nn.Linear(128, 64),
                torch.nn.Dropout(0.1),
                torch.nn.Linear(64, 16),
                torch.nn.Linear(16, 1),
            )

        def forward(self, x):
            return self.layers(x)

    return AestheticMLP()


def load_aesthetic_head(path: str):
    import torch

    state = torch.load(path, map_location="cpu", weights_only=True)
    state = state.get("state_dict", state)
    linear = set(state) == {"weight", "bias"}
    in_dim = state["weight" if linear else "layers.0.weight"].shape[1]
    head = make_aesthetic_head(in_dim, linear)
    head.load_state_dict(state)
    return head.eval()


class AestheticScorer:
    """open_clip image embedding + LAION aesthetic head, averaged over a clip's frames."""

    def __init__(
        self, model, preprocess, head, model_name: str, frames: int = 3, device: str = "cpu"
    ):
        import torch

        first = head if isinstance(head, torch.nn.Linear) else head.layers[0]
        embed_dim = model.visual.output_dim
        if first.in_features != embed_dim:
            raise ValueError(
                f"the aesthetic head takes {first.in_features}-d embeddings; "
                f"{model_name} gives {embed_dim}-d"
            )
        self.device = device
        self.model, self.preprocess = model.eval().to(device), preprocess
        self.head = head.eval().to(device)
        self.model_name, self.frames = model_name, frames

    @classmethod
    def load(cls, config: AestheticConfig) -> AestheticScorer:
        import open_clip
        import torch

        if config.threads:
            torch.set_num_threads(config.threads)
        model, _, preprocess = open_clip.create_model_and_transforms(
            config.model, pretrained=config.pretrained
        )
        head = load_aesthetic_head(config.head_path)
        name = f"open_clip:{config.model}:{os.path.basename(str(config.pretrained))}"
        return cls(model, preprocess, head, name, config.frames, torch_device(config.device))

    def score(self, sampled: SampledClip) -> dict:
        return self.score_batch([sampled])[0]

    def score_batch(self, clips: list[SampledClip]) -> list[dict]:
        """Scores of several clips from one forward pass over all their frames."""
        import torch

        picked, images = sampled_images(clips, self.frames)
        if not images:
            return [{} for _ in clips]
        with torch.inference_mode():
            batch = torch.stack([self.preprocess(im) for im in images]).to(self.device)
            embeddings = self.model.encode_image(batch).float()
            embeddings = embeddings / embeddings.norm(dim=-1, keepdim=True)
            scores = self.head(embeddings).squeeze(-1).cpu()
            embeddings = embeddings.cpu()
        out, start = [], 0
        for indices in picked:
            end = start + len(indices)
            if not indices:
                out.append({})
                continue
            mean = embeddings[start:end].mean(dim=0)
            mean = mean / mean.norm()
            out.append(
                {
                    "aesthetic": round(float(scores[start:end].mean()), 4),
                    "image_embedding": [round(float(v), 6) for v in mean],
                    "embedding_model": self.model_name,
                }
            )
            start = end
        return out


def torch_device(device: str) -> str:
    """`device` with `auto` resolved: cuda where this worker has a GPU, else cpu."""
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return device


def sampled_images(clips: list[SampledClip], frames: int) -> tuple[list[list[int]], list]:
    """(the picked frame indices of each clip, their frames as RGB PIL images, in order)."""
    import cv2
    from PIL import Image

    picked = [s.pick(frames) for s in clips]
    images = [
        Image.fromarray(cv2.cvtColor(decode_jpeg(s.frames_jpg[i]), cv2.COLOR_BGR2RGB))
        for s, indices in zip(clips, picked, strict=True)
        for i in indices
    ]
    return picked, images


class WatermarkClassifier:
    """A Hugging Face image classifier's watermark probability for each of a clip's sampled
    frames (upright, display shape, as the decode pass sampled them): the softmax probabilities
    of the configured labels summed (sigmoid, max, for a multi-label model)."""

    def __init__(self, model, processor, config: WatermarkClassifierConfig, device: str = "cpu"):
        id2label = {int(i): str(name) for i, name in model.config.id2label.items()}
        wanted = {label.lower() for label in config.labels}
        self.indices = sorted(i for i, name in id2label.items() if name.lower() in wanted)
        missing = wanted - {name.lower() for name in id2label.values()}
        if missing:
            raise ValueError(
                f"watermark.classifier.labels {sorted(missing)} are not labels of "
                f"{config.model} (it has {sorted(id2label.values())})"
            )
        self.multi_label = model.config.problem_type == "multi_label_classification"
        self.model, self.processor = model.eval().to(device), processor
        self.config, self.device = config, device
        self.name = f"hf:{os.path.basename(os.path.normpath(config.model)) or config.model}"

    @classmethod
    def load(cls, config: WatermarkClassifierConfig) -> WatermarkClassifier:
        import torch
        from transformers import AutoImageProcessor, AutoModelForImageClassification

        if config.threads:
            torch.set_num_threads(config.threads)
        model = AutoModelForImageClassification.from_pretrained(config.model)
        processor = AutoImageProcessor.from_pretrained(config.model)
        return cls(model, processor, config, torch_device(config.device))

    def probabilities(self, images: list) -> list[float]:
        """The watermark probability of each RGB image, from one forward pass."""
        import torch

        if not images:
            return []
        with torch.inference_mode():
            inputs = self.processor(images=images, return_tensors="pt").to(self.device)
            logits = self.model(**inputs).logits.float()
            if self.multi_label:
                probs = logits.sigmoid()[:, self.indices].max(dim=1).values
            else:
                probs = logits.softmax(dim=-1)[:, self.indices].sum(dim=1)
        return [float(p) for p in probs.cpu()]

    def score_batch(self, clips: list[SampledClip]) -> list[dict]:
        """Scores of several clips from one forward pass over all their picked frames."""
        picked, images = sampled_images(clips, self.config.frames)
        probs = self.probabilities(images)
        out, start = [], 0
        for indices in picked:
            mine = [round(p, 5) for p in probs[start : start + len(indices)]]
            start += len(indices)
            if not mine:
                out.append({})
                continue
            out.append(
                {
                    "watermark_probs": mine,
                    "watermark_prob": round(float(np.mean(mine)), 5),
                    "watermark_model": self.name,
                }
            )
        return out


def log_availability(ocr: OcrConfig, aesthetics: AestheticConfig, check_files: bool = True) -> None:
    """Say at start which costly scorers will run, and why one will not (`check_files`: the
    checkpoints are on this machine, i.e. a local run)."""
    if not ocr.enabled:
        log.warning("OCR off (ocr.enabled is false): text_area_frac is null, no text_overlay")
    reason = aesthetics.unavailable(check_files)
    if reason:
        log.warning(
            "aesthetics off (%s): aesthetic and image_embedding are null and low_aesthetic is "
            "never given; to turn them on set aesthetics.enabled=true, aesthetics.pretrained "
            "(an open_clip checkpoint for aesthetics.model) and aesthetics.head_path (the LAION "
            "aesthetic head's .pth)",
            reason,
        )


def apply_scores(sampled: SampledClip, scores: dict, check) -> SampledClip:
    clip = dataclasses.replace(sampled.clip, **scores) if scores else sampled.clip
    if check is not None:
        clip = clip.with_reasons(*check(clip))
    return dataclasses.replace(sampled, clip=clip)


def _route(sampled: SampledClip, counters: StageCounters, last: bool = True):
    """Kept clips on, dropped ones to DROPPED; `kept` is counted by the stage's last step only,
    so each clip counts once."""
    if sampled.clip.kept:
        if last:
            counters.inc("kept")
        yield sampled
        return
    for reason in sampled.clip.drop_reasons:
        counters.inc(f"dropped.{reason}")
    yield beam.pvalue.TaggedOutput(DROPPED, sampled.clip)


class _OcrFn(beam.DoFn):
    """OCR on each kept clip; with `duplicates` (a DedupConfig: its visual pass), a segment's
    kept clips are held until a clip of another one comes (or the bundle ends), then OCR'd in
    survivor order, and those settled as near-duplicates of a clip certain to reach DedupClips
    go on unscanned, marked (`duplicate_of`) with that clip (transforms/dedup_settled.py).
    Clips arrive from the decode pass a segment at a time; one that comes apart from the rest
    of its segment is only compared with the clips it came with."""

    def __init__(self, ocr: OcrConfig, check, last: bool = True, duplicates=None):
        self.ocr_config, self.check, self.last = ocr, check, last
        self.duplicates = duplicates if ocr.enabled else None

    def setup(self):
        self.counters = StageCounters(STAGE)
        self.ocr = None  # loaded for the first clip to read: a worker with none loads no model

    def start_bundle(self):
        self.held, self.held_key = [], None

    def process(
        self, sampled: SampledClip, timestamp=beam.DoFn.TimestampParam, window=beam.DoFn.WindowParam
    ):
        self.counters.inc("total")
        if self.duplicates is None or not sampled.clip.kept:
            yield from self._scored(sampled, self._scores(sampled))
            return
        key = (sampled.clip.source_sha256, segment_of(sampled.clip))
        if key != self.held_key:
            yield from self._flush()
        self.held_key = key
        self.held.append(WindowedValue(sampled, timestamp, [window]))

    def finish_bundle(self):
        yield from self._flush()

    def _flush(self):
        """The held clips, OCR'd best first, each settled one unscanned (see the class)."""
        held, self.held, self.held_key = self.held, [], None
        if not held:
            return
        better = better_matches([h.value.clip for h in held], self.duplicates)
        reaching: set[str] = set()
        for h in in_rank_order(held, lambda h: h.value.clip):
            sampled = h.value
            clip_id = sampled.clip.clip_id
            settled = settled_by(better.get(clip_id, ()), reaching)
            if settled is None:
                scored = list(self._scored(sampled, self._scores(sampled)))
            else:
                self.counters.inc("ocr_skipped_duplicate")
                clip = dataclasses.replace(sampled.clip, duplicate_of=settled)
                scored = list(self._scored(dataclasses.replace(sampled, clip=clip), None))
            for out in scored:
                if isinstance(out, beam.pvalue.TaggedOutput):
                    yield beam.pvalue.TaggedOutput(out.tag, h.with_value(out.value))
                else:
                    reaching.add(clip_id)
                    yield h.with_value(out)

    def _scores(self, sampled: SampledClip) -> dict | None:
        """The clip's OCR scores; None where OCR is off or the clip is already dropped."""
        if not (self.ocr_config.enabled and sampled.clip.kept):
            return None
        if self.ocr is None:
            self.ocr = OcrScorer(self.ocr_config)
        scores = self.ocr.score(sampled, self.check)
        self.counters.inc("ocr_frames", len(scores.get("text_area_fracs", ())))
        return scores

    def _scored(self, sampled: SampledClip, scores: dict | None):
        if scores is not None:
            sampled = apply_scores(sampled, scores, self.check)
        # The text bands are for OCR only: the stages after it do not carry them.
        sampled = dataclasses.replace(sampled, bands_jpg=())
        yield from _route(sampled, self.counters, self.last)

    def teardown(self):
        if self.ocr is not None:
            self.ocr.close()


def sampled_clip_handler(load, batch_size: int):
    """A RunInference ModelHandler: SampledClips in batches -> PredictionResult(clip, scores).

    `load()` runs once per worker process in `load_model` (on the GPU when the worker has one);
    a model of None gives every clip no scores. Built in a function: Beam's inference module
    imports torch.
    """
    from apache_beam.ml.inference.base import ModelHandler, PredictionResult

    class SampledClipHandler(ModelHandler):
        def load_model(self):
            return load()

        def run_inference(self, batch, model, inference_args=None):
            scores = model.score_batch(list(batch)) if model else [{} for _ in batch]
            return [PredictionResult(s, r) for s, r in zip(batch, scores, strict=True)]

        def batch_elements_kwargs(self) -> dict:
            return {"min_batch_size": 1, "max_batch_size": batch_size}

        def get_num_bytes(self, batch) -> int:
            return sum(len(f) for s in batch for f in s.frames_jpg)

        def get_metrics_namespace(self) -> str:
            return STAGE

    return SampledClipHandler()


def aesthetic_handler(config: AestheticConfig):
    """The aesthetics model's handler. Checkpoints missing on the worker turn aesthetics off
    there (said in the log; scores null), as they do on a local run."""

    def load() -> AestheticScorer | None:
        reason = config.unavailable()
        if reason:
            log.error("aesthetics off on this worker: %s", reason)
            return None
        try:
            return AestheticScorer.load(config)
        except (OSError, RuntimeError, ValueError, KeyError) as e:
            log.error("aesthetics off: could not load %s: %s", config.model, e)
            return None

    return sampled_clip_handler(load, config.batch_size)


def watermark_handler(config: WatermarkClassifierConfig):
    """The watermark classifier's handler. It was asked for, so a model that cannot load fails
    the run instead of passing every clip unjudged."""
    return sampled_clip_handler(lambda: WatermarkClassifier.load(config), config.batch_size)


class _ApplyInferenceFn(beam.DoFn):
    """A model's scores onto their clip, its quality re-checked; `counter` counts the clips
    that got scores."""

    def __init__(self, check, counter: str, last: bool = True):
        self.check, self.counter, self.last = check, counter, last

    def setup(self):
        self.counters = StageCounters(STAGE)

    def process(self, prediction):  # a RunInference PredictionResult
        sampled, scores = prediction.example, prediction.inference
        if scores:
            self.counters.inc(self.counter)
        yield from _route(apply_scores(sampled, scores, self.check), self.counters, self.last)


class ScoreClips(beam.PTransform):
    """Kept SampledClips -> {"clips": those still kept, DROPPED: manifest rows of the dropped}.

    OCR runs in a DoFn; the watermark classifier (when `watermark` is set) and aesthetics run
    through `RunInference` (batched, one model per worker process, on the GPU when there is
    one), each after a Reshuffle, so the decode's fused stage does not carry the model and the
    batches spread over workers. Each model sees only the clips still kept before it. `check`
    turns the clip's scores into reasons (the same thresholds as the decode pass).
    `duplicates` (the near-duplicate pass's DedupConfig), with `ocr.skip_duplicates` and no
    model after OCR, leaves unscanned the clips settled as duplicates (`_OcrFn`).
    """

    def __init__(
        self,
        ocr: OcrConfig,
        aesthetics: AestheticConfig,
        check=None,
        watermark: WatermarkClassifierConfig | None = None,
        duplicates=None,
    ):
        super().__init__()
        self.ocr, self.aesthetics, self.check = ocr, aesthetics, check
        self.watermark, self.duplicates = watermark, duplicates

    def expand(self, clips):
        models = []
        if self.watermark is not None:
            models.append(("Watermark", watermark_handler(self.watermark), "watermark_clips"))
        if not self.aesthetics.unavailable(check_files=False):
            models.append(("Aesthetics", aesthetic_handler(self.aesthetics), "aesthetic_clips"))
        duplicates = self.duplicates
        if (
            models
            or not self.ocr.skip_duplicates
            or getattr(duplicates, "max_hamming", None) is None
        ):
            duplicates = None  # a model after OCR may drop the clip a duplicate is settled by
        ocr = clips | "Ocr" >> beam.ParDo(
            _OcrFn(self.ocr, self.check, last=not models, duplicates=duplicates)
        ).with_outputs(DROPPED, main="clips")
        if not models:
            return {"clips": ocr.clips, DROPPED: ocr[DROPPED]}
        from apache_beam.ml.inference.base import RunInference

        kept, dropped = ocr.clips, [ocr[DROPPED]]
        for k, (name, handler, counter) in enumerate(models):
            last = k == len(models) - 1
            spread = "Spread" if name == "Aesthetics" else f"Spread{name}"  # stable labels
            judged = (
                kept
                | spread >> beam.Reshuffle()
                | name >> RunInference(handler)
                | f"Apply{name}"
                >> beam.ParDo(_ApplyInferenceFn(self.check, counter, last)).with_outputs(
                    DROPPED, main="clips"
                )
            )
            kept = judged.clips
            dropped.append(judged[DROPPED])
        return {"clips": kept, DROPPED: tuple(dropped) | "AllDropped" >> beam.Flatten()}
