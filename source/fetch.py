"""Fetching a video's audio, captions and metadata into a per-video folder.

URLs go through the yt-dlp Python API; local media files are converted with FFmpeg. Either way
the result is ``out_dir/<safe video id>/`` holding a 16 kHz mono WAV (plus, for URLs, the caption
files and the info JSON yt-dlp wrote) and a completion marker.

Everything is built in a hidden staging folder beside the final one, the marker is written
(atomically) last, and only then is the staging folder renamed into place: a folder without a
valid marker is never trusted and is rebuilt, so an interrupted run cannot leave a half-written
folder that a re-run takes as complete.

A playlist URL given to ``fetch`` raises ``SourceError`` pointing to ``expand(url)``, which lists
the playlist's entry URLs (fetch each into its own output folder).
"""

from __future__ import annotations

import copy
import glob
import json
import logging
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from retranscribe.files import atomic_write_text, safe_name
from retranscribe.transcript import CaptionTrack, VideoMetadata
from source.captions import (
    CAPTION_EXTENSIONS,
    decode_caption_bytes,
    detect_format,
    language_from_name,
    read_captions,
)
from source.errors import CaptionFormatError, SourceError, one_line
from source.textpage import parse_text_page

__all__ = [
    "COMPLETE_MARKER",
    "SourceMedia",
    "convert_to_wav",
    "expand",
    "fetch",
    "load_info_json",
]

log = logging.getLogger(__name__)

COMPLETE_MARKER = "fetch.complete.json"
SAMPLE_RATE = 16_000
# Our own retries of a whole extraction (on top of yt-dlp's per-request ``retries``), for
# transient network failures only: 1 s, then 2 s of backoff. A 404 is not retried.
EXTRACT_ATTEMPTS = 3
BACKOFF_SECONDS = 1.0
_TRANSIENT_HTTP = {408, 425, 429, 500, 502, 503, 504}
# A staging folder this old belongs to a run that died; younger ones may be another live run's.
_STALE_STAGING_SECONDS = 6 * 3600
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_MEDIA_CAPTION_EXTENSIONS = tuple(ext for ext in CAPTION_EXTENSIONS if ext != ".txt")

ProgressHook = Callable[[dict], None]


@dataclass
class SourceMedia:
    """A fetched video: its 16 kHz mono WAV, its caption tracks (best first: the requested
    language, manual before automatic) and its metadata, all inside ``folder``."""

    audio_path: Path
    captions: list[CaptionTrack] = field(default_factory=list)
    metadata: VideoMetadata = field(default_factory=lambda: VideoMetadata(id="video"))
    folder: Path = Path(".")


# --- public API -----------------------------------------------------------------------------


def fetch(
    url_or_path: str | Path,
    out_dir: str | Path,
    *,
    caption_language: str = "en",
    captions: str | Path | None = None,
    info: str | Path | None = None,
    allow_file_urls: bool = False,
    progress: ProgressHook | None = None,
) -> SourceMedia:
    """Fetch a video URL (anything yt-dlp extracts) or convert a local audio/video file.

    ``captions``: a local caption file (VTT, SRT, json3, srv3 or a plain-text page) used instead
    of any downloaded or side-car captions; a text page also fills an empty title/description.
    ``info``: a yt-dlp style ``.info.json`` whose metadata is used (for a local file, its id
    also names the folder). ``file://`` URLs are refused unless ``allow_file_urls``.
    ``progress`` receives yt-dlp's progress-hook dicts while downloading.

    A re-run with the same input reuses the completed folder without downloading again."""
    out_dir = Path(out_dir)
    source = str(url_or_path)
    if _URL.match(source):
        _check_url(source, allow_file_urls)
        media = _fetch_url(source, out_dir, caption_language, allow_file_urls, progress)
    else:
        media = _fetch_local(Path(source).expanduser(), out_dir, caption_language, info)
    if info is not None and _URL.match(source):
        media.metadata = _merge_metadata(media.metadata, load_info_json(info))
    if captions is not None:
        track, page = _read_caption_input(Path(captions), caption_language)
        media.captions = [track]
        if page is not None:
            media.metadata.title = media.metadata.title or page.title
            media.metadata.description = media.metadata.description or page.description
    return media


