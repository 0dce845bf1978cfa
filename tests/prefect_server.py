"""A real local Prefect server (and workers) for the flow tests, on 127.0.0.1 only."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
PREFECT = [sys.executable, "-m", "prefect"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prefect_env(home: Path, api_url: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(
        PREFECT_HOME=str(home),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
        PREFECT_LOGGING_LEVEL="INFO",
        RETRANSCRIBE_PROJECT_DIR=str(ROOT),
        RETRANSCRIBE_PROGRESS="0",
        HF_HUB_OFFLINE="1",
        # The workers' stage results stay with this server's home, never the machine's cache.
        RETRANSCRIBE_STAGE_CACHE=str(home / "stage-cache"),
    )
    if api_url:
        env["PREFECT_API_URL"] = api_url
    return env


def run(args: list[str], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    result = subprocess.run([*PREFECT, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise AssertionError(f"prefect {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


@contextmanager
def background(args: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    with log.open("w") as handle:
        process = subprocess.Popen([*PREFECT, *args], env=env, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


@contextmanager
def prefect_server(home: Path) -> Iterator[dict[str, str]]:
    """Start ``prefect server start`` on a free loopback port; yield the environment that
    points clients at it; stop it afterwards."""
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    env = prefect_env(home, None)
    with background(["server", "start", "--host", "127.0.0.1", "--port", str(port)], env, home / "server.log") as server:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"Prefect server did not start:\n{(home / 'server.log').read_text()[-3000:]}")
            time.sleep(1)
        yield prefect_env(home, api_url)
