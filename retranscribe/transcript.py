"""The shared vocabulary of every stage: words, segments, speakers, caption cues, the transcript.

Each stage takes these dataclasses and returns them; JSON (``to_dict``/``from_dict``) is the
on-disk form other tools read (``transcript.json``).
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator


class SpeakerRole(str, enum.Enum):
    ANCHOR = "anchor"
    CORRESPONDENT = "correspondent"
    QUOTED_OFFICIAL = "quoted official"
    # Interviewed (live or in a soundbite) and not speaking for an office: experts, witnesses.
    GUEST = "guest"
    MEMBER_OF_THE_PUBLIC = "member of the public"
    OTHER = "other"


@dataclass
class Word:
    """One word with its time span in seconds; ``probability`` is the decoder's confidence."""

    start: float
    end: float
    word: str
    probability: float = 1.0
    speaker: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {
            "start": round(self.start, 3),
            "end": round(self.end, 3),
            "word": self.word,
            "probability": round(self.probability, 4),
        }
        if self.speaker is not None:
            out["speaker"] = self.speaker
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Word:
        return cls(
            start=float(data["start"]),
            end=float(data["end"]),
            word=str(data["word"]),
            probability=float(data.get("probability", 1.0)),
            speaker=data.get("speaker"),
        )


@dataclass
class Segment:
    """A stretch of speech by one speaker (or unknown), with its words."""

    start: float
    end: float
    text: str
    words: list[Word] = field(default_factory=list)
    speaker: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": round(self.start, 3),
            "end": round(self.end, 3),
            "speaker": self.speaker,
            "text": self.text,
            "words": [w.to_dict() for w in self.words],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Segment:
        return cls(
            start=float(data["start"]),
            end=float(data["end"]),
            text=str(data.get("text", "")),
            words=[Word.from_dict(w) for w in data.get("words", [])],
            speaker=data.get("speaker"),
        )


@dataclass
class Speaker:
    """A diarized voice. ``evidence`` says why it has its role and name: short strings or small
    dicts (rule, words, turn) that a reader of ``transcript.json`` can check."""

    id: str
    role: SpeakerRole = SpeakerRole.OTHER
    name: str | None = None
    evidence: list[str | dict[str, Any]] = field(default_factory=list)

    @property
    def label(self) -> str:
        """What a reader of captions should see: the name, else the role, else the id."""
        if self.name:
            return self.name
        if self.role is not SpeakerRole.OTHER:
            return self.role.value
        return self.id

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "role": self.role.value, "name": self.name}
        if self.evidence:
            out["evidence"] = list(self.evidence)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Speaker:
        return cls(
            id=str(data["id"]),
            role=SpeakerRole(data.get("role") or "other"),
            name=data.get("name"),
            evidence=list(data.get("evidence") or []),
        )


@dataclass
class SpeakerTurn:
    """Who speaks when, as a diarization finds it (no words)."""

    start: float
    end: float
    speaker: str


@dataclass
class CaptionCue:
    """One caption cue. Plain-text captions have no times: ``start``/``end`` are None and the
    align stage times them. ``words`` holds per-word times when the format has them (YouTube's
    inline timing tags, json3, srv3)."""

    start: float | None
    end: float | None
    text: str
    words: list[Word] = field(default_factory=list)
    speaker: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": None if self.start is None else round(self.start, 3),
            "end": None if self.end is None else round(self.end, 3),
            "text": self.text,
            "speaker": self.speaker,
            "words": [w.to_dict() for w in self.words],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CaptionCue:
        return cls(
            start=None if data.get("start") is None else float(data["start"]),
            end=None if data.get("end") is None else float(data["end"]),
            text=str(data.get("text", "")),
            words=[Word.from_dict(w) for w in data.get("words", [])],
            speaker=data.get("speaker"),
        )


@dataclass
class CaptionTrack:
    """The captions of one video in one language, as published."""

    cues: list[CaptionCue]
    language: str | None = None
    automatic: bool = False
    source_format: str = "vtt"

    @property
    def timed(self) -> bool:
        return any(c.start is not None for c in self.cues)

    def words(self) -> list[str]:
        return [w for cue in self.cues for w in cue.text.split()]

    @property
    def text(self) -> str:
        return " ".join(self.words())

    def to_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "automatic": self.automatic,
            "source_format": self.source_format,
            "cues": [c.to_dict() for c in self.cues],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CaptionTrack:
        return cls(
            cues=[CaptionCue.from_dict(c) for c in data.get("cues", [])],
            language=data.get("language"),
            automatic=bool(data.get("automatic", False)),
            source_format=data.get("source_format", "vtt"),
        )


