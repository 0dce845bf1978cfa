"""CAM++ speaker embedding network (3D-Speaker, Wang et al., Interspeech 2023), written to the
parameter names and shapes of the embedded ``campplus_cn_en_common.pt`` state dict so that
``load_state_dict(strict=True)`` accepts it.

The network reads mean-normalised 80-bin Kaldi fbank frames (batch, frames, 80) and returns
192-dim embeddings. Only inference is needed here: no gradient checkpointing, no classifier.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn


def _bn_relu(channels: int) -> nn.Sequential:
    # Names "batchnorm"/"relu" are the checkpoint's keys (e.g. xvector.tdnn.nonlinear.batchnorm).
    return nn.Sequential(OrderedDict([("batchnorm", nn.BatchNorm1d(channels)), ("relu", nn.ReLU(inplace=True))]))


class _ResidualBlock2d(nn.Module):
    """Two 3x3 convolutions with a skip path; the first may halve the frequency axis."""

    def __init__(self, in_planes: int, planes: int, freq_stride: int = 1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride=(freq_stride, 1), padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        if freq_stride != 1 or in_planes != planes:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_planes, planes, 1, stride=(freq_stride, 1), bias=False),
                nn.BatchNorm2d(planes),
            )
        else:
            self.shortcut = nn.Sequential()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class FrontConvModule(nn.Module):
    """The 2-D convolutional head ("FCM"): treats fbank as an image, shrinks frequency by 8."""

    def __init__(self, feat_dim: int = 80, channels: int = 32):
        super().__init__()
        self.conv1 = nn.Conv2d(1, channels, 3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.layer1 = nn.Sequential(_ResidualBlock2d(channels, channels, 2), _ResidualBlock2d(channels, channels))
        self.layer2 = nn.Sequential(_ResidualBlock2d(channels, channels, 2), _ResidualBlock2d(channels, channels))
        self.conv2 = nn.Conv2d(channels, channels, 3, stride=(2, 1), padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)
        self.out_channels = channels * (feat_dim // 8)

    def forward(self, feats: torch.Tensor) -> torch.Tensor:  # (B, F, T)
        out = F.relu(self.bn1(self.conv1(feats.unsqueeze(1))))
        out = self.layer2(self.layer1(out))
        out = F.relu(self.bn2(self.conv2(out)))
        batch, channels, freq, frames = out.shape
        return out.reshape(batch, channels * freq, frames)


class _TimeDelayLayer(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, stride: int = 1):
        super().__init__()
        self.linear = nn.Conv1d(
            in_channels, out_channels, kernel_size, stride=stride, padding=(kernel_size - 1) // 2, bias=False
        )
        self.nonlinear = _bn_relu(out_channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.nonlinear(self.linear(x))


class _ContextAwareMask(nn.Module):
    """A local dilated convolution gated by utterance-level plus 100-frame segment context."""

    segment_frames = 100

    def __init__(self, bn_channels: int, out_channels: int, kernel_size: int, dilation: int, reduction: int = 2):
        super().__init__()
        padding = (kernel_size - 1) // 2 * dilation
        self.linear_local = nn.Conv1d(
            bn_channels, out_channels, kernel_size, padding=padding, dilation=dilation, bias=False
        )
        self.linear1 = nn.Conv1d(bn_channels, bn_channels // reduction, 1)
        self.relu = nn.ReLU(inplace=True)
        self.linear2 = nn.Conv1d(bn_channels // reduction, out_channels, 1)
        self.sigmoid = nn.Sigmoid()

    def _segment_means(self, x: torch.Tensor) -> torch.Tensor:
        frames = x.shape[-1]
        means = F.avg_pool1d(x, self.segment_frames, self.segment_frames, ceil_mode=True)
        return means.repeat_interleave(self.segment_frames, dim=-1)[..., :frames]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        local = self.linear_local(x)
        context = x.mean(dim=-1, keepdim=True) + self._segment_means(x)
        return local * self.sigmoid(self.linear2(self.relu(self.linear1(context))))


class _DenseTimeDelayLayer(nn.Module):
    def __init__(self, in_channels: int, growth: int, bn_channels: int, kernel_size: int, dilation: int):
        super().__init__()
        self.nonlinear1 = _bn_relu(in_channels)
        self.linear1 = nn.Conv1d(in_channels, bn_channels, 1, bias=False)
        self.nonlinear2 = _bn_relu(bn_channels)
        self.cam_layer = _ContextAwareMask(bn_channels, growth, kernel_size, dilation)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.cam_layer(self.nonlinear2(self.linear1(self.nonlinear1(x))))


class _DenseBlock(nn.ModuleList):
    """Densely connected layers: each appends ``growth`` channels to what came before."""

    def __init__(self, num_layers: int, in_channels: int, growth: int, bn_channels: int, kernel_size: int, dilation: int):
        super().__init__()
        for index in range(num_layers):
            self.add_module(
                f"tdnnd{index + 1}",
                _DenseTimeDelayLayer(in_channels + index * growth, growth, bn_channels, kernel_size, dilation),
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for layer in self:
            x = torch.cat([x, layer(x)], dim=1)
        return x


class _Transition(nn.Module):
    def __init__(self, in_channels: int, out_channels: int):
        super().__init__()
        self.nonlinear = _bn_relu(in_channels)
        self.linear = nn.Conv1d(in_channels, out_channels, 1, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear(self.nonlinear(x))


class _MeanStdPooling(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # Positive axes: the ONNX export of (batch, channels, frames) loses the rank otherwise.
        return torch.cat([x.mean(dim=2), x.std(dim=2, unbiased=True)], dim=1)


class _Embedding(nn.Module):
    """Linear projection then a non-affine batch norm (3D-Speaker's ``batchnorm_``; no ReLU)."""

    def __init__(self, in_channels: int, out_channels: int):
        super().__init__()
        self.linear = nn.Conv1d(in_channels, out_channels, 1, bias=False)
        self.nonlinear = nn.Sequential(OrderedDict([("batchnorm", nn.BatchNorm1d(out_channels, affine=False))]))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.nonlinear(self.linear(x.unsqueeze(-1)).squeeze(-1))


class CAMPlusPlus(nn.Module):
    """CAM++ x-vector: (batch, frames, 80) fbank -> (batch, embedding_size)."""

    def __init__(
        self,
        feat_dim: int = 80,
        embedding_size: int = 192,
        growth: int = 32,
        bottleneck: int = 4,
        init_channels: int = 128,
    ):
        super().__init__()
        self.head = FrontConvModule(feat_dim)
        layers: OrderedDict[str, nn.Module] = OrderedDict()
        layers["tdnn"] = _TimeDelayLayer(self.head.out_channels, init_channels, 5, stride=2)
        channels = init_channels
        for index, (num_layers, dilation) in enumerate(((12, 1), (24, 2), (16, 2)), start=1):
            layers[f"block{index}"] = _DenseBlock(num_layers, channels, growth, bottleneck * growth, 3, dilation)
            channels += num_layers * growth
            layers[f"transit{index}"] = _Transition(channels, channels // 2)
            channels //= 2
        layers["out_nonlinear"] = _bn_relu(channels)
        layers["stats"] = _MeanStdPooling()
        layers["dense"] = _Embedding(channels * 2, embedding_size)
        self.xvector = nn.Sequential(layers)
        self.embedding_size = embedding_size

    def forward(self, feats: torch.Tensor) -> torch.Tensor:
        return self.xvector(self.head(feats.transpose(1, 2)))


def load_campplus(checkpoint: str | Path) -> CAMPlusPlus:
    """The network with the checkpoint's weights, in eval mode."""
    state = torch.load(str(checkpoint), map_location="cpu", weights_only=True)
    embedding_size = state["xvector.dense.linear.weight"].shape[0]
    network = CAMPlusPlus(embedding_size=embedding_size)
    network.load_state_dict(state, strict=True)
    return network.eval()