def check_input(
    url_or_path: str | Path,
    *,
    captions: str | Path | None = None,
    info: str | Path | None = None,
    caption_language: str = "en",
    allow_file_urls: bool = False,
) -> None:
    """Refuse bad input in well under a second, before anything heavy starts: a malformed or
    refused URL, a missing, empty or non-media local file (FFmpeg's prober looks for an audio
    stream), an unreadable caption file or info JSON. Raises ``SourceError`` (one line).
    A URL's reachability is not checked here: that is the download's business."""
    source = str(url_or_path)
    if _URL.match(source):
        _check_url(source, allow_file_urls)
        parsed = urllib.parse.urlparse(source)
        if parsed.scheme.lower() in {"http", "https"} and not parsed.hostname:
            raise SourceError(f"{source}: not a valid URL (no host)")
    else:
        path = _check_local_path(Path(source).expanduser())
        _probe_audio(path)
    if captions is not None:
        _read_caption_input(Path(captions), caption_language)
    if info is not None:
        load_info_json(info)


def expand(url: str, *, allow_file_urls: bool = False) -> list[str]:
    """The entry URLs of a playlist (a one-element list for a single video). For a web page
    with several embedded media players these are the media files' URLs."""
    _check_url(url, allow_file_urls)
    options = _base_options(allow_file_urls, None)
    options.update(extract_flat="in_playlist", noplaylist=False)
    info = _extract(url, options)
    if "entries" not in info:
        return [info.get("webpage_url") or url]
    urls = []
    for entry in info.get("entries") or []:
        if not entry:
            continue
        if entry.get("_type") in {"url", "url_transparent"} and entry.get("url"):
            urls.append(entry["url"])
        elif entry.get("webpage_url") and entry["webpage_url"] != info.get("webpage_url"):
            urls.append(entry["webpage_url"])
        elif entry.get("url"):
            urls.append(entry["url"])
        elif entry.get("formats"):
            urls.append(entry["formats"][-1]["url"])
    return urls


