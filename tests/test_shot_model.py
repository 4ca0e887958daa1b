"""TransNetV2 as an optional shot-boundary detector (transforms/shot_model.py).

No trained weights can be downloaded here, so the network is checked against the published
architecture's shapes, its streaming windows against the authors' whole-video procedure, and
the decode-pass path with a small network whose weights are set by hand so that it computes a
colour-histogram cut detector through the model's own histogram branch.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch

import configs
from pipelines.config import ConfigError, PipelineConfig
from tests.conftest import TESTDATA
from transforms.probe import probe_file
from transforms.scenes import analyze_video, scenes_of
from transforms.shot_model import (
    CONTEXT,
    LOOKUP,
    STEP,
    WINDOW,
    ShotModelConfig,
    ShotPredictor,
    boundaries_from,
    build_network,
    load_shot_model,
    network_for,
    windows_per_pass,
)


def test_network_has_the_published_shapes():
    """The authors' PyTorch port's state dict (transnetv2-pytorch-weights.pth): 90 tensors,
    7,618,056 numbers, these names and shapes, so their converted weights load strictly."""
    state = build_network().state_dict()
    assert len(state) == 90
    assert sum(v.numel() for v in state.values()) == 7_618_056
    shapes = {
        "SDDCNN.0.DDCNN.0.Conv3D_1.layers.0.weight": (32, 3, 1, 3, 3),
        "SDDCNN.0.DDCNN.0.Conv3D_8.layers.1.weight": (16, 32, 3, 1, 1),
        "SDDCNN.2.DDCNN.1.bn.running_var": (256,),
        "frame_sim_layer.projection.weight": (128, 448),
        "frame_sim_layer.fc.weight": (128, 101),
        "color_hist_layer.fc.weight": (128, 101),
        "fc1.weight": (1024, 4864),
        "cls_layer2.weight": (1, 1024),
    }
    for name, shape in shapes.items():
        assert tuple(state[name].shape) == shape, name
    small = build_network(filters=2, stacks=2, blocks=1, dense=8)
    assert network_for(small.state_dict()).state_dict().keys() == small.state_dict().keys()
    with pytest.raises(ValueError, match="no TransNetV2"):
        network_for({"fc1.weight": torch.zeros(1, 1)})


def authors_windows(network, frames: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The authors' `predict_frames`: the first frame repeated 25 times before, the last one
    25-74 times after, windows of 100 every 50 frames, the middle 50 of each kept."""
    n = len(frames)
    end_pad = CONTEXT + STEP - (n % STEP if n % STEP else STEP)
    padded = np.concatenate([frames[:1]] * CONTEXT + [frames] + [frames[-1:]] * end_pad)
    single, many = [], []
    for start in range(0, len(padded) - WINDOW + 1, STEP):
        with torch.inference_mode():
            s, m = network(torch.from_numpy(padded[None, start : start + WINDOW]))
        single.append(s[0, CONTEXT : CONTEXT + STEP].numpy())
        many.append(m[0, CONTEXT : CONTEXT + STEP].numpy())
    return np.concatenate(single)[:n], np.concatenate(many)[:n]


