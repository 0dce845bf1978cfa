"""The shared data model and its writers, on the seed broadcast's reference turns."""

from __future__ import annotations

import json

import pysubs2
import pytest
import webvtt

from retranscribe.files import atomic_write_text, safe_name
from retranscribe.transcript import (
    CaptionCue,
    Segment,
    Speaker,
    SpeakerTurn,
    Transcript,
    Word,
    ends_sentence,
    segments_from_words,
)
from retranscribe.writers import render_rttm, render_srt, render_vtt, write_srt, write_vtt


@pytest.fixture()
def transcript(reference_transcript) -> Transcript:
    return reference_transcript


def test_json_round_trip_keeps_everything(transcript):
    again = Transcript.from_json(transcript.to_json())
    assert again.to_dict() == transcript.to_dict()
    data = json.loads(transcript.to_json())
    assert {s["role"] for s in data["speakers"]} == {"anchor", "correspondent", "quoted official"}
    assert set(data["segments"][0]) >= {"start", "end", "speaker", "text", "words"}
    assert set(data["segments"][0]["words"][0]) >= {"start", "end", "word", "probability"}


def test_segments_are_sentences_within_speaker_turns(transcript, reference_turns):
    assert transcript.text.split() == " ".join(t["text"] for t in reference_turns).split()
    # Never across a speaker change: joining a speaker's consecutive segments gives the turns.
    turns = []
    for segment in transcript.segments:
        if turns and turns[-1][0] == segment.speaker:
            turns[-1][1].append(segment.text)
        else:
            turns.append((segment.speaker, [segment.text]))
    assert [(speaker, " ".join(texts).split()) for speaker, texts in turns] == [
        (t["speaker"], t["text"].split()) for t in reference_turns
    ]
    # Each segment is one sentence: it ends a sentence or a turn, and "U.S." ends neither.
    for segment, following in zip(transcript.segments, transcript.segments[1:]):
        assert segment.text[-1] in ".?!" or following.speaker != segment.speaker, segment.text
        assert not segment.text.endswith("U.S.")
    assert "the U.S. national security spokesman John Kirby" in " ".join(s.text for s in transcript.segments)
    assert len(transcript.segments) > 2 * len(reference_turns)


def test_sentence_ends():
    assert ends_sentence("Anna?") and ends_sentence("years.") and ends_sentence('choreographed."')
    assert not ends_sentence("U.S.") and not ends_sentence("Mr.") and not ends_sentence("Korea,")
    assert not ends_sentence("...") and not ends_sentence("")
    assert ends_sentence("no.")  # "He said no." ends a sentence


def test_long_unpunctuated_speech_is_split_at_max_duration():
    words = [Word(i * 0.5, i * 0.5 + 0.4, "word", 0.9, "A") for i in range(200)]
    segments = segments_from_words(words, max_duration=30.0)
    assert sum(len(s.words) for s in segments) == 200
    assert all(s.end - s.start <= 30.0 for s in segments)
    assert len(segments) == 4


def test_srt_and_vtt_parse_back_with_independent_readers(tmp_path, transcript):
    cues = [CaptionCue(s.start, s.end, s.text, speaker=s.speaker) for s in transcript.segments]
    srt = pysubs2.load(str(write_srt(tmp_path / "c.srt", cues, transcript.speakers)))
    assert len(srt) == len(cues)
    first_of_correspondent = next(i for i, c in enumerate(cues) if c.speaker != cues[0].speaker)
    assert abs(srt[first_of_correspondent].start / 1000 - cues[first_of_correspondent].start) < 0.002
    assert srt[first_of_correspondent].plaintext == "[Anna Cunningham] Morning, Heather."

    vtt = webvtt.read(str(write_vtt(tmp_path / "c.vtt", cues, transcript.speakers)))
    assert [c.voice for c in vtt] == [transcript.speaker(c.speaker).label for c in cues]
    first_of_official = next(i for i, c in enumerate(vtt) if c.voice == "John Kirby")
    assert vtt[first_of_official].text.startswith("Yeah, look, no surprise")
    assert vtt[first_of_official].start == "00:01:57.056"


def test_vtt_escapes_markup_in_text():
    text = render_vtt([CaptionCue(0.0, 1.0, "a <b> & c", speaker="x")], [Speaker("x", name="A>B")])
    assert "<v AB>a &lt;b&gt; &amp; c" in text


def test_timed_writers_refuse_untimed_cues():
    with pytest.raises(ValueError, match="no times"):
        render_srt([CaptionCue(None, None, "plain text")])


def test_rttm_matches_reference_format(samples):
    reference = (samples / "reference.rttm").read_text().splitlines()
    turns = []
    for line in reference:
        fields = line.split()
        start, duration = float(fields[3]), float(fields[4])
        turns.append(SpeakerTurn(start, start + duration, fields[7]))
    assert render_rttm(turns, uri="broadcast").splitlines() == reference


def test_segment_and_cue_round_trip_untimed():
    cue = CaptionCue(None, None, "plain caption", words=[Word(1.0, 1.5, "plain", 1.0)])
    assert CaptionCue.from_dict(cue.to_dict()) == cue
    segment = Segment(0.0, 1.0, "hi", [Word(0.0, 1.0, "hi", 0.5, "S1")], "S1")
    assert Segment.from_dict(segment.to_dict()) == segment


@pytest.mark.parametrize("hostile", ["../../etc/x", "a;rm -rf /", "$(reboot)", "..", "", "   "])
def test_safe_name_never_escapes(hostile, tmp_path):
    name = safe_name(hostile)
    assert "/" not in name and name not in {".", ".."} and not name.startswith(".")
    assert (tmp_path / name).resolve().parent == tmp_path.resolve()


def test_atomic_write_leaves_no_partial_file(tmp_path):
    target = atomic_write_text(tmp_path / "out.txt", "done")
    assert target.read_text() == "done"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
