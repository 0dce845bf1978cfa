"""Source stage: fetch a video's audio, captions and metadata (yt-dlp or local files), and
read caption files of every common kind into the shared ``CaptionTrack`` model.

``fetch`` refuses a playlist URL with a ``SourceError`` that points to ``expand(url)``, which
returns the playlist's entry URLs to fetch one by one."""

from source.captions import detect_format, read_captions
from source.errors import CaptionFormatError, SourceError
from source.options import SourceOptions
from source.fetch import COMPLETE_MARKER, SourceMedia, check_input, convert_to_wav, expand, fetch, load_info_json
from source.textpage import read_text_page

__all__ = [
    "COMPLETE_MARKER",
    "CaptionFormatError",
    "SourceError",
    "SourceMedia",
    "SourceOptions",
    "check_input",
    "convert_to_wav",
    "detect_format",
    "expand",
    "fetch",
    "load_info_json",
    "read_captions",
    "read_text_page",
]
