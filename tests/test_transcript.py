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
    SpeakerRole,
    SpeakerTurn,
    Transcript,
    Word,
    segments_from_words,
)
from retranscribe.writers import render_rttm, render_srt, render_vtt, write_srt, write_vtt


def _evenly_timed_words(turn: dict) -> list[Word]:
    tokens = turn["text"].split()
    step = (turn["end"] - turn["start"]) / len(tokens)
    return [
        Word(turn["start"] + i * step, turn["start"] + (i + 1) * step, token, 0.9, turn["speaker"])
        for i, token in enumerate(tokens)
    ]


@pytest.fixture()
def transcript(reference_turns) -> Transcript:
    words = [w for turn in reference_turns for w in _evenly_timed_words(turn)]
    speakers = {t["speaker"]: Speaker(t["speaker"], SpeakerRole(t["role"]), t["name"]) for t in reference_turns}
    return Transcript(segments_from_words(words), list(speakers.values()), "en", 167.9)


def test_json_round_trip_keeps_everything(transcript):
    again = Transcript.from_json(transcript.to_json())
    assert again.to_dict() == transcript.to_dict()
    data = json.loads(transcript.to_json())
    assert {s["role"] for s in data["speakers"]} == {"anchor", "correspondent", "quoted official"}
    assert set(data["segments"][0]) >= {"start", "end", "speaker", "text", "words"}
    assert set(data["segments"][0]["words"][0]) >= {"start", "end", "word", "probability"}


def test_segments_follow_speaker_turns(transcript, reference_turns):
    assert [s.speaker for s in transcript.segments] == [t["speaker"] for t in reference_turns]
    assert transcript.text.split() == " ".join(t["text"] for t in reference_turns).split()


def test_srt_and_vtt_parse_back_with_independent_readers(tmp_path, transcript):
    cues = [CaptionCue(s.start, s.end, s.text, speaker=s.speaker) for s in transcript.segments]
    srt = pysubs2.load(str(write_srt(tmp_path / "c.srt", cues, transcript.speakers)))
    assert len(srt) == len(cues)
    assert abs(srt[1].start / 1000 - cues[1].start) < 0.002
    assert srt[1].plaintext.startswith("[Anna Cunningham] Morning, Heather.")

    vtt = webvtt.read(str(write_vtt(tmp_path / "c.vtt", cues, transcript.speakers)))
    assert [c.voice for c in vtt] == [transcript.speaker(c.speaker).label for c in cues]
    assert vtt[4].voice == "John Kirby"
    assert vtt[4].start == "00:01:57.056" and abs(vtt[4].start_in_seconds - cues[4].start) < 1


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
