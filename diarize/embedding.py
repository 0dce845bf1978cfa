"""CAM++ as a pyannote ``Model``, so SpeakerDiarization can use it as its embedding.

pyannote picks its embedding loader from the value it is given; a ``Model`` object goes to
``PyannoteAudioPretrainedSpeakerEmbedding``, which calls ``model(waveforms, weights=masks)``
once per batch of (chunk, local speaker) pairs.
"""

from __future__ import annotations

import threading
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
        # On a GPU the network runs as a TorchScript graph (see ``network_for``).
        self.script_on_gpu = True
        self._scripted: dict[str, torch.jit.ScriptModule] = {}
        self._scripting = threading.Lock()

    def _embed(self, feats: torch.Tensor) -> torch.Tensor:
        """(frames, 80) -> (192,)"""
        if self.session is not None and feats.device.type == "cpu":
            output = self.session.run(None, {"feats": feats[None].contiguous().numpy()})[0]
            return torch.from_numpy(output[0])
        network = self.network_for(feats.device, scripted=self.script_on_gpu and feats.device.type != "cpu")
        return network(feats[None])[0]

    def network_for(self, device: torch.device, scripted: bool):
        """The network to run on ``device``: as it is, or traced and frozen into a TorchScript
        graph, built once per device. Each (chunk, speaker) pair is embedded alone (its active
        frames, a length of its own), so on a GPU the cost is per operation, not per frame:
        one forward pass is ~7000 operations, and the graph runs them without Python between
        them (batch norms folded into the convolutions). The trace holds for any length:
        within 7e-6 of the network from 40 to 2000 frames (tests/test_diarize.py)."""
        if not scripted:
            return self.network
        key = str(device)
        with self._scripting:
            graph = self._scripted.get(key)
            if graph is None:
                # Traced outside pyannote's inference mode: a graph cannot keep inference tensors.
                with torch.inference_mode(False), torch.no_grad():
                    example = torch.zeros(1, 200, 80, device=device)
                    graph = torch.jit.freeze(torch.jit.trace(self.network.eval(), example, check_trace=False).eval())
                self._scripted[key] = graph
        return graph

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