@dataclass
class VideoMetadata:
    """What yt-dlp's info JSON says about a video; title and description feed the entity
    lexicon and the speaker name detection."""

    id: str
    title: str = ""
    description: str = ""
    uploader: str = ""
    duration: float | None = None
    webpage_url: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "uploader": self.uploader,
            "duration": self.duration,
            "webpage_url": self.webpage_url,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> VideoMetadata:
        duration = data.get("duration")
        return cls(
            id=str(data.get("id") or data.get("display_id") or "video"),
            title=str(data.get("title") or ""),
            description=str(data.get("description") or ""),
            uploader=str(data.get("uploader") or data.get("channel") or ""),
            duration=None if duration is None else float(duration),
            webpage_url=str(data.get("webpage_url") or data.get("original_url") or ""),
        )


@dataclass
class Transcript:
    """What was said, by whom, when. The form of ``transcript.json``."""

    segments: list[Segment] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)
    language: str | None = None
    duration: float | None = None

    def words(self) -> Iterator[Word]:
        for segment in self.segments:
            yield from segment.words

    @property
    def text(self) -> str:
        return " ".join(s.text.strip() for s in self.segments if s.text.strip())

    def speaker(self, speaker_id: str | None) -> Speaker | None:
        return next((s for s in self.speakers if s.id == speaker_id), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "duration": None if self.duration is None else round(self.duration, 3),
            "speakers": [s.to_dict() for s in self.speakers],
            "segments": [s.to_dict() for s in self.segments],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Transcript:
        return cls(
            segments=[Segment.from_dict(s) for s in data.get("segments", [])],
            speakers=[Speaker.from_dict(s) for s in data.get("speakers", [])],
            language=data.get("language"),
            duration=data.get("duration"),
        )

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Transcript:
        return cls.from_dict(json.loads(text))

    @classmethod
    def read(cls, path: str | Path) -> Transcript:
        return cls.from_json(Path(path).read_text(encoding="utf-8"))


# Titles that end in a period without ending a sentence ("Mr. Kirby"); dotted abbreviations
# such as "U.S." are recognised by their inner period.
_TITLE_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st jr sr gen lt col capt sgt adm gov sen rep pres rev vs".split()
)


def ends_sentence(token: str) -> bool:
    """Whether a word ends a sentence: it ends in . ? or ! and is not an abbreviation."""
    token = token.strip().rstrip("\"'\u201d\u2019)]")
    if not token or token[-1] not in ".?!":
        return False
    if token[-1] in "?!":
        return True
    stem = token.rstrip(".")
    return bool(stem) and "." not in stem and stem.lower() not in _TITLE_ABBREVIATIONS


def segments_from_words(words: Iterable[Word], max_gap: float = 1.5, max_duration: float = 30.0) -> list[Segment]:
    """Group consecutive words into sentence-sized segments: a new segment starts at a speaker
    change, after a pause longer than ``max_gap``, after a sentence end, or where the segment
    would outgrow ``max_duration`` (Whisper's own window)."""
    segments: list[Segment] = []
    for word in words:
        current = segments[-1] if segments else None
        if (
            current is None
            or word.speaker != current.speaker
            or word.start - current.end > max_gap
            or ends_sentence(current.words[-1].word)
            or word.end - current.start > max_duration
        ):
            current = Segment(start=word.start, end=word.end, text="", speaker=word.speaker)
            segments.append(current)
        current.words.append(word)
        current.end = max(current.end, word.end)
    for segment in segments:
        segment.text = " ".join(w.word.strip() for w in segment.words)
    return segments


__all__ = [
    "CaptionCue",
    "CaptionTrack",
    "Segment",
    "Speaker",
    "SpeakerRole",
    "SpeakerTurn",
    "Transcript",
    "VideoMetadata",
    "Word",
    "ends_sentence",
    "segments_from_words",
]
