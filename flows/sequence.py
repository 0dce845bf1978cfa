"""The stage sequence, written once: fetch -> transcribe -> diarize -> align/score/fix -> write.

``run_video`` is plain function calls over the stages' dataclasses. How each stage is *run* is
the caller's: ``run_plainly`` calls it (the CLI without a Prefect API, benchmarks, tests); the
Prefect flow passes a runner that wraps each stage in a task (retries, tags, task runs in the
UI). Either way the expensive stages are looked up in the same ``StageCache`` first, keyed on
their inputs, their own part of the settings, and the code of the packages they run plus the
ground — so a change in report/ or the CLI leaves transcriptions valid, and a change in asr/
does not.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import pickle
import threading
import time
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any, Callable

from flows.settings import RunSettings
from retranscribe.audio import Audio, open_audio
from retranscribe.errors import InputError, describe
from retranscribe.files import atomic_write_bytes
from retranscribe.models import cache_root, sha256_file
from retranscribe.outputs import write_outputs
from retranscribe.progress import Progress, ProgressBars
from retranscribe.results import RunRecord
from retranscribe.transcript import CaptionTrack, SpeakerTurn, Transcript

# The ground every stage stands on; its code is part of every stage's cache key.
GROUND = "retranscribe"
# The packages each cached stage runs (align re-decodes gaps with asr and labels speakers
# with diarize between repair and fix).
STAGE_PACKAGES = {
    "transcribe": ("asr",),
    "diarize": ("diarize",),
    "align": ("asr", "diarize", "align"),
}


@dataclass(frozen=True)
class VideoJob:
    """One video to re-transcribe: what the user points at, not how to process it."""

    source: str  # a URL yt-dlp extracts, or a local audio/video file
    out_dir: str
    captions: str | None = None  # a local caption file instead of downloaded captions
    info: str | None = None  # a yt-dlp style .info.json (title, description) for a local file


# --- cache keys -------------------------------------------------------------------------------


@cache
def code_digest(*packages: str) -> str:
    """A digest of the packages' Python sources (and the ground's). A fixed bug in a stage
    must never keep serving its cached wrong result."""
    digest = hashlib.sha256()
    for name in sorted({GROUND, *packages}):
        root = Path(importlib.import_module(name).__file__).parent
        for path in sorted(root.rglob("*.py")):
            digest.update(f"{name}/{path.relative_to(root)}".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def stage_key(stage: str, *parts: Any) -> str:
    """The cache key of one stage: its inputs' identities, its settings, and its code."""
    payload = json.dumps([stage, code_digest(*STAGE_PACKAGES[stage]), *parts], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def audio_identity(path: str | Path) -> str:
    """Identity of the run's audio for stage cache keys: its content, so the same recording
    fetched into another output folder (a batch, a second run) reuses its stages. About 0.3 s
    for an hour of 16 kHz WAV."""
    return sha256_file(Path(path))


class StageCache:
    """Stage results on disk (pickles under ``root``), written atomically: an interrupted run
    leaves no half result, and a re-run resumes from the stages that finished."""

    def __init__(self, root: str | Path | None = None, enabled: bool = True) -> None:
        if root is None:
            root = os.environ.get("RETRANSCRIBE_STAGE_CACHE") or cache_root() / "stages"
        self.root = Path(root)
        self.enabled = enabled

    def _path(self, stage: str, key: str) -> Path:
        return self.root / stage / f"{key}.pickle"

    def has(self, stage: str, key: str) -> bool:
        return self.enabled and self._path(stage, key).is_file()

    def get(self, stage: str, key: str) -> tuple[bool, Any]:
        path = self._path(stage, key)
        if not self.enabled or not path.is_file():
            return False, None
        try:
            return True, pickle.loads(path.read_bytes())
        except Exception:  # a result pickled by other code: compute it again
            path.unlink(missing_ok=True)
            return False, None

    def put(self, stage: str, key: str, value: Any) -> None:
        if self.enabled:
            atomic_write_bytes(self._path(stage, key), pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


# --- how a stage is run -------------------------------------------------------------------------

StageRunner = Callable[..., Any]
"""``runner(name, function, *args)``: run one stage's function and return its result."""


def run_plainly(name: str, function: Callable[..., Any], *args: Any) -> Any:
    return function(*args)


# --- the stages, as plain functions over the shared dataclasses ---------------------------------


def load_run_audio(path: str | Path) -> Audio:
    """The run's audio: the source stage's 16 kHz mono WAV, read span by span from disk by the
    stages that need it (nothing holds a long recording whole)."""
    return open_audio(path)


def fetch_media(job: VideoJob, settings: RunSettings, progress: Progress | None = None):
    from source import fetch

    hook = None
    if progress is not None:
        def hook(status: dict) -> None:
            total = status.get("total_bytes") or status.get("total_bytes_estimate") or 0
            progress(status.get("downloaded_bytes") or 0, total)
    return fetch(
        job.source,
        Path(job.out_dir) / "source",
        caption_language=settings.source.caption_language,
        captions=job.captions,
        info=job.info,
        allow_file_urls=settings.source.allow_file_urls,
        progress=hook,
    )


def pick_captions(media) -> CaptionTrack | None:
    """Manual captions before automatic ones (``fetch`` already orders tracks so)."""
    return media.captions[0] if media.captions else None


def asr_options_for(settings: RunSettings, media):
    """The ASR options for this video: the settings plus the names the video spells itself.
    With beam search they go in as hotwords: on the seed broadcast they took base from 7.2 % to
    1.0 % WER (benchmarks/results/asr.md). Greedy decoding with the same hotwords went to 19 %
    WER, with them as an initial prompt 1.9 %."""
    from asr import entity_hints, hint_prompt

    captions = pick_captions(media)
    hints = tuple(entity_hints(media.metadata, captions.text if captions else ""))
    options = settings.asr
    if options.beam_size == 1:
        return replace(options, initial_prompt=options.initial_prompt or hint_prompt(list(hints)))
    return replace(options, hotwords=tuple(dict.fromkeys((*options.hotwords, *hints))))


def transcribe_audio(audio_path: str, asr_options, progress: Progress | None = None) -> Transcript:
    from asr import transcribe

    return transcribe(load_run_audio(audio_path), asr_options, progress=progress)


@dataclass
class Diarization:
    """Speaker turns, or why there are none: diarization is optional, its failure is recorded."""

    turns: list[SpeakerTurn] = field(default_factory=list)
    error: str | None = None


def second_judge_options(settings: RunSettings, asr_options):
    """The ASR options of the second judge of caption fixes (another Whisper model than the
    one that produced the hypothesis), or None where there is none."""
    judge = settings.fix.second_judge
    return replace(asr_options, model=judge) if judge and judge != asr_options.model else None


def prepare_later_stages(settings: RunSettings, asr_options, diarizer: bool, labeller: bool, judge: bool) -> threading.Thread:
    """Import and load what the diarize and align stages will need in a background thread, so
    that it overlaps transcription instead of following it: pyannote.audio with torch and
    Lightning and the diarization models (about 10 s of imports and 2 s of loading on 2
    cores), spaCy's recogniser for speaker names (1.5 s) and the second judge. CTranslate2
    releases the GIL while it decodes, so transcription loses less than the preparation
    takes (measured on the seed: the run 8 s shorter, transcription 3 s longer). A failure
    here is left to the stage that needs the thing to raise and record: each loader is
    called again there and reuses what was built."""

    def build() -> None:
        steps = []
        if diarizer:
            from diarize import load_pipeline

            steps.append(lambda: load_pipeline(settings.diarize))
        if labeller:
            from diarize.ner import load_recogniser

            steps.append(load_recogniser)
        judge_options = second_judge_options(settings, asr_options)
        if judge and judge_options is not None:
            from asr import load_model

            steps.append(lambda: load_model(judge_options))
        for step in steps:
            try:
                step()
            except Exception:  # the stage that needs it reports it
                pass

    thread = threading.Thread(target=build, name="prepare-later-stages", daemon=True)
    thread.start()
    return thread


def diarize_audio(audio_path: str, settings: RunSettings, progress: Progress | None = None) -> Diarization:
    from diarize import diarize

    try:
        return Diarization(turns=diarize(load_run_audio(audio_path), settings.diarize, progress=progress))
    except Exception as error:  # an optional stage must not take the run down with it
        return Diarization(error=describe(error) if not isinstance(error, InputError) else str(error))


@dataclass
class Aligned:
    """The align stage's result: the repaired, speaker-labelled transcript and the caption
    fixes and score (None without captions)."""

    transcript: Transcript
    fixed_cues: list = field(default_factory=list)
    corrections: list = field(default_factory=list)
    score: Any = None
    failures: dict[str, str] = field(default_factory=dict)


def align_captions(audio_path: str, media, transcript: Transcript, diarization: Diarization, settings: RunSettings, asr_options) -> Aligned:
    import align
    from asr import load_model, transcribe_windows

    failures: dict[str, str] = {}
    captions = pick_captions(media)
    audio = load_run_audio(audio_path)
    gaps = []
    if captions is not None and captions.cues:
        transcript, gaps = align.repair_transcript(
            captions, transcript, lambda windows: transcribe_windows(audio, windows, asr_options), settings.fix
        )
    transcript = _with_speakers(transcript, diarization, media.metadata, captions, failures)
    if captions is None or not captions.cues:
        return Aligned(transcript, failures=failures)
    lexicon = align.EntityLexicon.from_video(media.metadata.title, media.metadata.description, captions.text)
    scorer = align.AcousticScorer(load_model(asr_options), audio, transcript.language)
    judge = None
    judge_options = second_judge_options(settings, asr_options)
    if judge_options is not None:
        try:
            judge_model = load_model(judge_options)
            judge = align.AcousticScorer(judge_model, audio, transcript.language)
        except Exception as error:  # without a second judge the fixer keeps to its first
            failures["second judge"] = describe(error)
    result = align.fix_and_score(captions, transcript, scorer, lexicon, gaps, settings.fix, judge)
    if result.not_fixed:
        failures["fix"] = f"not fixed: {result.not_fixed}"
    return Aligned(transcript, result.fixed_cues, result.corrections, result.score, failures)


def _with_speakers(
    transcript: Transcript, diarization: Diarization, metadata, captions: CaptionTrack | None, failures: dict[str, str]
) -> Transcript:
    """Words get the speaker of the turn they overlap most; speakers get roles and names (the
    captions check a name's spelling). Optional like diarization itself: on failure the
    transcript stands without speakers."""
    if not diarization.turns:
        return transcript
    try:
        from diarize import assign_speakers, label_speakers

        labelled = assign_speakers(transcript, diarization.turns)
        labelled.speakers = label_speakers(labelled, metadata, captions)
        return labelled
    except Exception as error:
        failures["speakers"] = describe(error)
        return transcript


def write_run(record: RunRecord, out_dir: str) -> dict[str, Path]:
    extra = []
    try:
        from report.html import render_report

        extra.append(("report.html", render_report(record, Path(out_dir))))
    except Exception as error:  # the report is optional: record why it is missing
        record.failures["report"] = describe(error)
    return write_outputs(out_dir, record, extra)


# --- the sequence -------------------------------------------------------------------------------


def run_video(
    job: VideoJob,
    settings: RunSettings = RunSettings(),
    runner: StageRunner = run_plainly,
    cache: StageCache | None = None,
    bars: ProgressBars | None = None,
) -> tuple[RunRecord, dict[str, Path]]:
    """Re-transcribe one video and write its outputs; returns the run record and the files.

    The stages run one after another: transcription and diarization need only the audio, but
    running them at the same time on 2 CPU cores was slower (measured on the seed: 75 s against
    66 s for both, and the align stage after them 45 s against 9 s, the ASR's OpenMP threads
    contending with torch's). Only the later stages' imports and model loads run beside
    transcription (``prepare_later_stages``). Input errors (``InputError``) propagate;
    optional stages (diarization, speaker labels, the report) record their failure and the run
    goes on. ``bars`` shows a progress bar per stage (a terminal's, by default)."""
    cache = cache if cache is not None else StageCache()
    bars = bars if bars is not None else ProgressBars()
    timings: dict[str, float] = {}
    hits: set[str] = set()

    def timed(name: str, function: Callable[..., Any], *args: Any) -> Any:
        started = time.perf_counter()
        try:
            return runner(name, function, *args)
        finally:
            timings[name] = time.perf_counter() - started

    def cached(name: str, key: str, function: Callable[..., Any], *args: Any) -> Any:
        started = time.perf_counter()
        hit, value = cache.get(name, key)
        if hit:
            timings[name] = time.perf_counter() - started
            hits.add(name)
            return value
        value = timed(name, function, *args)
        cache.put(name, key, value)
        return value

    with bars:
        media = timed("fetch", fetch_media, job, settings, bars.bar("download"))
        audio_path = str(media.audio_path)
        audio_id = audio_identity(audio_path)
        asr_options = asr_options_for(settings, media)
        asr_key = stage_key("transcribe", audio_id, repr(asr_options))
        diarize_key = stage_key("diarize", audio_id, settings.digest_of("diarize"))
        captions = pick_captions(media)
        align_key = stage_key(
            "align",
            asr_key,
            diarize_key,
            settings.digest_of("fix"),
            None if captions is None else captions.to_dict(),
            media.metadata.to_dict(),
        )
        aligning = not cache.has("align", align_key)
        preparing = prepare_later_stages(
            settings,
            asr_options,
            diarizer=not cache.has("diarize", diarize_key),
            labeller=aligning,
            judge=aligning and captions is not None and bool(captions.cues),
        )
        transcript = cached("transcribe", asr_key, transcribe_audio, audio_path, asr_options, bars.bar("transcribe"))
        diarization = cached("diarize", diarize_key, diarize_audio, audio_path, settings, bars.bar("diarize"))
    preparing.join()  # loaders are not all safe to call twice at once
    aligned = cached("align", align_key, align_captions, audio_path, media, transcript, diarization, settings, asr_options)

    failures = dict(aligned.failures)
    if diarization.error:
        failures["diarize"] = diarization.error
    record = RunRecord(
        metadata=media.metadata,
        transcript=aligned.transcript,
        fixed_cues=aligned.fixed_cues,
        corrections=aligned.corrections,
        score=aligned.score,
        turns=diarization.turns,
        failures=failures,
        settings=settings.to_dict(),
        timings=timings,
        audio_file=audio_path,
        cached_stages=[stage for stage in STAGE_PACKAGES if stage in hits],
    )
    files = timed("write", write_run, record, job.out_dir)
    return record, files


__all__ = [
    "Aligned",
    "Diarization",
    "StageCache",
    "StageRunner",
    "VideoJob",
    "align_captions",
    "asr_options_for",
    "code_digest",
    "diarize_audio",
    "fetch_media",
    "load_run_audio",
    "pick_captions",
    "run_plainly",
    "run_video",
    "stage_key",
    "transcribe_audio",
    "write_run",
]
