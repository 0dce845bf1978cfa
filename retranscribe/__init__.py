"""retranscribe: re-transcribe videos whose published captions are wrong, and fix the captions."""

import os

# pyannote.audio and Prefect send telemetry by default to hosts this kind of machine cannot
# reach (and users did not ask for): off unless the user turns it on explicitly.
os.environ.setdefault("PYANNOTE_METRICS_ENABLED", "0")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

__version__ = "0.1.0"
