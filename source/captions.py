"""Caption readers: WebVTT (YouTube's rolling auto-captions included), SRT, YouTube json3,
srv1/srv2/srv3 and plain-text transcripts, all to the shared ``CaptionTrack`` model.

The format is picked from the content, not the file name: yt-dlp names a json3 track
``.json3`` but users rename files, and web pages save as ``.txt`` whatever they hold.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

import pysubs2
import webvtt

from retranscribe.transcript import CaptionCue, CaptionTrack, Word
from source.errors import CaptionFormatError
from source.textpage import parse_text_page

__all__ = [
    "CAPTION_EXTENSIONS",
    "decode_caption_bytes",
    "detect_format",
    "language_from_name",
    "parse_captions",
    "read_captions",
]

CAPTION_EXTENSIONS = (".vtt", ".srt", ".json3", ".srv3", ".srv2", ".srv1", ".txt")

_TIMESTAMP = r"(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3}"
_INLINE_TIME = re.compile(rf"<({_TIMESTAMP})>")
_TAG = re.compile(r"<[^>]*>")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:\s+([^>]*))?>")
_SRT_START = re.compile(rf"\A\s*(?:\d+\s*\r?\n\s*)?{_TIMESTAMP}\s*-->\s*{_TIMESTAMP}")
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
# YouTube's rolling auto-captions hold each finished line on screen in a 10 ms cue; no cue a
# person reads is this short.
_HOLD_SECONDS = 0.05


def read_captions(path: str | Path, language: str | None = None) -> CaptionTrack:
    """Read a caption file in any supported format (chosen by content).

    ``language`` overrides what the file says (a VTT ``Language:`` header, or a yt-dlp style
    ``name.LANG.ext`` file name). Raises ``CaptionFormatError`` for an empty, binary or
    unknown-format file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CaptionFormatError(f"{path}: no such caption file") from None
    except IsADirectoryError:
        raise CaptionFormatError(f"{path}: is a folder, not a caption file") from None
    except OSError as error:
        raise CaptionFormatError(f"{path}: cannot be read ({error.strerror or error})") from None
    text = decode_caption_bytes(data, str(path))
    return parse_captions(text, language=language or language_from_name(path), name=str(path))


