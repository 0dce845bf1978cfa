"""Alignment, gap finding, evidence helpers and cue building on the seed broadcast's real
caption words against its spoken words (timed per turn)."""

from __future__ import annotations

import json

import pytest

from align import BlockKind, EntityLexicon, align, build_cues, find_gaps, phonetic_similarity
from align.fix import FixedWord, split_block
from retranscribe.transcript import CaptionCue, CaptionTrack, Segment, Transcript, Word


def spoken_transcript(turns: list[dict], skip_speaker: str | None = None) -> Transcript:
    """The truth as an ASR would give it: words spread over each turn's time."""
    segments = []
    for turn in turns:
        if turn["speaker"] == skip_speaker:
            continue
        tokens = turn["text"].split()
        step = (turn["end"] - turn["start"]) / len(tokens)
        words = [Word(turn["start"] + i * step, turn["start"] + (i + 1) * step, " " + t, 0.9, turn["speaker"]) for i, t in enumerate(tokens)]
        segments.append(Segment(turn["start"], turn["end"], turn["text"], words, turn["speaker"]))
    return Transcript(segments=segments)


@pytest.fixture(scope="module")
def plain_captions(samples) -> CaptionTrack:
    return CaptionTrack([CaptionCue(None, None, (samples / "captions.txt").read_text())], source_format="txt")


def test_truth_aligns_with_itself_without_disagreement(reference_turns):
    truth = CaptionTrack([CaptionCue(None, None, " ".join(t["text"] for t in reference_turns))])
    alignment = align(truth, spoken_transcript(reference_turns))
    assert alignment.disagreements() == []
    assert [b.kind for b in alignment.blocks] == [BlockKind.MATCH]


def test_known_caption_errors_are_disagreements(plain_captions, reference_turns, samples):
    alignment = align(plain_captions, spoken_transcript(reference_turns))
    found = {(" ".join(alignment.caption_text(b)), " ".join(alignment.asr_text(b))) for b in alignment.disagreements()}
    script = json.loads((samples / "broadcast_script.json").read_text())
    caption_sides = " | ".join(c for c, _ in found)
    for error in script["caption_errors"]:
        # each known error's caption words show up inside some disagreement
        wrong = [w for w in error["caption"].split() if w.lower() not in error["truth"].lower().split()]
        assert all(w in caption_sides for w in wrong), (error, found)


def test_per_speaker_scores_follow_who_said_each_word(plain_captions, reference_turns):
    from align.score import score_captions
    from retranscribe.wer import normalize

    transcript = spoken_transcript(reference_turns)
    score = score_captions(align(plain_captions, transcript), transcript)
    spoken = {}
    for turn in reference_turns:
        spoken[turn["speaker"]] = spoken.get(turn["speaker"], 0) + len(normalize(turn["text"]).split())
    assert {k: v.asr_words for k, v in score.per_speaker.items()} == spoken
    # The captions' few errors are spread over the speakers: no speaker's words can score
    # far worse than the whole (a match run across a speaker change once gave 72%).
    assert score.wer < 0.05
    assert all(v.wer < 0.1 for v in score.per_speaker.values()), score.per_speaker
    assert sum(s.asr_words for s in score.per_segment) == sum(spoken.values())


def test_untimed_captions_get_monotone_times_inside_their_turns(plain_captions, reference_turns):
    alignment = align(plain_captions, spoken_transcript(reference_turns))
    assert len(alignment.times) == len(plain_captions.words())
    starts = [s for s, _ in alignment.times]
    assert starts == sorted(starts)
    assert all(reference_turns[0]["start"] - 0.01 <= s <= reference_turns[-1]["end"] for s in starts)
    # "Kirby" is said by the correspondent just before the official's turn starts
    official = next(t for t in reference_turns if t["speaker"] == "official")
    index = plain_captions.words().index("Trevor")
    assert official["start"] <= alignment.times[index][0] <= official["end"]


def test_caption_offset_and_drift_do_not_move_aligned_times(reference_turns, plain_captions):
    words = plain_captions.words()
    shifted = CaptionTrack(
        [CaptionCue(30 + 1.05 * i * 0.3, 30 + 1.05 * (i + 8) * 0.3, " ".join(words[i : i + 8])) for i in range(0, len(words), 8)]
    )
    asr = spoken_transcript(reference_turns)
    flat = lambda times: [t for span in times for t in span]
    assert flat(align(shifted, asr).times) == pytest.approx(flat(align(plain_captions, asr).times), abs=1e-6)


def test_a_dropped_turn_is_a_gap_in_its_own_time(plain_captions, reference_turns):
    official = next(t for t in reference_turns if t["speaker"] == "official")
    alignment = align(plain_captions, spoken_transcript(reference_turns, skip_speaker="official"))
    gaps = find_gaps(alignment)
    assert len(gaps) == 1
    gap = gaps[0]
    assert len(gap.caption_words) >= 40
    assert gap.start <= official["start"] + 1 and gap.end >= official["end"] - 1


def test_mixed_disagreement_splits_into_sound_alike_parts():
    caption = ["he", "Anna", "Cunningham"]
    asr = [" Heather.", " And", " a", " cunning", " ham,"]
    assert split_block(caption, asr) == [(0, 1, 0, 1), (1, 3, 1, 5)]


def test_phonetic_similarity_ranks_sound_alikes():
    assert phonetic_similarity(["career"], ["Korea"]) >= 0.6
    assert phonetic_similarity(["trapid"], ["trepidation"]) >= 0.6
    assert phonetic_similarity(["at"], ["for"]) < 0.3


def test_lexicon_takes_names_from_metadata_not_sentence_starts(samples):
    info = json.loads((samples / "info.json").read_text())
    lexicon = EntityLexicon.from_texts([info["title"], info["description"]])
    assert lexicon.contains(["John", "Kirby"])
    assert lexicon.contains(["Pyongyang"])
    assert lexicon.covers(["Kirby"])
    assert not lexicon.contains(["Vladimir", "Putin", "is"])


def test_cues_keep_one_speaker_and_readable_length():
    words = [FixedWord(f"w{i}", i * 0.4, i * 0.4 + 0.3, "A" if i < 30 else "B") for i in range(60)]
    cues = build_cues(words)
    assert all(len(c.text) <= 84 for c in cues)
    assert all(len({w.speaker for w in c.words}) == 1 for c in cues)
    assert " ".join(c.text for c in cues).split() == [w.text for w in words]
    assert all(a.end <= b.start for a, b in zip(cues, cues[1:]))