def load_info_json(path: str | Path) -> VideoMetadata:
    """Metadata from a yt-dlp style ``.info.json`` (id, title, description, uploader,
    duration, webpage_url)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourceError(f"{path}: no such info JSON file") from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise SourceError(f"{path}: not a readable info JSON ({type(error).__name__})") from None
    if not isinstance(data, dict):
        raise SourceError(f"{path}: an info JSON must be an object, found {type(data).__name__}")
    try:
        return VideoMetadata.from_dict(data)
    except (TypeError, ValueError) as error:
        raise SourceError(f"{path}: bad info JSON field ({error})") from None


def convert_to_wav(source: str | Path, target: str | Path) -> Path:
    """Decode any audio/video file FFmpeg reads to a 16 kHz mono 16-bit WAV at ``target``
    (written beside it first, then renamed, so ``target`` is never half-written)."""
    source, target = Path(source).resolve(), Path(target)
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise SourceError("ffmpeg is not installed (needed to convert local media to WAV)")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.stem}.partial.wav")
    # "file:" keeps a name like "http:x.wav" or "-i.wav" a plain local file to FFmpeg.
    command = [
        ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
        "-i", f"file:{source}",
        "-map", "0:a:0", "-vn", "-sn", "-dn",
        "-ac", "1", "-ar", str(SAMPLE_RATE), "-c:a", "pcm_s16le", "-f", "wav",
        f"file:{partial}",
    ]
    result = subprocess.run(command, capture_output=True, text=True, errors="replace")
    if result.returncode != 0 or not partial.is_file() or partial.stat().st_size <= 44:
        partial.unlink(missing_ok=True)
        detail = one_line(result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "no audio")
        detail = detail.replace(f"file:{source}", "input").replace(str(source), "input")
        if "matches no streams" in detail:
            detail = "it has no audio stream"
        raise SourceError(f"{source}: not a readable audio or video file ({detail})")
    partial.replace(target)
    return target


# --- URLs through yt-dlp --------------------------------------------------------------------


class _QuietLogger:
    """yt-dlp talks to this instead of the terminal; its errors are raised to us anyway."""

    def debug(self, message: str) -> None:
        log.debug("yt-dlp: %s", message)

    def info(self, message: str) -> None:
        log.debug("yt-dlp: %s", message)

    def warning(self, message: str) -> None:
        log.debug("yt-dlp: %s", message)

    def error(self, message: str) -> None:
        log.debug("yt-dlp: %s", message)


def _check_url(url: str, allow_file_urls: bool) -> None:
    if url.lower().startswith("file:") and not allow_file_urls:
        raise SourceError(f"{url}: file:// URLs are refused unless allow_file_urls=True (or give the path itself)")


def _base_options(allow_file_urls: bool, progress: ProgressHook | None) -> dict[str, Any]:
    return {
        "quiet": True,
        "no_warnings": True,
        "noprogress": True,
        "logger": _QuietLogger(),
        "progress_hooks": [progress] if progress else [],
        "noplaylist": True,
        "extract_flat": "in_playlist",
        "retries": 5,
        "fragment_retries": 5,
        "extractor_retries": 2,
        "socket_timeout": 30,
        "cachedir": False,
        "enable_file_urls": allow_file_urls,
        "restrictfilenames": True,
        "windowsfilenames": True,
    }


def _download_options(caption_language: str, staging: Path, allow_file_urls: bool, progress: ProgressHook | None) -> dict[str, Any]:
    options = _base_options(allow_file_urls, progress)
    options.update(
        {
            # Plain "bestaudio" finds nothing on a direct media link whose codec is unknown.
            "format": "bestaudio/best",
            "paths": {"home": str(staging), "temp": str(staging)},
            "outtmpl": {"default": "%(id)s.%(ext)s"},
            "writesubtitles": True,
            "writeautomaticsub": True,
            "subtitleslangs": [re.escape(caption_language), re.escape(caption_language) + "-.*"],
            "subtitlesformat": "vtt/json3/srv3/srt/best",
            "writeinfojson": True,
            "postprocessors": [{"key": "FFmpegExtractAudio", "preferredcodec": "wav"}],
            # yt-dlp's key for FFmpegExtractAudio's output-file arguments (pp_key "ExtractAudio").
            "postprocessor_args": {"extractaudio+ffmpeg_o": ["-ar", str(SAMPLE_RATE), "-ac", "1"]},
        }
    )
    return options


def _causes(error: BaseException):
    seen: set[int] = set()
    stack: list[Any] = [error]
    while stack:
        current = stack.pop(0)
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        exc_info = getattr(current, "exc_info", None)
        if isinstance(exc_info, tuple) and len(exc_info) > 1:
            stack.append(exc_info[1])
        stack.extend([getattr(current, "cause", None), current.__cause__, current.__context__])


def _is_transient(error: BaseException) -> bool:
    from yt_dlp.networking.exceptions import CertificateVerifyError, HTTPError, TransportError

    for cause in _causes(error):
        if isinstance(cause, HTTPError):
            return cause.status in _TRANSIENT_HTTP
        if isinstance(cause, CertificateVerifyError):
            return False
        if isinstance(cause, (TransportError, socket.timeout, TimeoutError, ConnectionError)):
            return True
    return False


def _with_retries(action: Callable[[], Any], what: str) -> Any:
    from yt_dlp.utils import PostProcessingError, YoutubeDLError

    for attempt in range(EXTRACT_ATTEMPTS):
        try:
            return action()
        except YoutubeDLError as error:
            failed = next((c for c in _causes(error) if isinstance(c, PostProcessingError)), None)
            if failed is not None:
                detail = one_line(re.sub(r"^(?:WARNING|ERROR):\s*", "", str(failed)))
                raise SourceError(f"{what}: the download is not audio or video FFmpeg can read ({detail})") from error
            if attempt + 1 < EXTRACT_ATTEMPTS and _is_transient(error):
                delay = BACKOFF_SECONDS * 2**attempt
                log.info("%s: transient network error, retrying in %.0f s: %s", what, delay, one_line(error))
                time.sleep(delay)
                continue
            raise SourceError(f"{what}: {one_line(error)}") from error
    raise AssertionError("unreachable")


def _extract(url: str, options: dict[str, Any]) -> dict[str, Any]:
    from yt_dlp import YoutubeDL

    def action() -> dict[str, Any]:
        with YoutubeDL(options) as ydl:
            return ydl.extract_info(url, download=False)

    info = _with_retries(action, url)
    if not isinstance(info, dict):
        raise SourceError(f"{url}: yt-dlp found no video there")
    return info


def _fetch_url(url: str, out_dir: Path, caption_language: str, allow_file_urls: bool, progress: ProgressHook | None) -> SourceMedia:
    reused = _find_completed(out_dir, url, caption_language)
    if reused is not None:
        return reused
    info = _extract(url, _base_options(allow_file_urls, None))
    if "entries" in info:
        entries = [entry for entry in info.get("entries") or [] if entry]
        if len(entries) != 1:
            raise SourceError(
                f"{url}: is a playlist of {len(entries)} videos; list them with source.expand(url) and fetch each"
            )
        info = entries[0]
        if info.get("_type") in {"url", "url_transparent"}:
            info = _extract(info["url"], _base_options(allow_file_urls, None))
    video_id = str(info.get("id") or "")
    if not video_id:
        raise SourceError(f"{url}: yt-dlp gave no video id")
    folder = out_dir / safe_name(video_id)
    media = _load_completed(folder, caption_language=caption_language)
    if media is not None:
        return media

    def build(staging: Path) -> dict[str, Any]:
        return _download(url, info, staging, caption_language, allow_file_urls, progress)

    media = _build_folder(folder, build, caption_language)
    if media is None:
        raise SourceError(f"{url}: the fetched folder {folder.name} is incomplete")
    return media


def _download(url: str, info: dict[str, Any], staging: Path, caption_language: str, allow_file_urls: bool, progress: ProgressHook | None) -> dict[str, Any]:
    from yt_dlp import YoutubeDL

    options = _download_options(caption_language, staging, allow_file_urls, progress)

    def action() -> dict[str, Any]:
        for leftover in staging.iterdir():  # a retried attempt starts clean
            shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
        with YoutubeDL(options) as ydl:
            return ydl.process_ie_result(copy.deepcopy(info), download=True)

    result = _with_retries(action, url)
    audio = _downloaded_audio(result, staging)
    if audio is None:
        raise SourceError(f"{url}: yt-dlp produced no audio file")
    _ensure_16k_mono(audio)
    info_file = Path(result.get("infojson_filename") or next(iter(sorted(staging.glob("*.info.json"))), ""))
    if not info_file.name or not info_file.is_file():
        raise SourceError(f"{url}: yt-dlp wrote no info JSON")
    manual = set(info.get("subtitles") or {})
    tracks = []
    for language, subtitle in (result.get("requested_subtitles") or {}).items():
        path = subtitle.get("filepath")
        if not path or not Path(path).is_file():
            continue
        tracks.append(
            {
                "file": Path(path).name,
                "language": language,
                "automatic": language not in manual,
                "format": subtitle.get("ext"),
            }
        )
    return {
        "source": url,
        "id": str(info.get("id")),
        "caption_language": caption_language,
        "audio": audio.name,
        "info": info_file.name,
        "captions": tracks,
    }


def _downloaded_audio(result: dict[str, Any], staging: Path) -> Path | None:
    for download in result.get("requested_downloads") or []:
        path = download.get("filepath")
        if path and Path(path).suffix == ".wav" and Path(path).is_file():
            return Path(path)
    wavs = sorted(p for p in staging.glob("*.wav") if not p.name.startswith("."))
    return wavs[0] if wavs else None


def _ensure_16k_mono(wav: Path) -> None:
    import soundfile

    try:
        details = soundfile.info(str(wav))
    except Exception as error:  # soundfile raises LibsndfileError / RuntimeError
        raise SourceError(f"{wav.name}: the extracted audio is not a readable WAV ({error})") from None
    if details.samplerate != SAMPLE_RATE or details.channels != 1:
        log.info("%s is %d Hz x %d: converting again", wav.name, details.samplerate, details.channels)
        convert_to_wav(wav, wav)


# --- local files ----------------------------------------------------------------------------


def _check_local_path(path: Path) -> Path:
    if not path.exists():
        raise SourceError(f"{path}: no such file (a URL needs its scheme, e.g. https://)")
    if path.is_dir():
        raise SourceError(f"{path}: is a folder, not an audio or video file")
    name = path.name.lower()
    if name.endswith(".info.json") or path.suffix.lower() in CAPTION_EXTENSIONS:
        raise SourceError(f"{path}: is a caption or metadata file, not audio or video; pass it as captions= or info=")
    if path.stat().st_size == 0:
        raise SourceError(f"{path}: not a readable audio or video file (it is empty)")
    return path.resolve()


def _probe_audio(path: Path) -> None:
    """FFmpeg's prober reads the container's header only (milliseconds, whatever the length)."""
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        return  # the conversion will tell
    command = [ffprobe, "-v", "error", "-select_streams", "a", "-show_entries", "stream=codec_type", "-of", "csv=p=0", f"file:{path}"]
    result = subprocess.run(command, capture_output=True, text=True, errors="replace", timeout=60)
    if "audio" in result.stdout:
        return
    detail = one_line(result.stderr.strip().splitlines()[-1]) if result.stderr.strip() else "it has no audio stream"
    detail = detail.replace(f"file:{path}", "input").replace(str(path), "input")
    raise SourceError(f"{path}: not a readable audio or video file ({detail})")


def _fetch_local(path: Path, out_dir: Path, caption_language: str, info: str | Path | None) -> SourceMedia:
    path = _check_local_path(path)
    sidecar_info = path.with_name(f"{path.stem}.info.json")
    metadata = load_info_json(info) if info is not None else load_info_json(sidecar_info) if sidecar_info.is_file() else None
    video_id = metadata.id if metadata is not None else safe_name(path.stem)
    folder = out_dir / safe_name(video_id)
    stat = path.stat()
    key = f"file:{path}|{stat.st_size}|{stat.st_mtime_ns}"

    marker = _read_marker(folder)
    if marker is None or marker.get("source") != key or not (folder / str(marker.get("audio"))).is_file():

        def build(staging: Path) -> dict[str, Any]:
            target = staging / f"{safe_name(video_id)}.wav"
            if _is_pipeline_wav(path):  # already what every stage reads: no FFmpeg needed
                shutil.copyfile(path, target)
            else:
                convert_to_wav(path, target)
            return {"source": key, "id": video_id, "audio": target.name, "info": None, "captions": []}

        _build_folder(folder, build, caption_language=None)
        marker = _read_marker(folder)
        assert marker is not None
    audio_path = folder / marker["audio"]
    if metadata is None:
        metadata = VideoMetadata(id=safe_name(path.stem))
    if metadata.duration is None:
        metadata.duration = _wav_duration(audio_path)
    return SourceMedia(audio_path=audio_path, captions=_sidecar_captions(path, caption_language), metadata=metadata, folder=folder)


def _is_pipeline_wav(path: Path) -> bool:
    """A 16 kHz mono 16-bit PCM WAV: what the stages read, as it is."""
    import soundfile

    try:
        details = soundfile.info(str(path))
    except Exception:
        return False
    return details.format == "WAV" and details.subtype == "PCM_16" and details.samplerate == SAMPLE_RATE and details.channels == 1


def _sidecar_captions(media: Path, caption_language: str) -> list[CaptionTrack]:
    """Caption files yt-dlp would have written beside the media: ``<stem>.<lang>.<ext>``."""
    tracks = []
    for candidate in sorted(media.parent.glob(f"{glob.escape(media.stem)}.*")):
        if candidate == media or candidate.suffix.lower() not in _MEDIA_CAPTION_EXTENSIONS:
            continue
        language = language_from_name(candidate)
        if language is not None and not _language_matches(language, caption_language):
            continue
        try:
            track = read_captions(candidate)
        except CaptionFormatError as error:
            log.warning("skipping caption file %s", error)
            continue
        track.language = track.language or language or caption_language
        tracks.append(track)
    return _ordered(tracks, caption_language)


def _read_caption_input(path: Path, caption_language: str) -> tuple[CaptionTrack, VideoMetadata | None]:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CaptionFormatError(f"{path}: cannot be read ({error.strerror or error})") from None
    text = decode_caption_bytes(data, str(path))
    try:
        fmt = detect_format(text)
    except CaptionFormatError as error:
        raise CaptionFormatError(f"{path}: {error}") from None
    if fmt == "text":
        track, page = parse_text_page(text, name=str(path))
        track.language = caption_language
        return track, page
    track = read_captions(path)
    track.language = track.language or caption_language
    return track, None


# --- per-video folders and their completion marker -----------------------------------------


def _read_marker(folder: Path) -> dict[str, Any] | None:
    try:
        marker = json.loads((folder / COMPLETE_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return marker if isinstance(marker, dict) and marker.get("audio") else None


def _load_completed(folder: Path, caption_language: str | None, source: str | None = None) -> SourceMedia | None:
    """The folder's contents if its marker is valid and every file it lists is there."""
    marker = _read_marker(folder)
    if marker is None or (source is not None and marker.get("source") != source):
        return None
    if caption_language is not None and marker.get("caption_language") != caption_language:
        return None
    audio = folder / str(marker["audio"])
    info_name = marker.get("info")
    files = [audio] + ([folder / info_name] if info_name else []) + [folder / str(t.get("file")) for t in marker.get("captions", [])]
    if not all(f.is_file() for f in files):
        return None
    metadata = load_info_json(folder / info_name) if info_name else VideoMetadata(id=str(marker.get("id") or folder.name))
    if metadata.duration is None:
        metadata.duration = _wav_duration(audio)
    tracks = []
    for entry in marker.get("captions", []):
        try:
            track = read_captions(folder / entry["file"], language=entry.get("language"))
        except CaptionFormatError as error:
            log.warning("skipping downloaded caption track: %s", error)
            continue
        track.automatic = bool(entry.get("automatic", track.automatic))
        tracks.append(track)
    return SourceMedia(audio_path=audio, captions=_ordered(tracks, caption_language or ""), metadata=metadata, folder=folder)


