"""Plain-text transcripts as copied from a web page: a title, the caption text, a description,
then page furniture (subscribe/follow/comment lines).

The method reads the page's shape, not one site's layout:

* the first short stand-alone line is the title;
* the body is the longest run of caption prose: lines with (almost) no sentence punctuation and
  mostly lower-case words, as auto-captions and most caption dumps are. Blank lines and
  ``0:04``-style timestamp lines inside the run do not break it, so captions copied one line
  per paragraph or from a transcript panel are found too;
* the paragraph right after the body is the description when it reads like one (sentences);
* short lines that are social/subscribe/comment/link labels are boilerplate and never kept.

A page with no such unpunctuated run (a punctuated transcript) keeps every non-boilerplate
line after the title as the body.
"""

from __future__ import annotations

import re
from pathlib import Path

from retranscribe.files import safe_name
from retranscribe.transcript import CaptionCue, CaptionTrack, VideoMetadata
from source.errors import CaptionFormatError

__all__ = ["is_boilerplate", "parse_text_page", "read_text_page"]

_BOILERPLATE = re.compile(
    r"""(?ix)
      \b(?:un)?subscribe\b
    | \b(?:follow|find|like|join|connect\s+with)\b.*\b(?:on|at|with|online)\b
    | \b(?:twitter|facebook|instagram|tiktok|snapchat|linkedin|pinterest|reddit|whatsapp
          |telegram|threads|bluesky|mastodon)\b
    | \bdownload\s+(?:the|our)\b.*\bapps?\b
    | \benter\s+your\s+(?:comment|name|e-?mail)\b
    | \bleave\s+a\s+(?:reply|comment)\b | \bpost\s+comment\b | ^\W*\d*\s*comments?\W*$
    | \brequired\s+fields?\b | \byour\s+e-?mail\s+address\b
    | \b(?:share|tweet|e-?mail|print)\s+this\b | \bclick\s+here\b | \bsign\s+(?:up|in)\b
    | \blog\s+in\b | \bnewsletter\b | \bcookies?\b | \bprivacy\s+policy\b
    | \bterms\s+of\s+(?:use|service)\b | \ball\s+rights\s+reserved\b | © | \bcopyright\b
    | ^\W*(?:https?://|www\.)\S+\W*$
    | \badvertisement\b | \brelated\s+(?:videos?|stories|articles|posts)\b | \bread\s+more\b
    | \bwatch\s+more\b | \bskip\s+to\s+(?:main\s+)?content\b
    """
)
_TIMESTAMP_LINE = re.compile(r"^\s*(?:\d{1,2}:)?\d{1,2}:\d{2}\s*$")
_SENTENCE_PUNCTUATION = set(".!?;:,()[]\"“”")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})
# A line longer than this is content even if it mentions "subscribe": a caption body often
# comes as one long line, and a speaker may say anything.
_BOILERPLATE_MAX_WORDS = 25
_TITLE_MAX_WORDS = 20
_TITLE_MAX_CHARS = 150
_MIN_BODY_WORDS = 8


def read_text_page(path: str | Path) -> tuple[CaptionTrack, VideoMetadata]:
    """The caption body of a saved web page as untimed cues, and its title and description.
    The metadata id is the file's safe stem (a title is never a path)."""
    from source.captions import decode_caption_bytes

    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CaptionFormatError(f"{path}: cannot be read ({error.strerror or error})") from None
    return parse_text_page(decode_caption_bytes(data, str(path)), name=str(path))


def is_boilerplate(line: str) -> bool:
    words = line.split()
    if not words or len(words) > _BOILERPLATE_MAX_WORDS:
        return False
    if _BOILERPLATE.search(line):
        return True
    # "For breaking news, video, audio and in-depth coverage:" - a link label whose link the
    # copy lost.
    return line.rstrip().endswith(":") and len(words) <= 12


def _is_caption_prose(line: str) -> bool:
    words = line.split()
    alpha = [w for w in words if any(ch.isalpha() for ch in w)]
    if not alpha or len(alpha) < 0.6 * len(words):
        return False
    punctuation = sum(ch in _SENTENCE_PUNCTUATION for ch in line)
    if punctuation > len(words) * 0.02:
        return False
    capitalised = sum(w[0].isupper() for w in alpha)
    return len(alpha) < 6 or capitalised <= 0.5 * len(alpha)


def _in_body(line: str) -> bool:
    return _is_caption_prose(line) and not (is_boilerplate(line) and len(line.split()) <= 10)


def _reads_like_description(lines: list[str]) -> bool:
    text = " ".join(lines)
    words = text.split()
    return len(words) >= 6 and bool(re.search(r"[.!?]", text) or words[0][0].isupper())


def _paragraph_from(lines: list[str], index: int) -> list[int]:
    out = []
    while index < len(lines) and lines[index].strip():
        out.append(index)
        index += 1
    return out


def parse_text_page(text: str, name: str = "page") -> tuple[CaptionTrack, VideoMetadata]:
    lines = [" ".join(line.translate(_QUOTES).split()) for line in text.splitlines()]
    content = [i for i, line in enumerate(lines) if line]
    if not content:
        raise CaptionFormatError(f"{name}: no text")

    title = ""
    start = 0
    for i in content:
        if is_boilerplate(lines[i]) or _TIMESTAMP_LINE.match(lines[i]):
            continue
        words = lines[i].split()
        standalone = i + 1 >= len(lines) or not lines[i + 1]
        more_after = any(j > i for j in content)
        if standalone and more_after and len(words) <= _TITLE_MAX_WORDS and len(lines[i]) <= _TITLE_MAX_CHARS:
            title, start = lines[i], i + 1
        break

    runs: list[list[int]] = []
    current: list[int] = []
    for i in range(start, len(lines)):
        line = lines[i]
        if not line or _TIMESTAMP_LINE.match(line):
            continue
        if _in_body(line):
            current.append(i)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    body = max(runs, key=lambda run: sum(len(lines[i].split()) for i in run), default=[])

    description = ""
    if sum(len(lines[i].split()) for i in body) >= _MIN_BODY_WORDS:
        after = next((j for j in content if j > body[-1]), None)
        if after is not None:
            paragraph = [lines[j] for j in _paragraph_from(lines, after) if not is_boilerplate(lines[j])]
            if paragraph and not is_boilerplate(lines[after]) and _reads_like_description(paragraph):
                description = "\n".join(paragraph)
    else:
        body = [i for i in content if i >= start and not is_boilerplate(lines[i]) and not _TIMESTAMP_LINE.match(lines[i])]
    if not body:
        raise CaptionFormatError(f"{name}: no caption text found")

    track = CaptionTrack(
        cues=[CaptionCue(start=None, end=None, text=lines[i]) for i in body],
        language=None,
        automatic=False,
        source_format="text",
    )
    metadata = VideoMetadata(id=safe_name(Path(name).stem), title=title, description=description)
    return track, metadata
