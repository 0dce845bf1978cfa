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

from retranscribe.audio import SAMPLE_RATE, Audio, AudioFile, duration_of, read_span, windows_of
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
    # pyannote 3.1 used 12 at step 0.1. The count a voice reaches scales with 1 / step: at step
    # 0.5 (10 s windows every 5 s) 5 embeddings ask for about as much speech (~15-20 s) as 12
    # did at step 0.2. 2, 5 and 12 gave the same DER on both recordings.
    min_cluster_size: int = 5
    # pyannote's default 0.0: short pauses inside a turn are kept as non-speech.
    min_duration_off: float = 0.0
    # Step between 10 s segmentation windows, as a fraction of the window. pyannote's 0.1 embeds
    # every second of speech ~10 times and CAM++ dominates the cost, which is proportional to
    # 1 / step. Measured on both recordings (2 cores, DER seed / sample.wav): 0.1: 3.10 / 5.56 %,
    # 0.2: 3.34 / 7.09 %, 0.3: 3.19 / 7.17 %, 0.4: 2.96 / 6.66 %, 0.5: 3.10 / 6.63 %; 0.5 still
    # sees every frame in two windows (so segmentation is aggregated, not stitched edge to edge)
    # and costs 2.5x less than 0.2.
    segmentation_step: float = 0.5
    embedding_batch_size: int = 32
    # 10 s windows per segmentation forward pass. SincNet's first layers on 32 windows hold
    # ~350 MiB at once; 8 held ~100 MiB and ran faster on 1 thread (4.1 vs 6.3 s for 336 s).
    segmentation_batch_size: int = 8
    # CAM++ on the CPU: "onnxruntime" (an ONNX export of the same weights, built once and cached;
    # outputs within 1e-5 of torch, ~1.6x faster on one thread) or "torch". A GPU always uses torch.
    embedding_runtime: str = "onnxruntime"
    # Torch intra-op threads. Measured on 2 shared cores: 2 threads slowed the embedding step
    # ~25x when another process kept the other core busy; 1 thread degrades gracefully.
    threads: int | None = 1
    device: str = "cpu"
    # Recordings longer than this are diarized in windows of at most this many seconds, cut at
    # the quietest 100 ms near each boundary; speakers are linked across windows by their
    # centroid embeddings (same distance and threshold as the clustering, one-to-one per
    # window). pyannote's per-frame and per-chunk arrays and its O(n^2) clustering then stay
    # bounded, so peak memory does not grow with length. Shorter recordings are one window, and
    # so is any recording for a hub pipeline.
    window_seconds: float = 900.0

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
        if self.embedding_runtime not in {"onnxruntime", "torch"}:
            raise ValueError(f"embedding_runtime must be onnxruntime or torch, not {self.embedding_runtime!r}")
        if not 0.0 < self.segmentation_step <= 1.0:
            raise ValueError(f"segmentation_step must lie in (0, 1], not {self.segmentation_step}")
        if self.window_seconds < 60.0:
            raise ValueError(f"window_seconds must be at least 60, not {self.window_seconds}")

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
    checkpoint = resolve_embedded("campplus") / "campplus_cn_en_common.pt"
    embedding = CAMPlusPlusEmbedding.from_checkpoint(checkpoint)
    if options.embedding_runtime == "onnxruntime" and _device(options.device).type == "cpu":
        from diarize.onnx_campplus import campplus_session

        embedding.session = campplus_session(embedding.network, checkpoint, options.threads)
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
            segmentation_batch_size=options.segmentation_batch_size,
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
            options.segmentation_batch_size,
            options.clustering_threshold,
            options.linkage,
            options.min_cluster_size,
            options.min_duration_off,
            options.device,
            options.embedding_runtime,
            options.threads,
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


def _check_audio(audio: Audio) -> Audio:
    if isinstance(audio, AudioFile):  # 16-bit PCM on disk: finite by construction
        if audio.duration < 0.5:
            raise DiarizationError(f"audio too short to diarize: {audio.duration:.2f} s")
        return audio
    array = np.asarray(audio)
    if array.ndim != 1:
        raise DiarizationError(f"audio must be a 1-D 16 kHz mono array, got shape {array.shape}")
    if not np.issubdtype(array.dtype, np.floating):
        raise DiarizationError(f"audio must be float samples in [-1, 1], got dtype {array.dtype}")
    # Segmentation works on 10 s windows; under ~0.5 s there is nothing to embed.
    if array.size < SAMPLE_RATE // 2:
        raise DiarizationError(f"audio too short to diarize: {array.size / SAMPLE_RATE:.2f} s")
    # Checked a minute at a time: a whole-file boolean mask would be as long as the audio.
    block = 60 * SAMPLE_RATE
    for start in range(0, array.size, block):
        if not np.all(np.isfinite(array[start : start + block])):
            raise DiarizationError("audio contains NaN or infinite samples")
    return array