def _find_completed(out_dir: Path, source: str, caption_language: str) -> SourceMedia | None:
    """A re-run finds its folder by the URL recorded in the marker, before any network use."""
    if not out_dir.is_dir():
        return None
    for folder in sorted(out_dir.iterdir()):
        if folder.is_dir() and not folder.name.startswith(".") and (folder / COMPLETE_MARKER).is_file():
            media = _load_completed(folder, caption_language, source=source)
            if media is not None:
                return media
    return None


def _build_folder(folder: Path, build: Callable[[Path], dict[str, Any]], caption_language: str | None) -> SourceMedia | None:
    """Build into a hidden staging folder, write the marker last, then rename into place."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(folder)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".partial", dir=folder.parent))
    try:
        marker = build(staging)
        marker["completed"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        atomic_write_text(staging / COMPLETE_MARKER, json.dumps(marker, indent=2))
        if folder.exists():
            shutil.rmtree(folder)  # no valid marker (the caller checked): not to be trusted
        staging.replace(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return _load_completed(folder, caption_language) if caption_language is not None else None


def _remove_stale_staging(folder: Path) -> None:
    now = time.time()
    for old in folder.parent.glob(f".{glob.escape(folder.name)}.*.partial"):
        try:
            if now - old.stat().st_mtime > _STALE_STAGING_SECONDS:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            pass


# --- small helpers --------------------------------------------------------------------------


def _language_matches(language: str, wanted: str) -> bool:
    language, wanted = language.lower().replace("_", "-"), wanted.lower().replace("_", "-")
    return language == wanted or language.startswith(wanted + "-")


def _ordered(tracks: list[CaptionTrack], caption_language: str) -> list[CaptionTrack]:
    """The requested language exactly first, then manual before automatic."""
    return sorted(
        tracks,
        key=lambda t: ((t.language or "").lower() != caption_language.lower(), t.automatic, t.language or ""),
    )


def _merge_metadata(base: VideoMetadata, override: VideoMetadata) -> VideoMetadata:
    merged = copy.copy(base)
    for name in ("title", "description", "uploader", "webpage_url"):
        if getattr(override, name):
            setattr(merged, name, getattr(override, name))
    if override.duration is not None:
        merged.duration = override.duration
    return merged


def _wav_duration(path: Path) -> float | None:
    import soundfile

    try:
        details = soundfile.info(str(path))
    except Exception:  # a duration is a nicety; the audio is validated where it is used
        return None
    return details.frames / details.samplerate if details.samplerate else None