def decode_caption_bytes(data: bytes, name: str = "captions") -> str:
    """Caption files are text: UTF-8 (with or without BOM), UTF-16 with a BOM, or legacy
    Windows-1252 SRTs. NUL bytes or many control characters mean binary (audio, images)."""
    if not data.strip():
        raise CaptionFormatError(f"{name}: caption file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise CaptionFormatError(f"{name}: binary data, not a caption file") from None
    if b"\x00" in data:
        raise CaptionFormatError(f"{name}: binary data, not a caption file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(2, len(text) // 100):
        raise CaptionFormatError(f"{name}: binary data, not a caption file")
    return text


def language_from_name(path: str | Path) -> str | None:
    """``video.en.vtt`` / ``video.en-US.srt`` -> the language yt-dlp put in the file name."""
    suffixes = Path(path).suffixes
    if len(suffixes) >= 2:
        candidate = suffixes[-2].lstrip(".")
        if _LANGUAGE_CODE.match(candidate) and candidate not in {"info", "orig", "part"}:
            return candidate
    return None


def detect_format(text: str) -> str:
    """``vtt``, ``srt``, ``json3``, ``srv3`` (any YouTube timedtext XML), or ``text``.

    Raises ``CaptionFormatError`` for content that is structured but not captions (other JSON,
    other XML, HTML pages)."""
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith("WEBVTT"):
        return "vtt"
    if head.startswith(("{", "[")):
        try:
            data = json.loads(head)
        except ValueError:
            data = None
        if isinstance(data, dict) and isinstance(data.get("events"), list):
            return "json3"
        raise CaptionFormatError("JSON that is not a YouTube json3 caption track")
    if head.startswith("<"):
        start = head[:4000].lower()
        if re.search(r"<(?:timedtext|transcript)[\s>]", start):
            return "srv3"
        if re.search(r"<!doctype html|<html[\s>]|<body[\s>]|<div[\s>]", start):
            raise CaptionFormatError("an HTML page, not a caption file")
        raise CaptionFormatError("XML that is not a YouTube timedtext (srv1/srv2/srv3) track")
    if _SRT_START.match(head):
        return "srt"
    return "text"


def parse_captions(text: str, language: str | None = None, name: str = "captions", fmt: str | None = None) -> CaptionTrack:
    """Parse caption text already decoded; ``fmt`` forces a format, else it is detected."""
    try:
        fmt = fmt or detect_format(text)
    except CaptionFormatError as error:
        raise CaptionFormatError(f"{name}: {error}") from None
    if fmt == "vtt":
        track = _parse_vtt(text, name)
        language = language or _vtt_language(text)
    elif fmt == "srt":
        track = _parse_srt(text, name)
    elif fmt == "json3":
        track = _parse_json3(text, name)
    elif fmt in {"srv3", "srv2", "srv1"}:
        track = _parse_timedtext(text, name)
    elif fmt == "text":
        track, _ = parse_text_page(text, name=name)
    else:
        raise CaptionFormatError(f"{name}: unknown caption format {fmt!r}")
    if not any(cue.text.strip() for cue in track.cues):
        raise CaptionFormatError(f"{name}: no caption text in this {track.source_format} file")
    track.language = language
    return track


# --- shared helpers -------------------------------------------------------------------------


def _seconds(stamp: str) -> float:
    parts = stamp.strip().replace(",", ".").split(":")
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + float(part)
    return seconds


def _plain(fragment: str) -> str:
    """Cue markup to plain text: tags out, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(_TAG.sub("", fragment)).split())


def _spread(start: float, end: float, tokens: list[str]) -> list[Word]:
    """Words that share one timing tag split its span evenly."""
    end = max(end, start)
    step = (end - start) / len(tokens)
    return [Word(start + i * step, start + (i + 1) * step, token, 1.0) for i, token in enumerate(tokens)]


def _words_from_chunks(chunks: list[tuple[float, str]], end: float) -> list[Word]:
    """``(start, text)`` chunks, each running until the next one starts, to per-word times."""
    words: list[Word] = []
    chunks = [(start, tokens) for start, text in chunks if (tokens := text.split())]
    for i, (start, tokens) in enumerate(chunks):
        chunk_end = chunks[i + 1][0] if i + 1 < len(chunks) else end
        words.extend(_spread(start, chunk_end, tokens))
    return words


def _cue_from_words(words: list[Word], end: float, speaker: str | None = None) -> CaptionCue:
    return CaptionCue(
        start=words[0].start,
        end=max(end, words[-1].end),
        text=" ".join(w.word for w in words),
        words=words,
        speaker=speaker,
    )


# --- WebVTT ---------------------------------------------------------------------------------


@dataclass
class _VttCue:
    start: float
    end: float
    lines: list[str]


def _vtt_cues(text: str, name: str) -> list[_VttCue]:
    try:
        document = webvtt.from_string(text)
    except Exception as error:  # webvtt-py raises MalformedFileError, and ValueError on odd stamps
        raise CaptionFormatError(f"{name}: malformed WebVTT ({type(error).__name__})") from None
    return [
        _VttCue(_seconds(c.start), _seconds(c.end), c.raw_text.replace("\r", "").split("\n"))
        for c in document.captions
    ]


def _vtt_language(text: str) -> str | None:
    header = text.lstrip("\ufeff").split("\n\n", 1)[0]
    match = re.search(r"^Language:\s*(\S+)\s*$", header, re.MULTILINE)
    return match.group(1) if match else None


def _is_rolling(cues: list[_VttCue]) -> bool:
    """YouTube's auto-captions either carry inline word timing tags or repeat the previous
    cue's last line as their first line; either way each line appears in several cues."""
    if any(_INLINE_TIME.search(line) for cue in cues for line in cue.lines):
        return True
    carried = sum(
        1
        for previous, cue in zip(cues, cues[1:])
        if len(cue.lines) >= 2 and _plain(cue.lines[0]) and _plain(cue.lines[0]) == _plain(previous.lines[-1])
    )
    multi_line = sum(1 for cue in cues if len(cue.lines) >= 2)
    return multi_line >= 2 and carried >= multi_line / 2


def _parse_vtt(text: str, name: str) -> CaptionTrack:
    cues = _vtt_cues(text, name)
    if _is_rolling(cues):
        return CaptionTrack(cues=_rolling_cues(cues), automatic=True, source_format="vtt")
    out: list[CaptionCue] = []
    for cue in cues:
        out.extend(_voice_cues(cue))
    return CaptionTrack(cues=out, automatic=False, source_format="vtt")


def _voice_cues(cue: _VttCue) -> list[CaptionCue]:
    """One caption cue per ``<v Speaker>`` span (text before any voice tag has no speaker)."""
    raw = "\n".join(cue.lines)
    parts = _VOICE.split(raw)  # [before, name1, text1, name2, text2, ...]
    spans = [(None, parts[0])] + [
        ((parts[i] or "").strip() or None, parts[i + 1]) for i in range(1, len(parts), 2)
    ]
    out = []
    for speaker, fragment in spans:
        plain = _plain(fragment)
        if plain:
            out.append(CaptionCue(cue.start, cue.end, plain, speaker=speaker))
    return out


def _tagged_words(line: str, start: float, end: float) -> list[Word]:
    """``first<00:00:01.234><c> second</c>...``: the text before the first tag starts with
    the cue, each tag gives the start of the text after it."""
    parts = _INLINE_TIME.split(line)
    chunks = [(start, _plain(parts[0]))]
    chunks += [(_seconds(parts[i]), _plain(parts[i + 1])) for i in range(1, len(parts), 2)]
    return _words_from_chunks(chunks, end)


def _rolling_cues(cues: list[_VttCue]) -> list[CaptionCue]:
    """Every spoken word exactly once. A line with timing tags is new text; an untagged line
    is new only if it is not the line carried over from the previous cue (the first line of
    each cue repeats the last one, and 10 ms hold cues repeat it alone)."""
    out: list[CaptionCue] = []
    last_line = ""
    for cue in cues:
        tagged = [line for line in cue.lines if _INLINE_TIME.search(line)]
        if tagged:
            for line in tagged:
                words = _tagged_words(line, cue.start, cue.end)
                if words:
                    out.append(_cue_from_words(words, cue.end))
                    last_line = out[-1].text
            continue
        if cue.end - cue.start <= _HOLD_SECONDS:
            continue
        lines = [plain for line in cue.lines if (plain := _plain(line))]
        if lines and lines[0] == last_line:
            lines = lines[1:]
        for line in lines:
            if line == last_line:
                continue
            out.append(CaptionCue(cue.start, cue.end, line))
            last_line = line
    return out


# --- SRT ------------------------------------------------------------------------------------


def _parse_srt(text: str, name: str) -> CaptionTrack:
    try:
        document = pysubs2.SSAFile.from_string(text, format_="srt")
    except Exception as error:  # pysubs2 raises its own FormatError and ValueError subclasses
        raise CaptionFormatError(f"{name}: malformed SRT ({type(error).__name__})") from None
    cues = []
    for event in document.events:
        if event.is_comment:
            continue
        plain = " ".join(html.unescape(event.plaintext).split())
        if plain:
            cues.append(CaptionCue(event.start / 1000, event.end / 1000, plain))
    return CaptionTrack(cues=cues, automatic=False, source_format="srt")


# --- YouTube json3 --------------------------------------------------------------------------


def _parse_json3(text: str, name: str) -> CaptionTrack:
    """``events`` with ``tStartMs``/``dDurationMs``; ``segs`` carry text and, in automatic
    tracks, per-word ``tOffsetMs``. Events with only ``\\n`` segs are line breaks."""
    data = json.loads(text)
    cues: list[CaptionCue] = []
    word_timed = False
    for event in data["events"]:
        if not isinstance(event, dict) or not event.get("segs"):
            continue
        try:
            start = float(event.get("tStartMs", 0)) / 1000
            end = start + float(event.get("dDurationMs", 0)) / 1000
            segs = [(float(seg.get("tOffsetMs", 0)) / 1000, str(seg.get("utf8", ""))) for seg in event["segs"]]
        except (TypeError, ValueError, AttributeError):
            raise CaptionFormatError(f"{name}: malformed json3 event at {event.get('tStartMs')!r}") from None
        plain = " ".join("".join(seg_text for _, seg_text in segs).split())
        if not plain:
            continue
        if len(segs) > 1 or any(offset for offset, _ in segs):
            word_timed = True
            words = _words_from_chunks([(start + offset, seg_text) for offset, seg_text in segs], end)
            cues.append(_cue_from_words(words, end))
        else:
            cues.append(CaptionCue(start, end, plain))
    _trim_overlaps(cues)
    return CaptionTrack(cues=cues, automatic=word_timed, source_format="json3")


def _trim_overlaps(cues: list[CaptionCue]) -> None:
    """Automatic json3/srv3 events stay on screen until the line after next: end each at the
    next one's start so cues (and their last words) do not overlap."""
    for cue, following in zip(cues, cues[1:]):
        if cue.end is not None and following.start is not None and cue.end > following.start >= (cue.start or 0):
            cue.end = following.start
            if cue.words and cue.words[-1].end > cue.end:
                cue.words[-1].end = max(cue.words[-1].start, cue.end)


# --- YouTube timedtext XML (srv1, srv2, srv3) -----------------------------------------------


def _parse_timedtext(text: str, name: str) -> CaptionTrack:
    """srv3: ``<timedtext format="3"><body><p t= d=><s t=>`` (ms, word offsets in ``s``);
    srv2: ``<timedtext><text t= d=>`` (ms); srv1: ``<transcript><text start= dur=>`` (s)."""
    try:
        root = ElementTree.fromstring(text.lstrip("\ufeff").encode("utf-8"))
    except ElementTree.ParseError as error:
        raise CaptionFormatError(f"{name}: malformed timedtext XML ({error})") from None
    cues: list[CaptionCue] = []
    word_timed = False
    try:
        if root.tag == "transcript":
            fmt = "srv1"
            for node in root.iter("text"):
                start = float(node.get("start", 0))
                end = start + float(node.get("dur", 0))
                plain = _plain(html.unescape("".join(node.itertext())))
                if plain:
                    cues.append(CaptionCue(start, end, plain))
        elif root.tag == "timedtext" and root.get("format") == "3":
            fmt = "srv3"
            for node in root.iter("p"):
                start = float(node.get("t", 0)) / 1000
                end = start + float(node.get("d", 0)) / 1000
                spans = node.findall("s")
                if spans:
                    chunks = [(start, node.text or "")] if (node.text or "").strip() else []
                    chunks += [(start + float(s.get("t", 0)) / 1000, "".join(s.itertext())) for s in spans]
                    words = _words_from_chunks([(t, html.unescape(c)) for t, c in chunks], end)
                    if words:
                        word_timed = word_timed or len(chunks) > 1
                        cues.append(_cue_from_words(words, end))
                    continue
                plain = _plain(" ".join(node.itertext()))
                if plain:
                    cues.append(CaptionCue(start, end, plain))
        elif root.tag == "timedtext":
            fmt = "srv2"
            for node in root.iter("text"):
                start = float(node.get("t", 0)) / 1000
                end = start + float(node.get("d", 0)) / 1000
                plain = _plain("".join(node.itertext()))
                if plain:
                    cues.append(CaptionCue(start, end, plain))
        else:
            raise CaptionFormatError(f"{name}: XML <{root.tag}> is not a YouTube timedtext track")
    except ValueError:
        raise CaptionFormatError(f"{name}: malformed timedtext times") from None
    _trim_overlaps(cues)
    return CaptionTrack(cues=cues, automatic=word_timed, source_format=fmt)
