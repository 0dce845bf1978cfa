"""Diarization on real audio: the seed broadcast and pyannote's own sample, scored against their
RTTM truth; words to speakers; roles and names from what is said."""

from __future__ import annotations

import json

import numpy as np
import pytest

from diarize import DiarizationError, DiarizeOptions, assign_speakers, diarize, label_speakers
from retranscribe.audio import load_audio
from retranscribe.transcript import (
    SpeakerRole,
    SpeakerTurn,
    Transcript,
    VideoMetadata,
    Word,
    segments_from_words,
)


def _annotation(turns):
    from pyannote.core import Annotation, Segment

    annotation = Annotation()
    for turn in turns:
        annotation[Segment(turn.start, turn.end)] = turn.speaker
    return annotation


def _der(reference_rttm, turns) -> float:
    from pyannote.database.util import load_rttm
    from pyannote.metrics.diarization import DiarizationErrorRate

    reference = next(iter(load_rttm(str(reference_rttm)).values()))
    return DiarizationErrorRate(collar=0.0)(reference, _annotation(turns), uem=reference.get_timeline().extent())


@pytest.fixture(scope="module")
def broadcast_turns(samples) -> list[SpeakerTurn]:
    return diarize(load_audio(samples / "broadcast.wav"))


@pytest.fixture(scope="module")
def sample_turns(samples) -> list[SpeakerTurn]:
    path = samples / "pyannote_sample" / "sample.wav"
    if not path.is_file():
        pytest.skip("pyannote's sample.wav is not in audio_samples/pyannote_sample")
    return diarize(load_audio(path))


@pytest.fixture(scope="module")
def metadata(samples) -> VideoMetadata:
    return VideoMetadata.from_dict(json.loads((samples / "info.json").read_text()))


def _reference_transcript(reference_turns) -> Transcript:
    """The seed's true words, spread evenly over each turn's speech; no speaker attached."""
    words: list[Word] = []
    for turn in reference_turns:
        tokens = turn["text"].split()
        spans = turn["speech"]
        total = sum(end - start for start, end in spans)
        step = total / len(tokens)
        span_index, offset = 0, 0.0
        for token in tokens:
            start, end = spans[span_index]
            while start + offset + step > end + 1e-6 and span_index + 1 < len(spans):
                span_index, offset = span_index + 1, 0.0
                start, end = spans[span_index]
            words.append(Word(start + offset, min(start + offset + step, end), token))
            offset += step
    return Transcript(segments=segments_from_words(words))


@pytest.mark.slow
def test_broadcast_three_speakers_low_der(broadcast_turns, samples):
    assert len({t.speaker for t in broadcast_turns}) == 3
    assert all(t.end > t.start for t in broadcast_turns)
    assert _der(samples / "reference.rttm", broadcast_turns) <= 0.06


@pytest.mark.slow
def test_pyannote_sample_two_speakers_low_der(sample_turns, samples):
    assert len({t.speaker for t in sample_turns}) == 2
    assert _der(samples / "pyannote_sample" / "sample.rttm", sample_turns) <= 0.09


@pytest.mark.slow
def test_words_take_the_speaker_they_overlap(broadcast_turns, reference_turns):
    transcript = assign_speakers(_reference_transcript(reference_turns), broadcast_turns)
    assert all(w.speaker is not None for w in transcript.words())
    assert all(len({w.speaker for w in s.words}) == 1 and s.speaker == s.words[0].speaker for s in transcript.segments)
    # Each reference turn is (almost) all one diarized speaker, and turns by different people differ.
    majority = {}
    for turn in reference_turns:
        inside = [w.speaker for w in transcript.words() if turn["start"] <= (w.start + w.end) / 2 <= turn["end"]]
        top = max(set(inside), key=inside.count)
        assert inside.count(top) / len(inside) >= 0.9
        majority.setdefault(turn["name"], set()).add(top)
    assert all(len(ids) == 1 for ids in majority.values())
    assert len(set().union(*majority.values())) == 3


