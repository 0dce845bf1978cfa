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
