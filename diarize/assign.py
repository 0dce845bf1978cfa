"""Words to speakers: each ASR word takes the diarization speaker it overlaps most."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from retranscribe.transcript import Speaker, SpeakerTurn, Transcript, Word, segments_from_words

# Words per block when comparing all words with all turns; bounds memory on hour-long videos.
_BLOCK = 2048


def _speaker_per_word(words: list[Word], turns: list[SpeakerTurn]) -> list[str]:
    speakers = sorted({turn.speaker for turn in turns})
    index = {speaker: i for i, speaker in enumerate(speakers)}
    starts = np.array([t.start for t in turns])
    ends = np.array([t.end for t in turns])
    owner = np.array([index[t.speaker] for t in turns])
    chosen: list[str] = []
    for offset in range(0, len(words), _BLOCK):
        block = words[offset : offset + _BLOCK]
        word_start = np.array([w.start for w in block])[:, None]
        word_end = np.array([max(w.end, w.start) for w in block])[:, None]
        overlap = np.clip(np.minimum(ends, word_end) - np.maximum(starts, word_start), 0.0, None)
        per_speaker = np.zeros((len(block), len(speakers)))
        for s in range(len(speakers)):
            per_speaker[:, s] = overlap[:, owner == s].sum(axis=1)
        best = per_speaker.argmax(axis=1)
        # A word in a gap between turns goes to the nearest turn (by distance to its middle).
        middle = (word_start + word_end) / 2
        distance = np.maximum(starts - middle, 0.0) + np.maximum(middle - ends, 0.0)
        nearest = owner[distance.argmin(axis=1)]
        has_overlap = per_speaker.max(axis=1) > 0
        chosen.extend(speakers[b if o else n] for b, n, o in zip(best, nearest, has_overlap))
    return chosen


def assign_speakers(transcript: Transcript, turns: list[SpeakerTurn]) -> Transcript:
    """A copy of ``transcript`` whose words carry speakers and whose segments are rebuilt from
    the words, so every segment is one speaker's. Without turns, speakers stay unknown."""
    words = [replace(w) for w in transcript.words()]
    if turns and words:
        for word, speaker in zip(words, _speaker_per_word(words, turns)):
            word.speaker = speaker
    else:
        for word in words:
            word.speaker = None
    segments = segments_from_words(words)
    known = {s.id: s for s in transcript.speakers}
    order: list[str] = []
    for word in words:
        if word.speaker is not None and word.speaker not in order:
            order.append(word.speaker)
    speakers = [known.get(speaker_id) or Speaker(id=speaker_id) for speaker_id in order]
    return Transcript(segments=segments, speakers=speakers, language=transcript.language, duration=transcript.duration)
