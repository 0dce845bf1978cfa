"""Source stage: fetch a video's audio, captions and metadata (yt-dlp or local files), and
read caption files of every common kind into the shared ``CaptionTrack`` model."""

from source.captions import detect_format, read_captions
from source.errors import CaptionFormatError, SourceError
from source.textpage import read_text_page

__all__ = ["CaptionFormatError", "SourceError", "detect_format", "read_captions", "read_text_page"]