class _SpeakerLinker:
    """Links each window's speakers to the speakers of the windows before it.

    A window speaker joins the global speaker whose mean (unit-normalised) centroid lies
    within ``threshold`` (euclidean distance between unit vectors, as pyannote's
    agglomerative clustering measures it), matched one-to-one (two speakers the window's own
    clustering kept apart stay apart); otherwise it is a new speaker.
    """

    def __init__(self, threshold: float, dimension: int):
        self.threshold = threshold
        self.dimension = dimension
        self.sums: list[np.ndarray] = []
        self.weights: list[float] = []

    def _centroids(self) -> np.ndarray:
        sums = np.stack(self.sums)
        return sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)

    def link(self, centroids: np.ndarray, durations: list[float]) -> list[int]:
        """Global speaker index of each window speaker (rows of ``centroids``, their speech
        durations in ``durations``). Rows missing, zero or NaN get a new speaker of their own."""
        from scipy.optimize import linear_sum_assignment

        units: dict[int, np.ndarray] = {}
        for index in range(min(len(durations), len(centroids))):
            vector = np.asarray(centroids[index], dtype=np.float64)
            norm = np.linalg.norm(vector)
            if vector.shape == (self.dimension,) and np.isfinite(norm) and norm > 0:
                units[index] = vector / norm
        result = [-1] * len(durations)
        if self.sums and units:
            usable = list(units)
            known = self._centroids()
            distances = np.linalg.norm(np.stack([units[i] for i in usable])[:, None, :] - known[None], axis=-1)
            rows, cols = linear_sum_assignment(distances)
            for row, col in zip(rows, cols):
                if distances[row, col] < self.threshold:
                    result[usable[row]] = int(col)
        for index in range(len(durations)):
            if result[index] < 0:
                self.sums.append(np.zeros(self.dimension))
                self.weights.append(0.0)
                result[index] = len(self.sums) - 1
            if index in units:
                # Duration-weighted mean of the unit centroids.
                self.sums[result[index]] = self.sums[result[index]] + durations[index] * units[index]
                self.weights[result[index]] += durations[index]
        return result

    def merge_down_to(self, limit: int) -> dict[int, int]:
        """Global speaker -> kept speaker, merging the closest pairs until at most ``limit``."""
        parent = {index: index for index in range(len(self.sums))}
        alive = [index for index in range(len(self.sums)) if self.weights[index] > 0]
        while len(alive) > limit and len(alive) > 1:
            vectors = np.stack([self.sums[i] / max(np.linalg.norm(self.sums[i]), 1e-12) for i in alive])
            distances = np.linalg.norm(vectors[:, None] - vectors[None], axis=-1)
            np.fill_diagonal(distances, np.inf)
            first, second = np.unravel_index(np.argmin(distances), distances.shape)
            keep, gone = alive[first], alive[second]
            self.sums[keep] = self.sums[keep] + self.sums[gone]
            self.weights[keep] += self.weights[gone]
            for index, target in parent.items():
                if target == gone:
                    parent[index] = keep
            alive.remove(gone)
        return parent


def _hook(progress: Progress | None):
    if progress is None:
        return None

    def hook(step_name, step_artifact, file=None, total=None, completed=None):
        if total is not None and completed is not None:
            progress(float(completed), float(total))

    return hook


def _raw_turns(annotation, offset: float = 0.0, names: dict | None = None) -> list[tuple[float, float, object]]:
    return [
        (offset + segment.start, offset + segment.end, names[label] if names is not None else label)
        for segment, _, label in annotation.itertracks(yield_label=True)
    ]


def _turns(raw) -> list[SpeakerTurn]:
    """Turns sorted by time, speakers renamed SPEAKER_00, 01, ... in order of first speech."""
    if not isinstance(raw, list):
        raw = _raw_turns(raw)
    raw = sorted(raw, key=lambda turn: (turn[0], turn[1]))
    names: dict[object, str] = {}
    for _, _, label in raw:
        names.setdefault(label, f"SPEAKER_{len(names):02d}")
    return [SpeakerTurn(start=float(start), end=float(end), speaker=names[label]) for start, end, label in raw]


