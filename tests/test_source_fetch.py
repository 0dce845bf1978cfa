"""fetch/expand through the real yt-dlp against a local HTTP server (127.0.0.1, random port),
and local files through FFmpeg. No network beyond the loopback."""

from __future__ import annotations

import json
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import soundfile

from source import COMPLETE_MARKER, SourceError, SourceMedia, expand, fetch, load_info_json

CLIP_SECONDS = 20
PAGE_TITLE = "Putin to travel to North Korea for 1st trip in 24 years"
PAGE_DESCRIPTION = "Vladimir Putin is travelling to North Korea on Tuesday."


class Site:
    """What the test server serves (path -> content type, body), what it was asked for, and
    how many times a path answers 503 before it works."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[str, bytes]] = {}
        self.requests: list[tuple[str, str]] = []
        self.failures: dict[str, int] = {}
        self.base = ""

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> int:
        return sum(1 for method, p in self.requests if p == path and method == "GET")


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self._serve(with_body=True)

    def do_HEAD(self) -> None:
        self._serve(with_body=False)

    def _serve(self, with_body: bool) -> None:
        site: Site = self.server.site  # type: ignore[attr-defined]
        path = self.path.split("?", 1)[0]
        site.requests.append((self.command, path))
        if site.failures.get(path, 0) > 0:
            site.failures[path] -= 1
            self.send_error(503, "Service Unavailable")
            return
        if path not in site.routes:
            self.send_error(404, "Not Found")
            return
        content_type, body = site.routes[path]
        status, start, end = 200, 0, len(body)
        wanted = self.headers.get("Range", "")
        if wanted.startswith("bytes="):
            first, _, last = wanted[6:].partition("-")
            start = int(first or 0)
            end = min(len(body), int(last) + 1) if last else len(body)
            status = 206
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(end - start))
        self.send_header("Accept-Ranges", "bytes")
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end - 1}/{len(body)}")
        self.end_headers()
        if with_body:
            self.wfile.write(body[start:end])

    def log_message(self, *args) -> None:
        pass


def _page(title: str, media: list[str], captions: str | None = None) -> bytes:
    players = "".join(
        f'<video controls><source src="{src}" type="audio/mp4">'
        + (f'<track kind="captions" src="{captions}" srclang="en" label="English">' if captions else "")
        + "</video>"
        for src in media
    )
    return (
        f'<!DOCTYPE html><html><head><title>{title}</title>'
        f'<meta property="og:description" content="{PAGE_DESCRIPTION}"></head>'
        f"<body><h1>{title}</h1>{players}</body></html>"
    ).encode()


@pytest.fixture(scope="module")
def clip(tmp_path_factory, samples: Path) -> Path:
    """A 20 s AAC cut of the broadcast at 22.05 kHz stereo, so the 16 kHz mono output is a
    real conversion."""
    out = tmp_path_factory.mktemp("media") / "clip.m4a"
    subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", str(samples / "broadcast.wav"),
         "-t", str(CLIP_SECONDS), "-ac", "2", "-ar", "22050", "-c:a", "aac", "-b:a", "48k", str(out)],
        check=True,
    )
    return out


@pytest.fixture(scope="module")
def site(clip: Path, samples: Path):
    site = Site()
    media = clip.read_bytes()
    vtt = (samples / "captions.en.vtt").read_bytes()
    for folder in ("watch", "rerun", "redo", "flaky", "hook"):
        site.routes[f"/{folder}/clip.m4a"] = ("audio/mp4", media)
        site.routes[f"/{folder}/captions.en.vtt"] = ("text/vtt", vtt)
        site.routes[f"/{folder}/news-clip.html"] = ("text/html", _page(PAGE_TITLE, ["clip.m4a"], "captions.en.vtt"))
    site.routes["/evil/..%2F..%2Fetc%2Fx.html"] = ("text/html", _page("../../etc/x", ["/watch/clip.m4a"]))
    site.routes["/two-videos.html"] = ("text/html", _page("Two clips", ["/watch/clip.m4a", "/rerun/clip.m4a"]))
    site.routes["/not-audio.mp3"] = ("audio/mpeg", b"this is a text file, not an mp3\n" * 200)
    site.routes["/no-media.html"] = ("text/html", b"<!DOCTYPE html><html><head><title>Nothing</title></head><body><p>No video here.</p></body></html>")

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.site = site  # type: ignore[attr-defined]
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site
    server.shutdown()
    server.server_close()


def _is_16k_mono(path: Path, seconds: float) -> bool:
    info = soundfile.info(str(path))
    return info.samplerate == 16_000 and info.channels == 1 and abs(info.duration - seconds) < 0.5


def _no_complete_folder(out_dir: Path) -> bool:
    return not list(out_dir.rglob(COMPLETE_MARKER)) and not list(out_dir.rglob("*.wav"))


def _assert_one_line(error: BaseException) -> str:
    message = str(error)
    assert message and "\n" not in message
    return message


# --- URLs -----------------------------------------------------------------------------------


def test_fetch_page_gives_wav_english_captions_and_metadata(site: Site, tmp_path: Path, samples: Path):
    url = site.url("/watch/news-clip.html")
    media = fetch(url, tmp_path)
    assert isinstance(media, SourceMedia)
    # yt-dlp's html5 extractor numbers a page's players: id "news-clip-1", title "... (1)"
    assert media.metadata.id == "news-clip-1"
    assert media.folder == tmp_path / "news-clip-1"
    assert media.audio_path.parent == media.folder and media.audio_path.suffix == ".wav"
    assert _is_16k_mono(media.audio_path, CLIP_SECONDS)
    assert len(media.captions) == 1
    track = media.captions[0]
    assert (track.language, track.automatic, track.source_format) == ("en", False, "vtt")
    assert track.words() == (samples / "captions.txt").read_text(encoding="utf-8").split()
    meta = media.metadata
    assert meta.title.startswith(PAGE_TITLE)
    assert (meta.description, meta.webpage_url) == (PAGE_DESCRIPTION, url)
    assert meta.duration == pytest.approx(CLIP_SECONDS, abs=0.5)
    assert (media.folder / COMPLETE_MARKER).is_file()
    assert list(media.folder.glob("*.info.json")) and list(media.folder.glob("*.en.vtt"))
    assert [p.name for p in tmp_path.iterdir()] == ["news-clip-1"]  # no staging folder left


def test_rerun_reuses_the_completed_folder_and_redoes_one_without_marker(site: Site, tmp_path: Path):
    url = site.url("/rerun/news-clip.html")
    first = fetch(url, tmp_path)
    assert site.hits("/rerun/clip.m4a") == 1
    stamp = first.audio_path.stat().st_mtime_ns
    requests_before = len(site.requests)

    again = fetch(url, tmp_path)
    assert again.audio_path == first.audio_path
    assert again.audio_path.stat().st_mtime_ns == stamp
    assert len(site.requests) == requests_before  # not even the page: found by the marker
    assert again.captions[0].words() == first.captions[0].words()
    assert again.metadata == first.metadata

    (first.folder / COMPLETE_MARKER).unlink()  # as if the run died before the end
    redone = fetch(url, tmp_path)
    assert site.hits("/rerun/clip.m4a") == 2
    assert (redone.folder / COMPLETE_MARKER).is_file()
    assert _is_16k_mono(redone.audio_path, CLIP_SECONDS)


def test_truncated_audio_in_an_unmarked_folder_is_not_trusted(site: Site, tmp_path: Path):
    folder = tmp_path / "news-clip-1"
    folder.mkdir()
    (folder / "news-clip-1.wav").write_bytes(b"RIFF....WAVE half written")
    media = fetch(site.url("/redo/news-clip.html"), tmp_path)
    assert site.hits("/redo/clip.m4a") == 1
    assert _is_16k_mono(media.audio_path, CLIP_SECONDS)


def test_404_fails_fast_with_a_one_line_error_and_no_folder(site: Site, tmp_path: Path):
    began = time.monotonic()
    with pytest.raises(SourceError) as caught:
        fetch(site.url("/missing/video.mp4"), tmp_path)
    assert time.monotonic() - began < 5
    assert "404" in _assert_one_line(caught.value)
    assert site.hits("/missing/video.mp4") == 1  # a 404 is not retried
    assert _no_complete_folder(tmp_path)


@pytest.mark.parametrize(("path", "says"), [("/not-audio.mp3", "not audio or video"), ("/no-media.html", "Unsupported URL")])
def test_non_media_fails_with_a_one_line_error_and_nothing_that_looks_complete(site: Site, tmp_path: Path, path: str, says: str):
    with pytest.raises(SourceError) as caught:
        fetch(site.url(path), tmp_path)
    assert says in _assert_one_line(caught.value)
    assert _no_complete_folder(tmp_path)
    assert not [p for p in tmp_path.rglob("*") if p.is_dir()]  # the staging folder went too


def test_transient_503_is_retried_with_backoff(site: Site, tmp_path: Path):
    site.failures["/flaky/news-clip.html"] = 2
    media = fetch(site.url("/flaky/news-clip.html"), tmp_path)
    assert site.hits("/flaky/news-clip.html") >= 3
    assert _is_16k_mono(media.audio_path, CLIP_SECONDS)


def test_a_title_or_id_with_dot_dot_never_becomes_a_path(site: Site, tmp_path: Path):
    out_dir = tmp_path / "a" / "b" / "out"
    media = fetch(site.url("/evil/..%2F..%2Fetc%2Fx.html"), out_dir)
    assert media.metadata.title.startswith("../../etc/x")
    assert media.metadata.id.startswith("../../etc/x")
    assert media.folder.parent == out_dir
    assert ".." not in media.folder.name and "/" not in media.folder.name
    written = [p.resolve() for p in tmp_path.rglob("*") if p.is_file()]
    assert written and all(out_dir.resolve() in p.parents for p in written)
    assert not (tmp_path / "a" / "etc").exists() and not (tmp_path / "etc").exists()


def test_playlist_is_refused_by_fetch_and_listed_by_expand(site: Site, tmp_path: Path):
    url = site.url("/two-videos.html")
    with pytest.raises(SourceError, match=r"expand") as caught:
        fetch(url, tmp_path)
    _assert_one_line(caught.value)
    assert _no_complete_folder(tmp_path)
    assert expand(url) == [site.url("/watch/clip.m4a"), site.url("/rerun/clip.m4a")]
    assert expand(site.url("/watch/news-clip.html")) == [site.url("/watch/news-clip.html")]


def test_progress_hook_sees_the_download(site: Site, tmp_path: Path):
    events: list[dict] = []
    fetch(site.url("/hook/news-clip.html"), tmp_path, progress=events.append)
    assert any(e.get("status") == "finished" for e in events)


def test_file_urls_only_when_allowed(clip: Path, tmp_path: Path):
    url = clip.as_uri()
    with pytest.raises(SourceError, match="allow_file_urls") as caught:
        fetch(url, tmp_path)
    _assert_one_line(caught.value)
    assert not list(tmp_path.iterdir())
    media = fetch(url, tmp_path, allow_file_urls=True)
    assert _is_16k_mono(media.audio_path, CLIP_SECONDS)
    assert media.metadata.id == "clip"


# --- local files ----------------------------------------------------------------------------


def test_local_media_with_info_json_and_a_text_page(clip: Path, tmp_path: Path, samples: Path):
    info = json.loads((samples / "info.json").read_text(encoding="utf-8"))
    media = fetch(clip, tmp_path / "out", info=samples / "info.json", captions=samples / "seed_page.txt")
    assert media.folder == tmp_path / "out" / "seed-broadcast"
    assert _is_16k_mono(media.audio_path, CLIP_SECONDS)
    assert (media.metadata.id, media.metadata.title, media.metadata.uploader) == ("seed-broadcast", info["title"], "CBC News")
    assert media.captions[0].words() == (samples / "captions.txt").read_text(encoding="utf-8").split()
    assert media.captions[0].language == "en" and not media.captions[0].timed

    stamp = media.audio_path.stat().st_mtime_ns
    again = fetch(clip, tmp_path / "out", info=samples / "info.json")
    assert again.audio_path.stat().st_mtime_ns == stamp  # not converted twice


def test_local_media_alone_takes_its_safe_stem_and_page_metadata(clip: Path, tmp_path: Path, samples: Path):
    odd = tmp_path / "in" / "my clip (final).m4a"
    odd.parent.mkdir()
    odd.write_bytes(clip.read_bytes())
    media = fetch(odd, tmp_path / "out", captions=samples / "seed_page.txt")
    assert media.metadata.id == "my_clip_final" and media.folder.name == "my_clip_final"
    assert media.metadata.title == PAGE_TITLE  # from the page, as no info JSON was given
    plain = fetch(odd, tmp_path / "out2")
    assert plain.captions == [] and plain.metadata.title == ""


def test_local_side_car_captions_and_info_are_found(clip: Path, tmp_path: Path, samples: Path):
    folder = tmp_path / "download"
    folder.mkdir()
    (folder / "abc123.m4a").write_bytes(clip.read_bytes())
    (folder / "abc123.en.vtt").write_bytes((samples / "captions.en.vtt").read_bytes())
    (folder / "abc123.de.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nhallo\n", encoding="utf-8")
    (folder / "abc123.info.json").write_text(json.dumps({"id": "abc123", "title": "Side car"}), encoding="utf-8")
    media = fetch(folder / "abc123.m4a", tmp_path / "out")
    assert media.metadata.title == "Side car"
    assert [t.language for t in media.captions] == ["en"]
    assert media.captions[0].automatic


def test_bad_local_inputs_give_one_line_errors(tmp_path: Path, samples: Path):
    fake = tmp_path / "fake.mp3"
    fake.write_text("not audio at all\n" * 50)
    for bad, says in [
        (fake, "not a readable audio or video file"),
        (tmp_path / "missing.wav", "no such file"),
        (samples / "captions.en.vtt", "caption"),
        (tmp_path, "folder"),
    ]:
        with pytest.raises(SourceError) as caught:
            fetch(bad, tmp_path / "out")
        assert says in _assert_one_line(caught.value)
    assert not (tmp_path / "out").exists() or _no_complete_folder(tmp_path / "out")


def test_load_info_json(samples: Path, tmp_path: Path):
    meta = load_info_json(samples / "info.json")
    assert (meta.id, meta.uploader) == ("seed-broadcast", "CBC News")
    broken = tmp_path / "broken.info.json"
    broken.write_text("[1, 2]")
    with pytest.raises(SourceError, match="must be an object"):
        load_info_json(broken)
    with pytest.raises(SourceError, match="no such"):
        load_info_json(tmp_path / "none.info.json")
