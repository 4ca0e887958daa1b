"""A learned shot-boundary detector for the decode pass: TransNetV2 (Souček and Lokoč, 2020),
the model NeMo Curator splits scenes with. Optional (`scenes.model`), off by default; the
model-free detector of `transforms/transitions.py` is the default.

The network is written here with the parameter names of the authors' PyTorch port
(`inference-pytorch/transnetv2_pytorch.py` in soCzech/TransNetV2), so its converted weights
(`transnetv2-pytorch-weights.pth`) load as they are; no weights ship with cliploom. It reads
every frame at 48x27 RGB, in windows of 100 frames that advance by 50 (25 frames of context on
each side, the video's first and last frames repeated at its ends), and gives two probabilities
per frame: `single` (a transition at this frame) and `many` (this frame is inside a
transition). Every frame where either passes the threshold belongs to a boundary: a run of them
is one boundary, cut out whole, so a gradual transition's every frame stays out of the clips.

Frames stream through (`ShotPredictor.add`): only the frames of the windows not yet run are
held, so memory does not grow with the video; predictions are two floats per frame.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass

import numpy as np

from transforms.transitions import Boundary, BoundaryKind

FRAME_SIZE = (48, 27)  # (width, height) the model reads
WINDOW = 100  # frames per forward pass
STEP = 50  # frames a window advances; its middle STEP frames get predictions
CONTEXT = (WINDOW - STEP) // 2
LOOKUP = 101  # frames each frame is compared with in the similarity branches


@dataclass(frozen=True)
class ShotModelConfig:
    """`scenes.model`: TransNetV2 weights and how to run them (null: the model-free detector)."""

    weights: str  # a converted PyTorch state dict: a local path or any URI Beam can open
    threshold: float = 0.5  # on both per-frame probabilities (the authors' default)
    device: str = "auto"  # auto (cuda when the worker has a GPU) | cpu | cuda | cuda:N
    # Windows of 100 frames per forward pass; null: 8 on a GPU, 1 on a CPU. Measured
    # (bench_shot_model.py --network, 120 s 720p30): an H100 runs 10.9k frames/s at 1 and 21.9k
    # at 8; 16 CPU cores 358 frames/s at 1 and 255 at 8.
    batch_windows: int | None = None
    threads: int | None = None  # torch intra-op threads; null keeps torch's default
    max_cut_frames: int = 2  # a run of at most this many frames is a cut, longer ones gradual

    def __post_init__(self):
        if not self.weights:
            raise ValueError("scenes.model.weights names the TransNetV2 state dict")
        if not 0 < self.threshold < 1:
            raise ValueError("scenes.model.threshold must be in (0, 1)")
        if (self.batch_windows is not None and self.batch_windows < 1) or (
            self.threads is not None and self.threads < 1
        ):
            raise ValueError("scenes.model.batch_windows and threads must be >= 1")
        if self.max_cut_frames < 1:
            raise ValueError("scenes.model.max_cut_frames must be >= 1")


def build_network(filters: int = 16, stacks: int = 3, blocks: int = 2, dense: int = 1024):
    """TransNetV2 (its published configuration by default), randomly initialised, in eval mode."""
    import torch
    from torch import nn
    from torch.nn import functional

    class SeparableConv(nn.Module):
        """(2+1)D convolution: 3x3 in space, then 3 frames in time at a dilation."""

        def __init__(self, channels_in: int, channels_out: int, dilation: int):
            super().__init__()
            self.layers = nn.ModuleList(
                [
                    nn.Conv3d(
                        channels_in, 2 * channels_out, (1, 3, 3), padding=(0, 1, 1), bias=False
                    ),
                    nn.Conv3d(
                        2 * channels_out,
                        channels_out,
                        (3, 1, 1),
                        dilation=(dilation, 1, 1),
                        padding=(dilation, 0, 0),
                        bias=False,
                    ),
                ]
            )

        def forward(self, x):
            return self.layers[1](self.layers[0](x))

    class DilatedBlock(nn.Module):
        """Four separable convolutions at time dilations 1, 2, 4, 8, side by side."""

        def __init__(self, channels_in: int, channels_out: int, relu: bool):
            super().__init__()
            self.Conv3D_1 = SeparableConv(channels_in, channels_out, 1)
            self.Conv3D_2 = SeparableConv(channels_in, channels_out, 2)
            self.Conv3D_4 = SeparableConv(channels_in, channels_out, 4)
            self.Conv3D_8 = SeparableConv(channels_in, channels_out, 8)
            self.bn = nn.BatchNorm3d(4 * channels_out, eps=1e-3)
            self.relu = relu

        def forward(self, x):
            convs = (self.Conv3D_1, self.Conv3D_2, self.Conv3D_4, self.Conv3D_8)
            x = self.bn(torch.cat([conv(x) for conv in convs], dim=1))
            return functional.relu(x) if self.relu else x

    class Stack(nn.Module):
        """Dilated blocks with a shortcut from the first one's output, then 2x2 average pooling."""

        def __init__(self, channels_in: int, channels_out: int):
            super().__init__()
            self.DDCNN = nn.ModuleList(
                DilatedBlock(
                    channels_in if i == 0 else 4 * channels_out, channels_out, i < blocks - 1
                )
                for i in range(blocks)
            )

        def forward(self, x):
            x = shortcut = self.DDCNN[0](x)
            for block in self.DDCNN[1:]:
                x = block(x)
            return functional.avg_pool3d(functional.relu(x) + shortcut, (1, 2, 2))

    def windowed(similarities):
        """[B, T, T] -> [B, T, LOOKUP]: each frame's similarity to the LOOKUP frames centred on
        it (zero beyond the window's ends)."""
        half = (LOOKUP - 1) // 2
        padded = functional.pad(similarities, [half, half])
        t = similarities.shape[1]
        index = torch.arange(t, device=similarities.device)[:, None] + torch.arange(
            LOOKUP, device=similarities.device
        )
        return padded.gather(2, index.expand(similarities.shape[0], t, LOOKUP))

    class FrameSimilarity(nn.Module):
        """Cosine similarity of the frames' pooled features from every stack."""

        def __init__(self, channels_in: int):
            super().__init__()
            self.projection = nn.Linear(channels_in, 128)
            self.fc = nn.Linear(LOOKUP, 128)

        def forward(self, stack_outputs):
            pooled = torch.cat([x.mean(dim=(3, 4)) for x in stack_outputs], dim=1)
            x = functional.normalize(self.projection(pooled.transpose(1, 2)), p=2, dim=2)
            return functional.relu(self.fc(windowed(x @ x.transpose(1, 2))))

    class ColorHistograms(nn.Module):
        """Cosine similarity of the frames' 512-bin RGB histograms (3 bits a channel)."""

        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(LOOKUP, 128)

        def forward(self, frames):  # uint8 [B, T, H, W, 3]
            b, t = frames.shape[:2]
            rgb = frames.reshape(b * t, -1, 3).int() >> 5
            bins = (rgb[..., 0] << 6) + (rgb[..., 1] << 3) + rgb[..., 2]
            bins = bins + (torch.arange(b * t, device=frames.device) << 9)[:, None]
            counts = torch.zeros(b * t * 512, dtype=torch.int32, device=frames.device)
            bins = bins.reshape(-1).long()
            counts.scatter_add_(0, bins, torch.ones_like(bins, dtype=torch.int32))
            x = functional.normalize(counts.reshape(b, t, 512).float(), p=2, dim=2)
            return functional.relu(self.fc(windowed(x @ x.transpose(1, 2))))

    class TransNetV2(nn.Module):
        def __init__(self):
            super().__init__()
            widths = [filters * 2**i for i in range(stacks)]
            self.SDDCNN = nn.ModuleList(
                Stack(3 if i == 0 else 4 * widths[i - 1], widths[i]) for i in range(stacks)
            )
            self.frame_sim_layer = FrameSimilarity(sum(4 * w for w in widths))
            self.color_hist_layer = ColorHistograms()
            height, width = FRAME_SIZE[1] // 2**stacks, FRAME_SIZE[0] // 2**stacks
            self.fc1 = nn.Linear(4 * widths[-1] * height * width + 2 * 128, dense)
            self.cls_layer1 = nn.Linear(dense, 1)
            self.cls_layer2 = nn.Linear(dense, 1)

        def forward(self, frames):
            """uint8 [B, T, 27, 48, 3] RGB -> (single, many) probabilities, [B, T] each."""
            x = frames.permute(0, 4, 1, 2, 3).float() / 255.0
            stack_outputs = []
            for stack in self.SDDCNN:
                x = stack(x)
                stack_outputs.append(x)
            x = x.permute(0, 2, 3, 4, 1).flatten(2)  # [B, T, H * W * C]
            x = torch.cat(
                [self.color_hist_layer(frames), self.frame_sim_layer(stack_outputs), x], dim=2
            )
            x = functional.relu(self.fc1(x))
            single = torch.sigmoid(self.cls_layer1(x))[..., 0]
            many = torch.sigmoid(self.cls_layer2(x))[..., 0]
            return single, many

    return TransNetV2().eval()


