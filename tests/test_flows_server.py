"""Deployments on a real local Prefect server with real process workers (issue 7)."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from prefect_server import background, prefect_server, run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = tmp_path_factory.mktemp("prefect-home")
    with prefect_server(home) as env:
        run(["work-pool", "create", "retranscribe", "--type", "process"], env)
        run(["--no-prompt", "deploy", "--all"], env, timeout=300)
        yield env, home


def _flow_runs(env, deployment: str) -> list[dict]:
    import subprocess
    import sys

    code = (
        "import json,asyncio\n"
        "from prefect import get_client\n"
        "from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterName\n"
        "async def main():\n"
        "    async with get_client() as c:\n"
        f"        runs = await c.read_flow_runs(deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=[{deployment!r}])))\n"
        "        print(json.dumps([{'id': str(r.id), 'state': r.state.type.value if r.state else None, 'params': r.parameters} for r in runs], default=str))\n"
        "asyncio.run(main())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_video_deployment_runs_on_a_worker(server, tmp_path, samples):
    env, home = server
    out = tmp_path / "video"
    with background(["worker", "start", "--pool", "retranscribe", "--name", "solo-worker", "--limit", "1"], env, tmp_path / "worker.log"):
        result = run(
            [
                "deployment", "run", "retranscribe-video/retranscribe-video", "--watch", "--watch-timeout", "900",
                "--param", f"source={samples / 'broadcast.wav'}",
                "--param", f"captions={samples / 'captions.en.vtt'}",
                "--param", f"info={samples / 'info.json'}",
                "--param", f"out_dir={out}",
                "--param", 'settings={"asr": {"model": "tiny.en"}}',
            ],
            env,
            timeout=960,
        )
    assert "Completed" in result.stdout, result.stdout[-2000:]
    manifest = json.loads((out / "run.json").read_text())
    assert {"transcript.json", "captions.fixed.vtt", "score.json", "corrections.json", "report.html"} <= set(manifest["files"])
    transcript = json.loads((out / "transcript.json").read_text())
    assert len(transcript["segments"]) > 10


def runs_ran_by(worker_log: str) -> set[str]:
    """Flow runs a worker submitted, less those whose submission the server aborted: both
    workers may poll the same scheduled run, and the one that loses the race logs its id too."""
    submitted = set(re.findall(r"submitting flow run '([0-9a-f-]+)'", worker_log))
    aborted = set(re.findall(r"Aborted submission of flow run '([0-9a-f-]+)'", worker_log))
    return submitted - aborted


def test_batch_fans_out_over_two_workers(server, tmp_path, samples):
    env, home = server
    manifest = tmp_path / "manifest.csv"
    row = f"{samples / 'broadcast.wav'},{samples / 'captions.en.vtt'},{samples / 'info.json'}"
    manifest.write_text("source,captions,info\n" + row + "\n" + row + "\n")
    logs = [tmp_path / "worker-a.log", tmp_path / "worker-b.log"]
    with background(["worker", "start", "--pool", "retranscribe", "--name", "worker-a", "--limit", "1"], env, logs[0]):
        with background(["worker", "start", "--pool", "retranscribe", "--name", "worker-b", "--limit", "1"], env, logs[1]):
            time.sleep(3)
            import subprocess
            import sys

            code = (
                "import json\n"
                "from flows.batch import retranscribe_batch\n"
                "from flows.settings import RunSettings\n"
                f"s = retranscribe_batch(manifest={str(manifest)!r}, out_dir={str(tmp_path / 'batch')!r}, settings=RunSettings.from_dict({{'asr': {{'model': 'tiny.en'}}}}), fan_out=True)\n"
                "print(json.dumps(s, default=str))\n"
            )
            out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=1500)
    assert out.returncode == 0, out.stderr[-3000:]
    summary = json.loads(out.stdout.strip().splitlines()[-1])
    assert summary["completed"] == 2 and summary["failed"] == 0, summary
    video_runs = {r["flow_run"] for r in summary["results"]}
    took = [len(runs_ran_by(log.read_text()) & video_runs) for log in logs]
    assert took == [1, 1], (took, [log.read_text()[-1500:] for log in logs])
    for result in summary["results"]:
        assert "captions.fixed.vtt" in json.loads((Path(result["out_dir"]) / "run.json").read_text())["files"]
