"""What a run finds, typed until the writers: corrections, the caption score, stage failures
and the run record. JSON (``to_dict``) is made only where files are written.

These live in the ground, beside the transcript model, because more than one stage speaks
them: align produces corrections and scores, report renders them, flows record them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from retranscribe.transcript import CaptionCue, SpeakerTurn, Transcript, VideoMetadata


class CorrectionStatus(str, enum.Enum):
    FIXED = "fixed"  # applied to the fixed captions
    SUSPECTED = "suspected"  # listed for a person to review, caption kept


@dataclass
class Correction:
    """One decision on a caption disagreement, with the evidence it was made on."""

    start: float
    end: float
    speaker: str | None
    caption_words: list[str]
    fixed_words: list[str]
    reason: str
    confidence: float
    status: CorrectionStatus
    evidence: dict[str, Any] = field(default_factory=dict)

    @property
    def caption(self) -> str:
        return " ".join(self.caption_words)

    @property
    def fixed(self) -> str:
        return " ".join(self.fixed_words)

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": round(self.start, 3),
            "end": round(self.end, 3),
            "speaker": self.speaker,
            "caption": self.caption,
            "fixed": self.fixed,
            "status": self.status.value,
            "reason": self.reason,
            "confidence": round(self.confidence, 3),
            "evidence": self.evidence,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Correction:
        return cls(
            start=float(data["start"]),
            end=float(data["end"]),
            speaker=data.get("speaker"),
            caption_words=str(data.get("caption", "")).split(),
            fixed_words=str(data.get("fixed", "")).split(),
            reason=str(data.get("reason", "")),
            confidence=float(data.get("confidence", 0.0)),
            status=CorrectionStatus(data["status"]),
            evidence=dict(data.get("evidence") or {}),
        )


def count_status(corrections: list[Correction], status: CorrectionStatus) -> int:
    return sum(c.status is status for c in corrections)


@dataclass
class Disagreement:
    """A place where the captions and the new transcript differ (the transcript is the
    reference: caption words it lacks are insertions, its words the captions lack deletions)."""

    kind: str  # substitution | insertion | deletion
    start: float
    end: float
    speaker: str | None
    caption_words: list[str]
    asr_words: list[str]
    asr_probabilities: list[float]

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "start": round(self.start, 3),
            "end": round(self.end, 3),
            "speaker": self.speaker,
            "caption": " ".join(self.caption_words),
            "asr": " ".join(self.asr_words),
            "asr_probabilities": [round(p, 3) for p in self.asr_probabilities],
        }


@dataclass
class Gap:
    """A caption run the ASR heard (almost) nothing of, and what re-decoding it found."""

    start: float
    end: float
    caption_words: list[str]
    asr_words_before: int
    asr_words_after: int | None = None

    @property
    def unheard(self) -> bool:
        return not self.asr_words_after

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": round(self.start, 3),
            "end": round(self.end, 3),
            "caption": " ".join(self.caption_words),
            "caption_word_count": len(self.caption_words),
            "asr_words_before_repair": self.asr_words_before,
            "asr_words_after_repair": self.asr_words_after,
        }


@dataclass
class SpeakerScore:
    wer: float
    asr_words: int

    def to_dict(self) -> dict[str, Any]:
        return {"wer": round(self.wer, 4), "asr_words": self.asr_words}


@dataclass
class SegmentScore:
    start: float
    end: float
    speaker: str | None
    wer: float
    asr_words: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": round(self.start, 3),
            "end": round(self.end, 3),
            "speaker": self.speaker,
            "wer": round(self.wer, 4),
            "asr_words": self.asr_words,
        }


@dataclass
class CaptionScore:
    """How far the captions are from what the audio says, by the new transcript."""

    wer: float
    caption_words: int
    asr_words: int
    per_speaker: dict[str, SpeakerScore] = field(default_factory=dict)
    per_segment: list[SegmentScore] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)

    @property
    def unheard(self) -> list[Gap]:
        """Caption spans that stayed without ASR evidence even after re-decoding."""
        return [g for g in self.gaps if g.unheard]

    def to_dict(self) -> dict[str, Any]:
        return {
            "caption_wer_vs_audio": round(self.wer, 4),
            "caption_words": self.caption_words,
            "asr_words": self.asr_words,
            "per_speaker": {s: v.to_dict() for s, v in self.per_speaker.items()},
            "per_segment": [s.to_dict() for s in self.per_segment],
            "disagreements": [d.to_dict() for d in self.disagreements],
            "gaps": [g.to_dict() for g in self.gaps],
            "unheard": [g.to_dict() for g in self.unheard],
        }


@dataclass
class RunRecord:
    """Everything a finished run knows, as the writers, the report and the CLI need it."""

    metadata: VideoMetadata
    transcript: Transcript
    fixed_cues: list[CaptionCue] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)
    # None when the video has no captions to score.
    score: CaptionScore | None = None
    turns: list[SpeakerTurn] = field(default_factory=list)
    # Stage name -> why it failed or was skipped; optional stages fail without ending the run.
    failures: dict[str, str] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    audio_file: str | None = None
    # Stages whose result came from the stage cache (a re-run resuming after a crash).
    cached_stages: list[str] = field(default_factory=list)

    @property
    def fixed_count(self) -> int:
        return count_status(self.corrections, CorrectionStatus.FIXED)

    @property
    def suspected_count(self) -> int:
        return count_status(self.corrections, CorrectionStatus.SUSPECTED)

    @property
    def caption_wer(self) -> float | None:
        return None if self.score is None else self.score.wer

    def headline(self) -> dict[str, Any]:
        """The few facts a CLI, a batch summary or a script reads first."""
        return {
            "video": self.metadata.id,
            "title": self.metadata.title,
            "caption_wer_vs_audio": None if self.score is None else round(self.score.wer, 4),
            "corrections": self.fixed_count,
            "suspected": self.suspected_count,
            "speakers": [s.to_dict() for s in self.transcript.speakers],
            "failures": dict(self.failures),
            "cached_stages": list(self.cached_stages),
        }


__all__ = [
    "CaptionScore",
    "Correction",
    "CorrectionStatus",
    "Disagreement",
    "Gap",
    "RunRecord",
    "SegmentScore",
    "SpeakerScore",
    "count_status",
]