def network_for(state: dict):
    """A network of the size `state` (a state dict) was saved from: the published one for the
    authors' weights."""
    try:
        filters = state["SDDCNN.0.DDCNN.0.Conv3D_1.layers.1.weight"].shape[0]
        stacks = 1 + max(int(k.split(".")[1]) for k in state if k.startswith("SDDCNN."))
        blocks = 1 + max(int(k.split(".")[3]) for k in state if k.startswith("SDDCNN.0.DDCNN."))
        dense = state["fc1.weight"].shape[0]
    except (KeyError, IndexError, ValueError) as e:
        raise ValueError(f"scenes.model.weights is no TransNetV2 state dict ({e!r})") from e
    return build_network(filters, stacks, blocks, dense)


@functools.lru_cache(maxsize=2)
def load_shot_model(config: ShotModelConfig):
    """(network with the configured weights on its device, device): once per process."""
    import torch
    from apache_beam.io.filesystems import FileSystems

    from transforms.caption_backends import pick_device

    if config.threads is not None:
        torch.set_num_threads(config.threads)
    with FileSystems.open(config.weights) as f:
        state = torch.load(io.BytesIO(f.read()), map_location="cpu", weights_only=True)
    network = network_for(state)
    network.load_state_dict(state)  # strict: weights of another network fail here
    device = pick_device(config.device)
    return network.to(device), device


