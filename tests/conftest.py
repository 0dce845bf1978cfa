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


@pytest.fixture(scope="session")
def prefect_home(tmp_path_factory) -> Path:
    """One Prefect home for the session's CLI runs: the database is migrated once."""
    return tmp_path_factory.mktemp("prefect-home")


@pytest.fixture(scope="session")
def cli(prefect_home):
    """Run the real `retranscribe` command in a subprocess (Prefect's ephemeral mode)."""
    import os
    import subprocess
    import sys

    def run(*args: str, env: dict[str, str] | None = None, timeout: float = 1200) -> subprocess.CompletedProcess:
        environment = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
        environment.update(PREFECT_HOME=str(prefect_home), RETRANSCRIBE_PROGRESS="0", HF_HUB_OFFLINE="1", COLUMNS="200")
        environment.update(env or {})
        return subprocess.run(
            [sys.executable, "-m", "retranscribe", *args],
            capture_output=True, text=True, timeout=timeout, env=environment, cwd=SAMPLES.parent,
        )

    return run
