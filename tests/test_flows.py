"""The video flow's result cache: a re-run resumes from finished stages, and a change to a
stage's code is never answered with a result the old code computed."""

from __future__ import annotations

import json
import sys

import pytest
import soundfile as sf

from flows.video import code_fingerprint


def test_code_fingerprint_follows_the_stage_code(tmp_path, monkeypatch):
    package = tmp_path / "stage_under_test"
    package.mkdir()
    (package / "__init__.py").write_text("from stage_under_test.work import run\n")
    (package / "work.py").write_text("def run():\n    return 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    before = code_fingerprint("stage_under_test")
    assert before == code_fingerprint("stage_under_test")
    (package / "work.py").write_text("def run():\n    return 2\n")
    code_fingerprint.cache_clear()
    assert code_fingerprint("stage_under_test") != before
    assert code_fingerprint("retranscribe", "asr") != code_fingerprint("retranscribe", "align")
    sys.modules.pop("stage_under_test", None)


@pytest.mark.slow
def test_a_rerun_resumes_from_cached_stages(cli, samples, tmp_path):
    # A stretch of the broadcast no other test runs, so the session's cache starts empty for it.
    audio, rate = sf.read(samples / "broadcast.wav", dtype="float32")
    clip = tmp_path / "correspondent.wav"
    sf.write(clip, audio[rate * 140 : rate * 158], rate)
    captions = tmp_path / "captions.txt"
    captions.write_text(
        "Now, due to the very secretive nature of North Korea, the closest that we've seen to "
        "what's happening has been from satellite imagery showing preparations for this visit"
    )
    out = tmp_path / "out"
    args = ("run", str(clip), "--captions", str(captions), "--out", str(out), "--model", "tiny.en")

    first = cli(*args)
    assert first.returncode == 0, first.stderr[-3000:]
    first_manifest = json.loads((out / "run.json").read_text())
    first_transcript = (out / "transcript.json").read_text()
    assert first_manifest["cached_stages"] == []

    again = cli(*args)
    assert again.returncode == 0, again.stderr[-3000:]
    manifest = json.loads((out / "run.json").read_text())
    assert manifest["cached_stages"] == ["transcribe", "diarize", "align"]
    assert "resumed from cache" in again.stdout
    assert (out / "transcript.json").read_text() == first_transcript
    assert "satellite imagery" in first_transcript


@pytest.mark.slow
def test_batch_finishes_the_good_videos_and_reports_the_bad_one(cli, samples, tmp_path):
    good = f"{samples / 'broadcast.wav'},{samples / 'captions.en.vtt'},{samples / 'info.json'}"
    not_media = tmp_path / "not-media.wav"
    not_media.write_text("this is not audio\n" * 50)
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(f"source,captions,info\n{good}\n{not_media}\n{good}\n")
    out = tmp_path / "batch"

    result = cli("batch", str(manifest), "--out", str(out), "--model", "tiny.en")

    assert result.returncode == 1, result.stderr[-3000:]
    assert "2 of 3 completed" in result.stdout
    assert "not-media.wav" in result.stdout and "not a readable audio or video file" in result.stdout
    finished = sorted(folder.name for folder in out.iterdir() if (folder / "run.json").is_file())
    assert finished == ["001-broadcast", "003-broadcast"]
    for name in finished:
        fixed = (out / name / "captions.fixed.txt").read_text()
        assert "North Korea" in fixed and "North career" not in fixed
