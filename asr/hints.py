"""Entity hints for the decoder: the names a video's own title, description and captions use,
passed to faster-whisper as ``hotwords`` (or an initial prompt)."""

from __future__ import annotations

from retranscribe.entities import extract_entities
from retranscribe.transcript import VideoMetadata

# faster-whisper keeps at most 223 // 2 hotword tokens; two dozen names stay inside that.
MAX_HINTS = 24


def _split_at_known(phrase: str, known: set[str]) -> list[str]:
    """Caption text carries no sentence punctuation, so a capitalised run can cross a sentence
    end ("Ukraine Anna Cunningham", "Putin Kim Jong-un"): split it where one end is a name found
    on its own. A known single word splits off only a remainder of two or more words, so that
    "Anna Cunningham" stays whole when "Anna" is also said alone."""
    words = phrase.split()
    for cut in range(1, len(words)):
        for part, rest in ((words[:cut], words[cut:]), (words[cut:], words[:cut])):
            if " ".join(part) in known and (len(part) > 1 or len(rest) > 1):
                return [" ".join(part), *_split_at_known(" ".join(rest), known)]
    return [phrase]


def entity_hints(metadata: VideoMetadata | None, captions_text: str = "", limit: int = MAX_HINTS) -> list[str]:
    """Names the video spells itself: multi-word names first (what Whisper gets wrong: "Kim
    Jong Un", "Anna Cunningham"), then single names; title and description before the captions,
    whose spellings are less reliable."""
    texts = [metadata.title, metadata.description] if metadata else []
    from_metadata = extract_entities(texts)
    from_captions = [p for p in extract_entities([captions_text]) if p not in from_metadata]
    known = set(from_metadata) | set(from_captions)
    # Title and description are punctuated prose: their runs are kept whole.
    split = [part for p in from_captions for part in _split_at_known(p, known - {p})]
    ranked = list(dict.fromkeys(from_metadata + [p for p in split if not any(p in m for m in from_metadata)]))
    multi = [p for p in ranked if " " in p]
    single = [p for p in ranked if " " not in p and not any(p in m.split() for m in multi)]
    return (multi + single)[:limit]


def hint_prompt(hints: list[str]) -> str | None:
    """An initial prompt naming the entities, in the form Whisper saw in training (prose)."""
    return f"{', '.join(hints)}." if hints else None
