"""CAM++ as a pyannote ``Model``, so SpeakerDiarization can use it as its embedding.

pyannote picks its embedding loader from the value it is given; a ``Model`` object goes to
``PyannoteAudioPretrainedSpeakerEmbedding``, which calls ``model(waveforms, weights=masks)``
once per batch of (chunk, local speaker) pairs.
"""

from __future__ import annotations

from pathlib import Path

import torch
import torch.nn.functional as F
import torchaudio.compliance.kaldi as kaldi
from pyannote.audio import Model

from diarize.campplus import CAMPlusPlus, load_campplus

# 3D-Speaker embeds from at least ~0.5 s of speech in practice; fewer frames give unstable
# statistics pooling, and pyannote drops NaN embeddings before clustering.
MIN_SPEECH_FRAMES = 40


class CAMPlusPlusEmbedding(Model):
    def __init__(self, network: CAMPlusPlus | None = None):
        super().__init__(sample_rate=16000, num_channels=1, task=None)
        self.network = network if network is not None else CAMPlusPlus()
        # An onnxruntime.InferenceSession of the same network (diarize.onnx_campplus), used
        # instead of torch while the model is on the CPU.
        self.session = None

    def _embed(self, feats: torch.Tensor) -> torch.Tensor:
        """(frames, 80) -> (192,)"""
        if self.session is not None and feats.device.type == "cpu":
            output = self.session.run(None, {"feats": feats[None].contiguous().numpy()})[0]
            return torch.from_numpy(output[0])
        return self.network(feats[None])[0]

    @classmethod
    def from_checkpoint(cls, checkpoint: str | Path) -> CAMPlusPlusEmbedding:
        return cls(load_campplus(checkpoint)).eval()

    @property
    def dimension(self) -> int:
        return self.network.embedding_size

    def fbank(self, waveform: torch.Tensor) -> torch.Tensor:
        """(1, samples) -> (frames, 80), mean-normalised as 3D-Speaker trains CAM++."""
        feats = kaldi.fbank(waveform, num_mel_bins=80, sample_frequency=16000, dither=0.0)
        return feats - feats.mean(dim=0, keepdim=True)

    def forward(self, waveforms: torch.Tensor, weights: torch.Tensor | None = None) -> torch.Tensor:
        """(batch, 1, samples) and optional (batch, frames) speaker activity -> (batch, 192).

        Only the frames the activity marks are embedded; a speaker with too little speech in a
        chunk gets NaN, which pyannote's clustering skips (and which saves most of the work:
        of the three local speakers per chunk, usually one or two are silent).
        """
        batch = waveforms.shape[0]
        embeddings = torch.full((batch, self.dimension), float("nan"), device=waveforms.device)
        for index in range(batch):
            feats = None
            if weights is None:
                feats = self.fbank(waveforms[index])
            else:
                active = weights[index] > 0.5
                if int(active.sum()) == 0:
                    continue
                feats = kaldi.fbank(waveforms[index], num_mel_bins=80, sample_frequency=16000, dither=0.0)
                mask = F.interpolate(active[None, None].float(), size=feats.shape[0], mode="nearest")[0, 0] > 0.5
                feats = feats[mask]
                if feats.shape[0] < MIN_SPEECH_FRAMES:
                    continue
                feats = feats - feats.mean(dim=0, keepdim=True)
            if feats.shape[0] < MIN_SPEECH_FRAMES:
                if weights is None:
                    raise ValueError(f"{feats.shape[0]} fbank frames is too short for a CAM++ embedding")
                continue
            embeddings[index] = self._embed(feats)
        return embeddings
