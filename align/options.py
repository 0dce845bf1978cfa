"""The align stage's settings: every threshold a fix decision uses, recorded in run.json."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FixOptions:
    """Thresholds of the caption fixer. Margins are log-likelihood differences in nats (the
    ASR's reading minus the caption's) over windows of a few seconds."""

    # A correction is applied when the audio prefers the ASR reading by this much.
    fix_margin: float = 5.0
    # A caption run spelled like a name the video itself uses needs twice the margin.
    name_fix_margin: float = 10.0
    # Homophones ("aid"/"aide") leave the audio no say: a small margin and a sound-alike make
    # them *suspected* (listed for a person, caption kept).
    suspect_margin: float = 0.5
    # Same letters, other spelling ("US"/"U.S."): no spoken word can change, only its form.
    spelling_margin: float = 1.0
    # Phonetic similarity from which two readings count as sound-alikes.
    suspect_similarity: float = 0.6
    # Mean probability of the ASR words below which the ASR counts as unsure (never fixes).
    confident_probability: float = 0.5
    # Below this share of caption words agreeing with the audio, the captions are not a noisy
    # transcript of it (another language, another video): scored, never fixed.
    min_agreement: float = 0.35
    # Re-decode caption runs of at least ``min_gap_words`` words the ASR heard (almost)
    # nothing of, before fixing.
    repair_gaps: bool = True
    min_gap_words: int = 5

    def __post_init__(self) -> None:
        for name in ("fix_margin", "name_fix_margin", "suspect_margin", "spelling_margin"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative, not {getattr(self, name)}")
        for name in ("suspect_similarity", "confident_probability", "min_agreement"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must lie in [0, 1], not {getattr(self, name)}")
        if self.min_gap_words < 1:
            raise ValueError(f"min_gap_words must be at least 1, not {self.min_gap_words}")


__all__ = ["FixOptions"]
