"""The OCR detector's graph with its per-pixel ops folded: the same map from fewer ops."""

import av
import cv2
import numpy as np
import onnxruntime as ort
import pytest

from transforms.ocr_graph import _model_class, fold_graph
from transforms.score import (
    OcrConfig,
    detection_session,
    rapidocr_det_settings,
    rapidocr_recogniser,
)


@pytest.fixture(scope="module")
def shipped():
    with open(rapidocr_det_settings(OcrConfig())["model_path"], "rb") as f:
        return f.read()


def frames() -> list[np.ndarray]:
    """Detector inputs from real footage: a 448x256 sample and an 800x96 bottom band."""
    out = []
    for name, at_s in (("chaplin.mp4", 2.0), ("bigbuckbunny.mp4", 1.0)):
        # decoded from the start on one thread: the same frame every run (a seek may not be)
        with av.open(f"../shared/testdata/real/{name}") as video:
            stream = video.streams.video[0]
            stream.thread_count = 1
            decoded = (f for f in video.decode(stream) if f.time >= at_s)
            frame = next(decoded).to_ndarray(format="bgr24")
        sample = cv2.resize(frame, (448, 256), interpolation=cv2.INTER_AREA)
        wide = cv2.resize(frame, (800, 450), interpolation=cv2.INTER_AREA)
        out += [sample, wide[-96:]]
    return [
        np.ascontiguousarray(
            (f.astype(np.float32) * np.float32(2 / 255) - np.float32(1)).transpose(2, 0, 1)[None]
        )
        for f in out
    ]


def ops(model: bytes) -> dict[str, int]:
    counts: dict[str, int] = {}
    for node in _model_class().FromString(model).graph.node:
        counts[node.op_type] = counts.get(node.op_type, 0) + 1
    return counts


def test_folded_detector_gives_the_same_map_from_fewer_ops(shipped):
    folded, counts = fold_graph(shipped)
    assert counts == {
        "conv_affine": 28,
        "hard_swish": 24,
        "affine_conv": 10,
        "affine_depthwise": 14,
    }
    before, after = ops(shipped), ops(folded)
    assert "Div" in before and "Div" not in after and after["HardSigmoid"] == 10 + 24
    assert after["Mul"] < before["Mul"] and after["Add"] < before["Add"]
    assert after["Conv"] == before["Conv"] + 14

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    original = ort.InferenceSession(shipped, options, providers=["CPUExecutionProvider"])
    rewritten = ort.InferenceSession(folded, options, providers=["CPUExecutionProvider"])
    name = original.get_inputs()[0].name
    for x in frames():
        want = original.run(None, {name: x})[0]
        got = rewritten.run(None, {name: x})[0]
        assert np.abs(got - want).max() < 1e-4
        # rapidocr's binarisation threshold: the same side of it but within float rounding
        flipped = (got > 0.3) != (want > 0.3)
        assert (np.abs(want[flipped] - 0.3) < 1e-4).all()


def test_a_folded_graph_has_nothing_left_to_fold(shipped):
    folded, _ = fold_graph(shipped)
    again, counts = fold_graph(folded)
    assert not any(counts.values()), counts
    assert ops(again) == ops(folded)


def test_the_ocr_session_runs_the_folded_graph_only_when_asked(shipped):
    path = rapidocr_det_settings(OcrConfig())["model_path"]
    x = frames()[0]
    folded = detection_session(path, 1, fold=True)
    plain = detection_session(path, 1)
    name = plain.get_inputs()[0].name
    a, b = folded.run(None, {name: x})[0], plain.run(None, {name: x})[0]
    assert 0 < np.abs(a - b).max() < 1e-4  # float rounding differs: another graph ran


def test_the_recogniser_reads_the_same_text_on_its_folded_graph():
    """The recogniser's graph (PP-OCRv4 rec, the same backbone kind) folds too: the same text
    at the same confidence within float rounding, from another graph."""
    image = np.full((48, 320, 3), 255, np.uint8)
    cv2.putText(image, "down to the river", (6, 34), cv2.FONT_HERSHEY_SIMPLEX, 0.9, (0, 0, 0), 2)
    folded = rapidocr_recogniser(OcrConfig())
    shipped = rapidocr_recogniser(OcrConfig(fold_graphs=False))
    [(text, score)], _ = folded.text_rec([image])
    [(want, want_score)], _ = shipped.text_rec([image])
    assert text == want and "river" in text, (text, want)
    assert abs(score - want_score) < 1e-4
    x = np.random.default_rng(0).random((1, 3, 48, 320), np.float32) * 2 - 1
    a, b = (engine.text_rec.session.session.run(None, {"x": x})[0] for engine in (folded, shipped))
    assert 0 < np.abs(a - b).max() < 1e-4  # another graph ran, to the same scores