def _join_at_cuts(raw: list[tuple[float, float, object]], cuts: set[float]) -> list[tuple[float, float, object]]:
    """A speaker's turn that a window boundary split in two becomes one turn again."""
    raw = sorted(raw, key=lambda turn: (turn[0], turn[1]))
    out: list[tuple[float, float, object]] = []
    open_at: dict[object, int] = {}
    for start, end, label in raw:
        index = open_at.get(label)
        if index is not None and any(abs(start - cut) < 0.05 and abs(out[index][1] - cut) < 0.05 for cut in cuts):
            out[index] = (out[index][0], max(out[index][1], end), label)
            continue
        open_at[label] = len(out)
        out.append((start, end, label))
    return out


def diarize(audio: Audio, options: DiarizeOptions = DiarizeOptions(), progress: Progress | None = None) -> list[SpeakerTurn]:
    """Speaker turns of 16 kHz mono audio: an ``AudioFile`` (read one window at a time) or
    samples in memory (as ``retranscribe.audio.load_audio`` returns them).

    Raises ``DiarizationError`` (one line) when the audio is unusable or a pipeline cannot be
    had; callers may catch it and go on with speakers unknown.
    """
    audio = _check_audio(audio)
    pipeline = load_pipeline(options)

    import torch

    previous_threads = torch.get_num_threads()
    if options.threads:
        torch.set_num_threads(options.threads)
    # Cuts at the quietest moment within 10 s of where they would fall (not inside a word).
    # Hub pipelines keep the whole file in one pass (their output may lack centroids).
    windows = windows_of(audio, options.window_seconds, search=20.0) if options.embedded else [(0.0, duration_of(audio))]
    try:
        with _without_cudnn():
            if len(windows) == 1:
                output = _apply(pipeline, read_span(audio), options, options.num_speakers, options.min_speakers, options.max_speakers, _hook(progress))
                return _turns(getattr(output, "speaker_diarization", output))
            return _turns(_diarize_windows(pipeline, audio, windows, options, progress))
    except DiarizationError:
        raise
    except Exception as error:
        raise DiarizationError(f"diarization failed: {one_line(error)}") from error
    finally:
        torch.set_num_threads(previous_threads)


def _without_cudnn():
    """cuDNN off while diarizing: CAM++ embeds each (chunk, speaker) pair's active frames, a
    sequence length seldom seen before, and cuDNN sets its kernels up anew for every new shape.
    Measured on an H200 over 22 minutes no run had seen: 19.4 s off, 24.3 s on, the same turns
    and DER (benchmarks/results/gpu.md). On the CPU it changes nothing."""
    import torch

    cudnn = torch.backends.cudnn
    return cudnn.flags(enabled=False, benchmark=cudnn.benchmark, deterministic=cudnn.deterministic, allow_tf32=cudnn.allow_tf32)


def _apply(pipeline, array: np.ndarray, options: DiarizeOptions, num_speakers, min_speakers, max_speakers, hook):
    import torch

    # A float32 slice of the caller's array is used as it is (no copy); another dtype is
    # converted one window at a time.
    samples = np.ascontiguousarray(array, dtype=np.float32)
    file = {"waveform": torch.from_numpy(samples).unsqueeze(0), "sample_rate": SAMPLE_RATE, "uri": "audio"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pipeline(file, num_speakers=num_speakers, min_speakers=min_speakers, max_speakers=max_speakers, hook=hook)


def _release_memory() -> None:
    """Hand freed heap back to the system between windows. Without it glibc kept the previous
    windows' freed arrays and the RSS after each 2-minute window crept up ~90 MiB over 24
    windows (plateauing); with it, 15 MiB."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def _diarize_windows(pipeline, audio: Audio, windows: list[tuple[float, float]], options: DiarizeOptions, progress: Progress | None):
    linker = _SpeakerLinker(options.clustering_threshold, pipeline._embedding.dimension)
    # A window may hold fewer speakers than the recording, never more.
    upper = options.num_speakers or options.max_speakers
    raw: list[tuple[float, float, int]] = []
    for index, (start, end) in enumerate(windows):
        output = _apply(pipeline, read_span(audio, start, end), options, None, None, upper, None)
        annotation = output.speaker_diarization
        labels = annotation.labels()
        centroids = output.speaker_embeddings if output.speaker_embeddings is not None else np.zeros((0, 0))
        durations = [annotation.label_duration(label) for label in labels]
        speakers = linker.link(np.asarray(centroids, dtype=np.float64), durations)
        raw.extend(_raw_turns(annotation, start, dict(zip(labels, speakers))))
        del output, annotation, centroids
        _release_memory()
        if progress is not None:
            progress(float(index + 1), float(len(windows)))
    if upper is not None:
        parent = linker.merge_down_to(upper)
        raw = [(start, end, parent[label]) for start, end, label in raw]
    return _join_at_cuts(raw, {start for start, _ in windows[1:]})
