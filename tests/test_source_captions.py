"""Caption readers on the seed's real caption files, and on SRT/json3/srv3 fixtures written
here from the rolling VTT's own words and times."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

import pytest

from retranscribe.transcript import CaptionTrack
from source import CaptionFormatError, SourceError, read_captions, read_text_page


@pytest.fixture(scope="module")
def caption_words(samples: Path) -> list[str]:
    return (samples / "captions.txt").read_text(encoding="utf-8").split()


@pytest.fixture(scope="module")
def rolling(samples: Path) -> CaptionTrack:
    return read_captions(samples / "captions.en.vtt")


def _ms(seconds: float) -> int:
    return round(seconds * 1000)


def _stamp(seconds: float, comma: bool = False) -> str:
    ms = _ms(seconds)
    text = f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"
    return text.replace(".", ",") if comma else text


# --- WebVTT -------------------------------------------------------------------------------


def test_rolling_vtt_yields_every_caption_word_exactly_once(rolling: CaptionTrack, caption_words: list[str], samples: Path):
    raw_text = (samples / "captions.en.vtt").read_text(encoding="utf-8")
    assert raw_text.count("internationally") > 1  # the file does repeat lines (carry-over, holds)
    assert rolling.words() == caption_words
    assert rolling.language == "en"
    assert rolling.automatic
    assert rolling.source_format == "vtt"


def test_rolling_vtt_word_times_come_from_the_inline_tags(rolling: CaptionTrack, caption_words: list[str]):
    words = [w for cue in rolling.cues for w in cue.words]
    assert [w.word for w in words] == caption_words
    assert all(w.probability == 1.0 for w in words)
    starts = [w.start for w in words]
    assert starts == sorted(starts)
    assert all(w.end >= w.start for w in words)
    for cue in rolling.cues:
        assert cue.start == cue.words[0].start
        assert cue.words[-1].end <= cue.end + 1e-9
    # the second word's start is its tag: "internationally<00:00:01.710><c> today</c>"
    assert words[0].start == pytest.approx(0.8)
    assert (words[1].word, words[1].start) == ("today", pytest.approx(1.71))


def test_rolling_vtt_without_timing_tags_is_not_doubled(rolling: CaptionTrack, caption_words: list[str], tmp_path: Path):
    """The same carried-over layout with the tags stripped (as some converters write it)."""
    blocks = ["WEBVTT", ""]
    previous = " "
    for cue in rolling.cues:
        blocks += [f"{_stamp(cue.start)} --> {_stamp(cue.end)}", previous, cue.text, ""]
        blocks += [f"{_stamp(cue.end)} --> {_stamp(cue.end + 0.01)}", cue.text, " ", ""]
        previous = cue.text
    path = tmp_path / "untagged.vtt"
    path.write_text("\n".join(blocks), encoding="utf-8")
    track = read_captions(path)
    assert track.words() == caption_words
    assert track.automatic
    assert [c.start for c in track.cues] == pytest.approx([c.start for c in rolling.cues])


def test_plain_vtt_with_voice_tags(tmp_path: Path):
    path = tmp_path / "voices.vtt"
    path.write_text(
        "WEBVTT\n\nNOTE made by hand\n\n"
        "1\n00:00:01.000 --> 00:00:03.500 align:start\n<v Heather>So Anna, what are <i>Western</i> leaders saying?</v>\n\n"
        "00:03.500 --> 00:06.000\n<v.loud Anna Cunningham>Well, there is concern &amp; worry\nfrom the West</v>\n\n"
        "00:00:06.000 --> 00:00:07.000\nno voice here\n",
        encoding="utf-8",
    )
    track = read_captions(path)
    assert not track.automatic
    assert [(c.start, c.end, c.speaker, c.text) for c in track.cues] == [
        (1.0, 3.5, "Heather", "So Anna, what are Western leaders saying?"),
        (3.5, 6.0, "Anna Cunningham", "Well, there is concern & worry from the West"),
        (6.0, 7.0, None, "no voice here"),
    ]
    assert all(not c.words for c in track.cues)


# --- SRT, json3, srv3 round trips -----------------------------------------------------------


def _srt(track: CaptionTrack) -> str:
    return "\n".join(
        f"{i}\n{_stamp(c.start, comma=True)} --> {_stamp(c.end, comma=True)}\n{c.text}\n" for i, c in enumerate(track.cues, 1)
    )


def _json3(track: CaptionTrack) -> str:
    events: list[dict] = [{"tStartMs": 0, "dDurationMs": _ms(track.cues[-1].end), "id": 1, "wpWinPosId": 1, "wsWinStyleId": 1}]
    for cue in track.cues:
        segs = [{"utf8": cue.words[0].word, "acAsrConf": 0}]
        segs += [{"utf8": " " + w.word, "tOffsetMs": _ms(w.start) - _ms(cue.start), "acAsrConf": 0} for w in cue.words[1:]]
        events.append({"tStartMs": _ms(cue.start), "dDurationMs": _ms(cue.end) - _ms(cue.start), "wWinId": 1, "segs": segs})
        events.append({"tStartMs": _ms(cue.end), "dDurationMs": 10, "wWinId": 1, "aAppend": 1, "segs": [{"utf8": "\n"}]})
    return json.dumps({"wireMagic": "pb3", "pens": [{}], "wsWinStyles": [{}], "wpWinPositions": [{}], "events": events})


def _srv3(track: CaptionTrack) -> str:
    paragraphs = []
    for cue in track.cues:
        spans = f'<s ac="0">{escape(cue.words[0].word)}</s>' + "".join(
            f'<s t="{_ms(w.start) - _ms(cue.start)}" ac="0"> {escape(w.word)}</s>' for w in cue.words[1:]
        )
        paragraphs.append(f'<p t="{_ms(cue.start)}" d="{_ms(cue.end) - _ms(cue.start)}" w="1">{spans}</p>')
    return '<?xml version="1.0" encoding="utf-8" ?><timedtext format="3">\n<head></head><body>\n' + "\n".join(paragraphs) + "\n</body></timedtext>\n"


@pytest.mark.parametrize(("writer", "suffix", "fmt", "word_times"), [
    (_srt, "srt", "srt", False),
    (_json3, "json3", "json3", True),
    (_srv3, "srv3", "srv3", True),
])
def test_round_trip_from_the_vtt_words(rolling: CaptionTrack, caption_words: list[str], tmp_path: Path, writer, suffix, fmt, word_times):
    path = tmp_path / f"video.en.{suffix}"
    path.write_text(writer(rolling), encoding="utf-8")
    track = read_captions(path)
    assert track.source_format == fmt
    assert track.language == "en"
    assert track.words() == caption_words
    assert len(track.cues) == len(rolling.cues)
    for got, want in zip(track.cues, rolling.cues):
        assert got.start == pytest.approx(want.start, abs=0.0015)
        assert got.end == pytest.approx(want.end, abs=0.0015)
    if word_times:
        got_words = [w for c in track.cues for w in c.words]
        want_words = [w for c in rolling.cues for w in c.words]
        assert [w.word for w in got_words] == caption_words
        for got, want in zip(got_words, want_words):
            assert got.start == pytest.approx(want.start, abs=0.0015)
            assert got.end == pytest.approx(want.end, abs=0.0015)
    else:
        assert all(not c.words for c in track.cues)


def test_format_is_read_from_content_not_name(rolling: CaptionTrack, caption_words: list[str], tmp_path: Path):
    misnamed = tmp_path / "captions.vtt"
    misnamed.write_text(_json3(rolling), encoding="utf-8")
    assert read_captions(misnamed).source_format == "json3"
    srt_as_txt = tmp_path / "captions.txt"
    srt_as_txt.write_text(_srt(rolling), encoding="utf-8")
    track = read_captions(srt_as_txt, language="fr")
    assert (track.source_format, track.language) == ("srt", "fr")
    assert track.words() == caption_words


def test_srv1_transcript_xml(tmp_path: Path):
    path = tmp_path / "old.xml"
    path.write_text(
        '<?xml version="1.0"?><transcript><text start="1.5" dur="2">we&amp;#39;re watching</text>'
        '<text start="3.5" dur="1.25">North Korea</text></transcript>',
        encoding="utf-8",
    )
    track = read_captions(path)
    assert track.source_format == "srv1"
    assert [(c.start, c.end, c.text) for c in track.cues] == [(1.5, 3.5, "we're watching"), (3.5, 4.75, "North Korea")]


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "content", "says"), [
    ("empty.vtt", b"", "empty"),
    ("blank.srt", b"  \n\n \t\n", "empty"),
    ("audio.vtt", None, "binary"),
    ("other.json", b'{"title": "not captions"}', "json3"),
    ("page.html", b"<!DOCTYPE html><html><body><p>hello</p></body></html>", "HTML"),
    ("other.xml", b'<?xml version="1.0"?><rss><channel/></rss>', "timedtext"),
    ("header-only.vtt", b"WEBVTT\n\n", "no caption text"),
])
def test_bad_caption_files_raise_one_line_caption_format_error(tmp_path: Path, samples: Path, name: str, content: bytes | None, says: str):
    path = tmp_path / name
    path.write_bytes(content if content is not None else (samples / "broadcast.wav").read_bytes()[:8192])
    with pytest.raises(CaptionFormatError) as caught:
        read_captions(path)
    message = str(caught.value)
    assert isinstance(caught.value, SourceError)
    assert "\n" not in message and says in message and name in message


def test_missing_caption_file(tmp_path: Path):
    with pytest.raises(CaptionFormatError, match="no such caption file"):
        read_captions(tmp_path / "nope.vtt")


# --- plain-text pages -----------------------------------------------------------------------


def test_seed_page_keeps_title_body_and_description_and_drops_boilerplate(samples: Path, caption_words: list[str]):
    info = json.loads((samples / "info.json").read_text(encoding="utf-8"))
    track, metadata = read_text_page(samples / "seed_page.txt")
    assert track.words() == caption_words
    assert not track.timed and all(c.start is None and c.end is None for c in track.cues)
    assert track.source_format == "text"
    assert metadata.title == info["title"]
    assert metadata.description == info["description"]
    assert metadata.id == "seed_page"
    kept = " ".join([track.text, metadata.title, metadata.description]).lower()
    for furniture in ("subscribe", "twitter", "facebook", "comment", "download the", "80 years"):
        assert furniture not in kept


def test_read_captions_on_a_text_page_gives_its_body(samples: Path, caption_words: list[str]):
    track = read_captions(samples / "seed_page.txt", language="en")
    assert (track.source_format, track.language) == ("text", "en")
    assert track.words() == caption_words
    assert read_captions(samples / "captions.txt").words() == caption_words


def test_text_page_of_another_shape(tmp_path: Path):
    """Nav furniture first, captions one line per paragraph with transcript-panel timestamps,
    a two-line description, then comment-form furniture."""
    page = tmp_path / "other.txt"
    page.write_text(
        "Skip to content\n"
        "Storm floods the valley overnight\n\n"
        "0:00\nthe river rose nearly two metres\n\n"
        "0:04\nand residents were told to leave\n\n"
        "0:09\nemergency crews worked through the night\n\n"
        "Heavy rain caused the Elk River to burst its banks on Sunday.\n"
        "Officials say the water should recede by Wednesday.\n\n"
        "Share this:\nTwitter\nFacebook\n\n"
        "Leave a Reply\nYour email address will not be published. Required fields are marked *\n",
        encoding="utf-8",
    )
    track, metadata = read_text_page(page)
    assert metadata.title == "Storm floods the valley overnight"
    assert track.text == (
        "the river rose nearly two metres and residents were told to leave "
        "emergency crews worked through the night"
    )
    assert metadata.description == (
        "Heavy rain caused the Elk River to burst its banks on Sunday.\n"
        "Officials say the water should recede by Wednesday."
    )


def test_punctuated_transcript_keeps_all_its_text(tmp_path: Path):
    page = tmp_path / "transcript.txt"
    page.write_text("Good morning. Here is the news.\nThe river rose two metres overnight.\n\nFollow us on Twitter:\n", encoding="utf-8")
    track, metadata = read_text_page(page)
    assert track.text == "Good morning. Here is the news. The river rose two metres overnight."
    assert metadata.title == ""
