"""Entity hints for the decoder: the names a video's own title, description and captions use."""

from __future__ import annotations

from retranscribe.entities import extract_entities
from retranscribe.transcript import VideoMetadata

# Whisper's prompt holds at most 223 tokens; a short list of names stays well inside it.
MAX_HINTS = 24


def entity_hints(metadata: VideoMetadata | None, captions_text: str = "", limit: int = MAX_HINTS) -> list[str]:
    """Multi-word names first (they are what Whisper gets wrong: "Kim Jong Un"), then single
    names; title and description before the captions, whose spellings are less reliable."""
    texts = [metadata.title, metadata.description] if metadata else []
    from_metadata = extract_entities(texts)
    from_captions = [p for p in extract_entities([captions_text]) if p not in from_metadata]
    ranked = from_metadata + from_captions
    multi = [p for p in ranked if " " in p]
    single = [p for p in ranked if " " not in p and not any(p in m.split() for m in multi)]
    return (multi + single)[:limit]


def hint_prompt(hints: list[str]) -> str | None:
    """An initial prompt naming the entities, in the form Whisper saw in training (prose)."""
    return f"{', '.join(hints)}." if hints else None
