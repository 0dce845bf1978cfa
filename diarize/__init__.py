"""Diarization stage: who speaks when (pyannote.audio, offline with embedded models), words to
speakers, and speaker roles and names from what is said."""

from diarize.assign import assign_speakers
from diarize.pipeline import DiarizationError, DiarizeOptions, diarize, load_pipeline
from diarize.roles import label_speakers

__all__ = ["DiarizationError", "DiarizeOptions", "assign_speakers", "diarize", "label_speakers", "load_pipeline"]
