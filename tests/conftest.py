from __future__ import annotations

import json
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parent.parent / "audio_samples"


@pytest.fixture(scope="session")
def samples() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def reference_turns() -> list[dict]:
    return json.loads((SAMPLES / "reference.json").read_text())["turns"]


@pytest.fixture()
def reference_transcript(reference_turns):
    """The seed's truth as a transcript: each turn's words spread evenly over its time, with
    the true speakers, roles and names."""
    from retranscribe.transcript import Speaker, SpeakerRole, Transcript, Word, segments_from_words

    words = []
    for turn in reference_turns:
        tokens = turn["text"].split()
        step = (turn["end"] - turn["start"]) / len(tokens)
        words += [Word(turn["start"] + i * step, turn["start"] + (i + 1) * step, t, 0.9, turn["speaker"]) for i, t in enumerate(tokens)]
    speakers = {t["speaker"]: Speaker(t["speaker"], SpeakerRole(t["role"]), t["name"]) for t in reference_turns}
    return Transcript(segments_from_words(words), list(speakers.values()), "en", 167.9)


@pytest.fixture(scope="session")
def prefect_home(tmp_path_factory) -> Path:
    """One Prefect home for the session's CLI runs: the database is migrated once."""
    return tmp_path_factory.mktemp("prefect-home")


@pytest.fixture(scope="session")
def stage_cache(tmp_path_factory) -> Path:
    """One stage cache for the session's CLI runs: a run's stages are computed once per session
    (never taken from the machine's own cache), and a test that runs them again resumes."""
    return tmp_path_factory.mktemp("stage-cache")


@pytest.fixture(scope="session")
def cli(prefect_home, stage_cache):
    """Run the real `retranscribe` command in a subprocess, with no Prefect API configured (the
    in-process run a user gets by default)."""
    import os
    import subprocess
    import sys

    def run(*args: str, env: dict[str, str] | None = None, timeout: float = 1200) -> subprocess.CompletedProcess:
        environment = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
        environment.update(
            PREFECT_HOME=str(prefect_home),
            RETRANSCRIBE_STAGE_CACHE=str(stage_cache),
            RETRANSCRIBE_PROGRESS="0",
            HF_HUB_OFFLINE="1",
            COLUMNS="200",
        )
        environment.update(env or {})
        return subprocess.run(
            [sys.executable, "-m", "retranscribe", *args],
            capture_output=True, text=True, timeout=timeout, env=environment, cwd=SAMPLES.parent,
        )

    return run