@pytest.mark.slow
def test_roles_and_names_on_seed(broadcast_turns, reference_turns, metadata):
    transcript = assign_speakers(_reference_transcript(reference_turns), broadcast_turns)
    speakers = {s.id: s for s in label_speakers(transcript, metadata)}
    for turn in reference_turns:
        inside = [w.speaker for w in transcript.words() if turn["start"] <= (w.start + w.end) / 2 <= turn["end"]]
        speaker = speakers[max(set(inside), key=inside.count)]
        assert speaker.role is SpeakerRole(turn["role"])
        assert speaker.name == turn["name"]


def _two_voice_transcript(texts: list[str]) -> Transcript:
    words, clock = [], 0.0
    for index, text in enumerate(texts):
        for token in text.split():
            words.append(Word(clock, clock + 0.3, token, speaker=f"SPEAKER_{index % 2:02d}"))
            clock += 0.35
        clock += 1.0
    return Transcript(segments=segments_from_words(words))


def test_names_stay_empty_when_nothing_reveals_them():
    transcript = _two_voice_transcript(
        [
            "Good evening. Prices rose again this month across the country. Our reporter has more on the story.",
            "Thanks. Shoppers here say food costs more than a year ago and many are cutting back on what "
            "they buy every week, and economists expect the trend to continue well into next year.",
            "Thank you for that report. That is all for tonight.",
        ]
    )
    speakers = label_speakers(transcript, VideoMetadata(id="x", description="Prices rose again in May."))
    assert [s.name for s in speakers] == [None, None]
    assert {s.role for s in speakers} == {SpeakerRole.ANCHOR, SpeakerRole.CORRESPONDENT}


def test_a_name_inside_a_turn_names_a_listener_not_a_speaker():
    transcript = _two_voice_transcript(
        [
            "We turn now to the markets. Tom is following it for us. Tom?",
            "Morning, Priya. What we are seeing, Trevor, is a slow recovery after a difficult week for "
            "investors and the outlook remains uncertain for the months ahead.",
            "Tom Baker, thanks very much.",
        ]
    )
    speakers = {s.id: s for s in label_speakers(transcript, None)}
    assert speakers["SPEAKER_00"].name == "Priya"
    assert speakers["SPEAKER_01"].name == "Tom Baker"
    assert "Trevor" not in {s.name for s in speakers.values()}


def test_garbage_audio_raises_diarization_error():
    with pytest.raises(DiarizationError):
        diarize(np.zeros(0, dtype=np.float32))
    with pytest.raises(DiarizationError):
        diarize(np.zeros((2, 16000), dtype=np.float32))
    with pytest.raises(DiarizationError):
        diarize(np.full(32000, np.nan, dtype=np.float32))


def test_unknown_hub_pipeline_offline_raises_clear_error(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(DiarizationError, match="no-such-pipeline") as raised:
        diarize(np.zeros(32000, dtype=np.float32), DiarizeOptions(pipeline="nobody/no-such-pipeline", hf_token="hf_x"))
    assert "\n" not in str(raised.value)
    assert "hf_x" not in str(raised.value)


def test_options_reject_impossible_speaker_counts():
    with pytest.raises(ValueError):
        DiarizeOptions(min_speakers=4, max_speakers=2)
    with pytest.raises(ValueError):
        DiarizeOptions(num_speakers=0)


def test_a_name_does_not_run_across_a_speaker_change():
    # Hinted ASR often drops the full stop at a turn end: "... closely, Priya" + "Tom Baker, thanks".
    transcript = _two_voice_transcript(
        [
            "We turn now to the markets and Tom Baker is following it for us, Tom",
            "Morning, Priya, investors had a difficult week and the outlook remains uncertain for "
            "the months ahead as rates stay high, Priya",
            "Tom Baker, thanks very much",
        ]
    )
    speakers = {s.id: s for s in label_speakers(transcript, None)}
    assert speakers["SPEAKER_00"].name == "Priya"
    assert speakers["SPEAKER_01"].name == "Tom Baker"