@pytest.mark.parametrize("count", [1, 49, 50, 137, 260])
def test_streamed_frames_get_the_authors_predictions(count):
    torch.manual_seed(1)
    network = build_network(filters=2, stacks=2, blocks=1, dense=8)
    for module in network.modules():  # random BN statistics, so every layer matters
        if isinstance(module, torch.nn.BatchNorm3d):
            module.running_mean.uniform_(-0.5, 0.5)
            module.running_var.uniform_(0.5, 2.0)
    rng = np.random.default_rng(count)
    shots = rng.integers(0, 256, (5, 27, 48, 3), dtype=np.uint8)
    frames = np.stack([shots[(i // 40) % 5] for i in range(count)])
    frames = np.clip(frames + rng.integers(0, 8, frames.shape), 0, 255).astype(np.uint8)
    predictor = ShotPredictor(network, "cpu", batch_windows=2)
    for frame in frames:
        predictor.add(np.ascontiguousarray(frame[..., ::-1]))  # BGR in, as the pass gives
    single, many = predictor.finish()
    want_single, want_many = authors_windows(network, frames)
    assert single.shape == (count,) and many.shape == (count,)
    np.testing.assert_allclose(single, want_single, atol=1e-6)
    np.testing.assert_allclose(many, want_many, atol=1e-6)
    assert len(predictor.held) < WINDOW + STEP  # memory does not grow with the video


def test_hot_runs_become_boundaries():
    config = ShotModelConfig(weights="unused.pth", max_cut_frames=2)
    times = [i / 10 for i in range(12)]
    single = np.array([0.9, 0, 0, 0.7, 0, 0, 0, 0, 0, 0, 0, 0.8], np.float32)
    many = np.array([0, 0, 0, 0, 0, 0.6, 0.9, 0.7, 0, 0, 0, 0], np.float32)
    got = [
        (b.kind, b.start_s, b.end_s, b.index)
        for b in boundaries_from(times, single, many, 0.1, config)
    ]
    assert got == [
        ("cut", 0.0, 0.1, 1),  # a run at the first frame: no scene before it
        ("cut", 0.3, 0.4, 4),  # the scene before ends at the hot frame, the next after it
        ("gradual", 0.5, 0.8, 8),  # the whole run is left out
        ("cut", 1.1, pytest.approx(1.2), 12),  # at the last frame: no scene after it
    ]


def histogram_cut_network() -> torch.nn.Module:
    """A small TransNetV2 whose weights make it a colour-histogram cut detector: one colour
    branch unit is how much less this frame's histogram resembles the next frame's than the
    one before (cosine similarity), and the single-frame head fires where that passes 0.45
    (on hard_cuts.mp4: 0.52-0.99 at its cuts, at most 0.38 elsewhere). Convolutions are zero."""
    network = build_network(filters=2, stacks=2, blocks=1, dense=4)
    with torch.no_grad():
        for p in network.parameters():
            p.zero_()
        colour = network.color_hist_layer.fc
        centre = (LOOKUP - 1) // 2  # this frame's similarity to itself
        colour.weight[0, centre - 1] = 1.0  # the frame before
        colour.weight[0, centre + 1] = -1.0  # the frame after
        network.fc1.weight[0, 0] = 1.0  # the colour branch's features come first
        network.cls_layer1.weight[0, 0] = 40.0
        network.cls_layer1.bias[0] = -18.0
        network.cls_layer2.bias[0] = -20.0  # the many-hot head never fires
    return network


def test_decode_pass_cuts_where_the_model_fires(tmp_path):
    """The model path of the decode pass on real video: every frame read (no reference-frame
    skipping), the cuts where the network fires, scenes between them."""
    weights = tmp_path / "transnet.pth"
    torch.save(histogram_cut_network().state_dict(), weights)
    config = PipelineConfig.from_dict(
        {
            **configs.load(),
            "scenes": {**configs.load()["scenes"], "model": {"weights": str(weights)}},
        }
    )
    assert config.scenes.model == ShotModelConfig(weights=str(weights))
    video = TESTDATA / "synthetic/cuts/hard_cuts.mp4"
    info = probe_file(str(video), str(video), config.probe)
    analysis = analyze_video(str(video), info, config.scenes)
    assert not analysis.skipped_nonref
    assert len(analysis.frame_times_s) == 945  # every frame of 31.5 s at 30 fps
    cuts = [b for b in analysis.boundaries]
    assert [b.kind for b in cuts] == ["cut"] * 5
    for b, truth in zip(cuts, [4.0, 10.0, 15.0, 22.0, 25.5], strict=True):
        # The hot frame is the last of the old shot: the scene before ends one frame early.
        assert b.start_s == pytest.approx(truth - 1 / 30, abs=1e-3)
        assert b.end_s == pytest.approx(truth, abs=1e-3)
    assert len(scenes_of(analysis)) == 6
    load_shot_model.cache_clear()


def test_model_config_is_checked(tmp_path):
    raw = configs.load()
    assert PipelineConfig.from_dict(raw).scenes.model is None
    # --set opens the section that is off by default (null); its keys are checked on build
    on = configs.load(sets=["scenes.model.weights=w.pth", "scenes.model.threshold=0.3"])
    assert PipelineConfig.from_dict(on).scenes.model == ShotModelConfig("w.pth", threshold=0.3)
    # batch_windows null: what measured fastest on each device (bench_shot_model.py --network)
    assert windows_per_pass(ShotModelConfig("w"), "cpu") == 1
    assert windows_per_pass(ShotModelConfig("w"), "cuda:0") == 8
    assert windows_per_pass(ShotModelConfig("w", batch_windows=3), "cpu") == 3
    with pytest.raises(ConfigError, match="batch_windows"):
        PipelineConfig.from_dict(configs.load(sets=["scenes.model={weights: w, batch_windows: 0}"]))
    with pytest.raises(ConfigError, match="threshold"):
        PipelineConfig.from_dict(configs.load(sets=["scenes.model={weights: w, threshold: 1.5}"]))
    with pytest.raises(ConfigError, match=r"scenes.model.weight \(did you mean 'weights'"):
        PipelineConfig.from_dict(configs.load(sets=["scenes.model.weight=w.pth"]))
    not_transnet = tmp_path / "other.pth"
    torch.save({"weight": torch.zeros(2)}, not_transnet)
    scenes = dataclasses.replace(
        PipelineConfig.from_dict(raw).scenes, model=ShotModelConfig(weights=str(not_transnet))
    )
    with pytest.raises(ValueError, match="no TransNetV2"):
        load_shot_model(scenes.model)
