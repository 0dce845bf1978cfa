"""Who speaks when: pyannote.audio's SpeakerDiarization pipeline, offline by default.

The default pipeline is built from embedded weights only: pyannote segmentation-3.0 and the
3D-Speaker CAM++ speaker embedding (``diarize.campplus``), clustered agglomeratively. A hub
pipeline name (e.g. ``pyannote/speaker-diarization-community-1``) with a token uses pyannote's
own pretrained pipeline instead.
"""

from __future__ import annotations

import os

# pyannote.audio 4 sends usage telemetry unless told not to; this must precede its import.
os.environ.setdefault("PYANNOTE_METRICS_ENABLED", "0")

import threading
import warnings
from dataclasses import dataclass, field

import numpy as np

from retranscribe.audio import SAMPLE_RATE
from retranscribe.devices import check_device, resolve_device
from retranscribe.errors import StageError, one_line
from retranscribe.progress import Progress
from retranscribe.transcript import SpeakerTurn

EMBEDDED_PIPELINE = "embedded"


class DiarizationError(StageError):
    """Diarization could not run; the caller goes on with speakers unknown."""


@dataclass(frozen=True)
class DiarizeOptions:
    """Everything that steers diarization.

    ``pipeline`` is ``"embedded"`` (offline, default) or a pyannote hub pipeline name or local
    pipeline folder; a hub pipeline needs a token: ``hf_token_env`` names the environment
    variable it is read from, so that settings (run.json, Prefect's database) never hold it.
    ``hf_token`` (the value itself) is for callers that have it in hand (read by the caller from an
    environment variable or file; it is never printed).
    """

    pipeline: str = EMBEDDED_PIPELINE
    hf_token: str | None = field(default=None, repr=False)
    hf_token_env: str | None = None
    num_speakers: int | None = None
    min_speakers: int | None = None
    max_speakers: int | None = None
    # Agglomerative clustering of CAM++ embeddings (cosine distance). 0.70 with centroid
    # linkage separated the seed's three voices and pyannote's sample.wav speakers; lower
    # values split a speaker whose channel changes (studio vs. telephone band).
    clustering_threshold: float = 0.70
    linkage: str = "centroid"
    # Clusters with fewer (chunk, speaker) embeddings are folded into the nearest big one.
    # pyannote 3.1 used 12 at step 0.1; at step 0.2 (10 s windows every 2 s) a voice needs
    # ~14 s of speech to reach 12, so a shorter soundbite may need a smaller value.
    min_cluster_size: int = 12
    # pyannote's default 0.0: short pauses inside a turn are kept as non-speech.
    min_duration_off: float = 0.0
    # Step between 10 s segmentation windows, as a fraction of the window. pyannote's 0.1 embeds
    # every second of speech ~10 times; 0.2 halved the time (RTF 0.38 -> 0.16 on 2 cores, CAM++
    # dominates) for DER 3.1 -> 3.4 % on the seed and 5.6 -> 7.1 % on pyannote's sample.wav.
    segmentation_step: float = 0.2
    embedding_batch_size: int = 32
    # Torch intra-op threads. Measured on 2 shared cores: 2 threads slowed the embedding step
    # ~25x when another process kept the other core busy; 1 thread degrades gracefully.
    threads: int | None = 1
    device: str = "cpu"

    def __post_init__(self) -> None:
        for name in ("num_speakers", "min_speakers", "max_speakers"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise ValueError(f"{name} must be at least 1, not {value}")
        if self.min_speakers and self.max_speakers and self.min_speakers > self.max_speakers:
            raise ValueError(f"min_speakers ({self.min_speakers}) exceeds max_speakers ({self.max_speakers})")
        if not 0.0 < self.clustering_threshold < 2.0:
            raise ValueError(f"clustering_threshold must lie in (0, 2), not {self.clustering_threshold}")
        check_device(self.device)

    def token(self) -> str | None:
        if self.hf_token:
            return self.hf_token
        return os.environ.get(self.hf_token_env) if self.hf_token_env else None

    @property
    def embedded(self) -> bool:
        return self.pipeline in {EMBEDDED_PIPELINE, "", None}


def _device(name: str):
    import torch

    return torch.device(resolve_device(name))


def _embedded_pipeline(options: DiarizeOptions):
    from pyannote.audio import Model
    from pyannote.audio.core.plda import PLDA
    from pyannote.audio.pipelines import SpeakerDiarization

    from diarize.embedding import CAMPlusPlusEmbedding
    from retranscribe.models import resolve_embedded

    segmentation_folder = resolve_embedded("segmentation-3.0")
    # Model.from_pretrained takes the folder (it reads config.yaml and pytorch_model.bin).
    segmentation = Model.from_pretrained(str(segmentation_folder), strict=False)
    if segmentation is None:
        raise DiarizationError(f"segmentation-3.0 could not be loaded from {segmentation_folder}")
    embedding = CAMPlusPlusEmbedding.from_checkpoint(resolve_embedded("campplus") / "campplus_cn_en_common.pt")
    # 4.0.7's constructor loads a PLDA even for agglomerative clustering and rejects None; an
    # uninitialised PLDA passes and only VBx clustering would ever use it.
    unused_plda = PLDA.__new__(PLDA)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pipeline = SpeakerDiarization(
            segmentation=segmentation,
            segmentation_step=options.segmentation_step,
            embedding=embedding,
            plda=unused_plda,
            clustering="AgglomerativeClustering",
            embedding_batch_size=options.embedding_batch_size,
            segmentation_batch_size=32,
        )
    pipeline.instantiate(
        {
            "segmentation": {"min_duration_off": options.min_duration_off},
            "clustering": {
                "method": options.linkage,
                "threshold": options.clustering_threshold,
                "min_cluster_size": options.min_cluster_size,
            },
        }
    )
    return pipeline


def _hub_pipeline(options: DiarizeOptions):
    from pathlib import Path

    from huggingface_hub import try_to_load_from_cache

    from retranscribe.models import hub_offline

    name = options.pipeline
    local = Path(name).expanduser()
    token_note = "" if options.token() else "; gated pyannote pipelines also need an HF token"
    if not local.exists() and hub_offline() and not isinstance(try_to_load_from_cache(name, "config.yaml"), str):
        # Checked here because pyannote would otherwise retry the hub for about a minute.
        raise DiarizationError(
            f"diarization pipeline {name!r} is not in the local hub cache and HF_HUB_OFFLINE is set: "
            f"go online once to fetch it{token_note}, or use the embedded pipeline"
        )
    from pyannote.audio import Pipeline

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pipeline = Pipeline.from_pretrained(str(local) if local.exists() else name, token=options.token())
    except Exception as error:  # hub errors come as many types: offline, 401, 404, gated repo
        raise DiarizationError(
            f"diarization pipeline {name!r} could not be loaded ({type(error).__name__}: the hub is "
            f"unreachable, the name is wrong, or its licence is not accepted){token_note}; "
            f"use the embedded pipeline offline"
        ) from None
    if pipeline is None:
        raise DiarizationError(f"diarization pipeline {name!r} could not be loaded{token_note}")
    return pipeline


_PIPELINES: dict[tuple, object] = {}
_PIPELINES_LOCK = threading.Lock()


def _cache_key(options: DiarizeOptions) -> tuple:
    if options.embedded:
        return (
            EMBEDDED_PIPELINE,
            options.segmentation_step,
            options.embedding_batch_size,
            options.clustering_threshold,
            options.linkage,
            options.min_cluster_size,
            options.min_duration_off,
            options.device,
        )
    return (options.pipeline, options.token(), options.device)


def load_pipeline(options: DiarizeOptions = DiarizeOptions()):
    """The pyannote pipeline for these options, built once per process and reused."""
    key = _cache_key(options)
    with _PIPELINES_LOCK:
        pipeline = _PIPELINES.get(key)
        if pipeline is None:
            try:
                pipeline = _embedded_pipeline(options) if options.embedded else _hub_pipeline(options)
                pipeline.to(_device(options.device))
            except DiarizationError:
                raise
            except Exception as error:
                raise DiarizationError(f"diarization pipeline could not be built: {one_line(error)}") from error
            _PIPELINES[key] = pipeline
    return pipeline


def _check_audio(audio: np.ndarray) -> np.ndarray:
    array = np.asarray(audio)
    if array.ndim != 1:
        raise DiarizationError(f"audio must be a 1-D 16 kHz mono array, got shape {array.shape}")
    if not np.issubdtype(array.dtype, np.floating):
        raise DiarizationError(f"audio must be float samples in [-1, 1], got dtype {array.dtype}")
    # Segmentation works on 10 s windows; under ~0.5 s there is nothing to embed.
    if array.size < SAMPLE_RATE // 2:
        raise DiarizationError(f"audio too short to diarize: {array.size / SAMPLE_RATE:.2f} s")
    if not np.all(np.isfinite(array)):
        raise DiarizationError("audio contains NaN or infinite samples")
    return array.astype(np.float32, copy=False)


def _hook(progress: Progress | None):
    if progress is None:
        return None

    def hook(step_name, step_artifact, file=None, total=None, completed=None):
        if total is not None and completed is not None:
            progress(float(completed), float(total))

    return hook


def _turns(annotation) -> list[SpeakerTurn]:
    """Turns sorted by time, speakers renamed SPEAKER_00, 01, ... in order of first speech."""
    raw = sorted(
        ((segment.start, segment.end, str(label)) for segment, _, label in annotation.itertracks(yield_label=True)),
        key=lambda turn: (turn[0], turn[1]),
    )
    names: dict[str, str] = {}
    for _, _, label in raw:
        names.setdefault(label, f"SPEAKER_{len(names):02d}")
    return [SpeakerTurn(start=float(start), end=float(end), speaker=names[label]) for start, end, label in raw]


def diarize(audio: np.ndarray, options: DiarizeOptions = DiarizeOptions(), progress: Progress | None = None) -> list[SpeakerTurn]:
    """Speaker turns of 16 kHz mono audio (as ``retranscribe.audio.load_audio`` returns it).

    Raises ``DiarizationError`` (one line) when the audio is unusable or a pipeline cannot be
    had; callers may catch it and go on with speakers unknown.
    """
    array = _check_audio(audio)
    pipeline = load_pipeline(options)

    import torch

    previous_threads = torch.get_num_threads()
    if options.threads:
        torch.set_num_threads(options.threads)
    try:
        file = {"waveform": torch.from_numpy(array).unsqueeze(0), "sample_rate": SAMPLE_RATE, "uri": "audio"}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            output = pipeline(
                file,
                num_speakers=options.num_speakers,
                min_speakers=options.min_speakers,
                max_speakers=options.max_speakers,
                hook=_hook(progress),
            )
    except DiarizationError:
        raise
    except Exception as error:
        raise DiarizationError(f"diarization failed: {one_line(error)}") from error
    finally:
        torch.set_num_threads(previous_threads)
    annotation = getattr(output, "speaker_diarization", output)
    return _turns(annotation)
