"""The video flow's result cache: a re-run resumes from finished stages, and a change to a
stage's code is never answered with a result the old code computed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import soundfile as sf

from flows.sequence import STAGE_PACKAGES, code_digest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("retranscribe", "source", "asr", "diarize", "align", "report", "flows")


def stage_digests(tree: Path) -> dict[str, str]:
    """Each cached stage's code digest, computed by a fresh interpreter over ``tree``."""
    code = (
        "import json\n"
        "from flows.sequence import STAGE_PACKAGES, code_digest\n"
        "print(json.dumps({stage: code_digest(*packages) for stage, packages in STAGE_PACKAGES.items()}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)},
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def test_stage_caches_follow_only_their_own_code(tmp_path):
    tree = tmp_path / "tree"
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tree / package, ignore=shutil.ignore_patterns("__pycache__"))
    before = stage_digests(tree)
    assert before == stage_digests(tree)
    assert before == {stage: code_digest(*packages) for stage, packages in STAGE_PACKAGES.items()}

    # The report and the CLI are not part of any stage: transcriptions and diarizations stay valid.
    for changed in ("report/summary.py", "flows/cli.py"):
        (tree / changed).write_text((tree / changed).read_text() + "\n# a change\n")
    assert stage_digests(tree) == before

    # A change in asr/ invalidates the ASR (and align, which re-decodes with it), not diarization.
    (tree / "asr/hints.py").write_text((tree / "asr/hints.py").read_text() + "\n# a change\n")
    after = stage_digests(tree)
    assert after["transcribe"] != before["transcribe"] and after["align"] != before["align"]
    assert after["diarize"] == before["diarize"]

    # The ground is under every stage.
    (tree / "retranscribe/transcript.py").write_text((tree / "retranscribe/transcript.py").read_text() + "\n# a change\n")
    assert all(stage_digests(tree)[stage] != after[stage] for stage in STAGE_PACKAGES)


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

    # Piped (not a terminal), narrow and without colour, as in a log file: nothing may be cut.
    # Two worker processes: the failure is recorded in its worker and the results keep the
    # manifest's order.
    result = cli("batch", str(manifest), "--out", str(out), "--model", "tiny.en", "--workers", "2", env={"COLUMNS": "40", "NO_COLOR": "1"})

    assert result.returncode == 1, result.stderr[-3000:]
    assert "2 of 3 completed" in result.stdout
    failed = [line for line in result.stdout.splitlines() if "not-media.wav" in line]
    assert len(failed) == 1 and str(not_media) in failed[0], result.stdout
    assert "not a readable audio or video file" in failed[0] and "…" not in result.stdout

    scripted = cli("batch", str(manifest), "--out", str(out), "--model", "tiny.en", "--json")
    summary = json.loads(scripted.stdout)
    assert summary["completed"] == 2 and summary["results"][1]["status"] == "failed"
    assert "not a readable audio or video file" in summary["results"][1]["error"]
    assert all(r["cached_stages"] == ["transcribe", "diarize", "align"] for r in summary["results"] if r["status"] == "completed")
    finished = sorted(folder.name for folder in out.iterdir() if (folder / "run.json").is_file())
    assert finished == ["001-broadcast", "003-broadcast"]
    for name in finished:
        fixed = (out / name / "captions.fixed.txt").read_text()
        assert "North Korea" in fixed and "North career" not in fixed


PREFECT_ANSWER = (
    "from prefect.settings import get_current_settings\n"
    "print(bool(get_current_settings().api.url))\n"
)


@pytest.mark.parametrize(
    "profiles, here, env",
    [
        (None, {}, {}),
        ('active = "local"\n[profiles.local]\nPREFECT_API_URL = "http://127.0.0.1:4200/api"\n', {}, {}),
        ('active = "local"\n[profiles.local]\nPREFECT_LOGGING_LEVEL = "INFO"\n', {}, {}),
        (None, {"prefect.toml": '[api]\nurl = "http://127.0.0.1:4200/api"\n'}, {}),
        (None, {".env": "PREFECT_API_URL=http://127.0.0.1:4200/api\n"}, {}),
        (None, {"pyproject.toml": '[tool.prefect.api]\nurl = "http://127.0.0.1:4200/api"\n'}, {}),
        (None, {}, {"PREFECT_API_URL": "http://127.0.0.1:4200/api"}),
    ],
    ids=["nothing", "profile-with-api", "profile-without-api", "prefect-toml", "dotenv", "pyproject", "environment"],
)
def test_the_cli_asks_prefect_about_an_api_only_where_one_may_be_configured(tmp_path, profiles, here, env):
    """The CLI answers "no Prefect API" without importing Prefect where no settings source
    could name one; wherever one could, its answer must be Prefect's own."""
    home, cwd = tmp_path / "prefect-home", tmp_path / "cwd"
    home.mkdir(), cwd.mkdir()
    if profiles is not None:
        (home / "profiles.toml").write_text(profiles)
    for name, text in here.items():
        (cwd / name).write_text(text)
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    environment.update(PREFECT_HOME=str(home), PYTHONPATH=str(ROOT), **env)

    def answer(code: str) -> str:
        result = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=environment, capture_output=True, text=True, check=True)
        return result.stdout.strip().splitlines()[-1]

    ours = answer("import sys\nfrom flows.cli import prefect_api_configured\n"
                  "print(prefect_api_configured(), 'prefect' in sys.modules)\n")
    configured, imported = ours.split()
    assert configured == answer(PREFECT_ANSWER)
    if configured == "False" and profiles is None and not here:
        assert imported == "False"  # nothing could name an API: Prefect was not asked


def test_only_stages_on_a_gpu_carry_the_gpu_tag():
    # Prefect asks its API for a concurrency slot for every tagged task run, limit or not:
    # stages on the CPU go untagged, so a CPU run pays nothing for the GPU limit.
    from flows.settings import RunSettings
    from flows.video import gpu_stages

    assert gpu_stages(RunSettings().with_values({"asr.device": "cpu", "diarize.device": "cpu"})) == frozenset()
    assert gpu_stages(RunSettings().with_values({"asr.device": "cuda", "diarize.device": "cpu"})) == {"transcribe", "align"}
    assert gpu_stages(RunSettings().with_values({"asr.device": "cpu", "diarize.device": "cuda"})) == {"diarize"}


def _job_that_may_end_its_process(job):
    """A batch job for the worker-process test (module level: the workers import it)."""
    if job.source == "kills-its-process":
        os._exit(3)  # as an out-of-memory kill would end it
    if job.source == "bad-input":
        raise ValueError("not a readable audio or video file")
    return {"pid": os.getpid()}


def test_a_worker_process_that_dies_fails_only_its_own_video(tmp_path):
    from flows.manifest import run_jobs
    from flows.sequence import VideoJob

    sources = ["first", "kills-its-process", "bad-input", "last"]
    jobs = [VideoJob(source, str(tmp_path / source), None, None) for source in sources]
    summary = run_jobs(jobs, _job_that_may_end_its_process, workers=2)

    assert [r["source"] for r in summary["results"]] == sources
    assert [r["status"] for r in summary["results"]] == ["completed", "failed", "failed", "completed"]
    assert "worker process died" in summary["results"][1]["error"]
    assert summary["results"][2]["error"] == "not a readable audio or video file"
    assert all(r["pid"] != os.getpid() for r in summary["results"] if r["status"] == "completed")
