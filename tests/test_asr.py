"""ASR stage on real audio with the embedded tiny.en model."""

from __future__ import annotations

import json

import numpy as np
import pytest

from asr import AsrOptions, entity_hints, load_model, resolve_device, transcribe, transcribe_windows
from retranscribe.audio import SAMPLE_RATE, AudioError, load_audio
from retranscribe.transcript import VideoMetadata
from retranscribe.wer import wer

TINY = AsrOptions(model="tiny.en")


@pytest.fixture(scope="module")
def broadcast(samples) -> np.ndarray:
    return load_audio(samples / "broadcast.wav")


def test_transcribes_the_anchor_turn_with_word_times(broadcast, reference_turns):
    anchor = reference_turns[0]
    seconds = anchor["end"] + 0.5
    updates = []
    transcript = transcribe(broadcast[: int(seconds * SAMPLE_RATE)], TINY, progress=lambda done, total: updates.append((done, total)))
    words = list(transcript.words())
    assert transcript.language == "en" and transcript.duration == pytest.approx(seconds, abs=0.01)
    assert wer(anchor["text"], transcript.text) < 0.2
    assert all(0.0 <= w.start <= w.end <= seconds + 0.01 for w in words)
    assert [w.start for w in words] == sorted(w.start for w in words)
    assert all(0.0 < w.probability <= 1.0 for w in words)
    assert np.mean([w.probability for w in words]) > 0.7
    # "Vladimir Putin" is said around 3 s into the turn (reference text, flite voice)
    putin = next(w for w in words if "Putin" in w.word)
    assert anchor["start"] < putin.start < anchor["start"] + 6
    assert updates[-1] == (pytest.approx(seconds), pytest.approx(seconds))
    assert [d for d, _ in updates] == sorted(d for d, _ in updates)


def test_windowed_redecoding_returns_only_words_inside_windows(broadcast):
    windows = [(2.0, 7.0), (30.0, 36.0)]
    words = transcribe_windows(broadcast, windows, TINY)
    assert len(words) >= 10
    assert all(any(s <= w.start and w.end <= e for s, e in windows) for w in words)
    assert {any(s <= w.start < e for w in words) for s, e in windows} == {True}


def test_windowed_redecoding_recovers_a_turn_vad_decoding_can_drop(broadcast, reference_turns):
    official = next(t for t in reference_turns if t["speaker"] == "official")
    words = transcribe_windows(broadcast, [(official["start"] - 0.3, official["end"] + 0.3)], TINY)
    assert wer(official["text"], " ".join(w.word for w in words)) < 0.35


def test_model_is_loaded_once_per_process():
    assert load_model(TINY) is load_model(AsrOptions(model="tiny.en", beam_size=1))


def test_device_resolution():
    assert resolve_device("auto") in {"cpu", "cuda"}
    with pytest.raises(ValueError, match="auto, cpu or cuda"):
        resolve_device("gpu")


@pytest.mark.parametrize("content", [b"", b"this is not audio at all\n" * 100])
def test_non_audio_input_is_a_clear_error(tmp_path, content):
    path = tmp_path / "fake.wav"
    path.write_bytes(content)
    with pytest.raises(AudioError, match="fake.wav"):
        transcribe(path, TINY)


def test_silence_gives_an_empty_transcript():
    transcript = transcribe(np.zeros(SAMPLE_RATE * 5, dtype=np.float32), TINY)
    assert list(transcript.words()) == []


def test_entity_hints_come_from_metadata_and_captions(samples):
    metadata = VideoMetadata.from_dict(json.loads((samples / "info.json").read_text()))
    hints = entity_hints(metadata, (samples / "captions.txt").read_text())
    assert {"John Kirby", "Pyongyang", "North Korea", "Anna Cunningham"} <= set(hints)
    assert len(hints) <= 24
    assert not any(h.lower() in {"the", "well", "now"} for h in hints)