def windows_per_pass(config: ShotModelConfig, device: str) -> int:
    """`batch_windows`, or what runs fastest on `device` where it is null."""
    if config.batch_windows is not None:
        return config.batch_windows
    return 8 if device.startswith("cuda") else 1


class ShotPredictor:
    """Per-frame transition probabilities of one video, fed a frame at a time."""

    def __init__(self, network, device: str, batch_windows: int = 8):
        self.network, self.device, self.batch_windows = network, device, batch_windows
        self.held: list[np.ndarray] = []  # frames from the first window not yet run
        self.count = 0
        self.single: list[np.ndarray] = []
        self.many: list[np.ndarray] = []

    def add(self, frame_bgr: np.ndarray) -> None:
        """One decoded frame (BGR, any size, display shape); frames in display order."""
        import cv2

        small = cv2.resize(frame_bgr, FRAME_SIZE, interpolation=cv2.INTER_AREA)
        small = cv2.cvtColor(small, cv2.COLOR_BGR2RGB)
        if not self.held:
            self.held = [small] * CONTEXT
        self.held.append(small)
        self.count += 1
        if len(self.held) >= WINDOW + STEP * (self.batch_windows - 1):
            self._run(self.batch_windows)

    def finish(self) -> tuple[np.ndarray, np.ndarray]:
        """(single, many): a probability per frame added."""
        if self.held:
            last = self.held[-1]
            missing = self.count - STEP * len(self.single)  # frames without a prediction
            windows = -(-missing // STEP)
            self.held += [last] * (WINDOW + STEP * (windows - 1) - len(self.held))
            self._run(windows)
        if not self.single:
            return np.zeros(0, np.float32), np.zeros(0, np.float32)
        single = np.concatenate(self.single)[: self.count]
        many = np.concatenate(self.many)[: self.count]
        return single, many

    def _run(self, windows: int) -> None:
        import torch

        for first in range(0, windows, self.batch_windows):
            n = min(self.batch_windows, windows - first)
            batch = np.stack(
                [
                    np.stack(self.held[(first + w) * STEP : (first + w) * STEP + WINDOW])
                    for w in range(n)
                ]
            )
            with torch.inference_mode():
                single, many = self.network(torch.from_numpy(batch).to(self.device))
            middle = slice(CONTEXT, CONTEXT + STEP)
            self.single.extend(single[:, middle].float().cpu().numpy())
            self.many.extend(many[:, middle].float().cpu().numpy())
        self.held = self.held[windows * STEP :]


def boundaries_from(
    times_s: list[float],
    single: np.ndarray,
    many: np.ndarray,
    frame_s: float,
    config: ShotModelConfig,
) -> list[Boundary]:
    """A boundary per run of frames where either probability passes the threshold: the scene
    before ends at the run's first frame, the next starts at the first frame after it."""
    hot = (single > config.threshold) | (many > config.threshold)
    boundaries = []
    i, n = 0, len(hot)
    while i < n:
        if not hot[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and hot[j + 1]:
            j += 1
        kind = BoundaryKind.CUT if j - i + 1 <= config.max_cut_frames else BoundaryKind.GRADUAL
        # A run at the first or last frame: no scene before (or after) it.
        end_s = times_s[j + 1] if j + 1 < n else times_s[-1] + frame_s
        boundaries.append(Boundary(kind, times_s[i], end_s, j + 1))
        i = j + 1
    return boundaries
