"""Run every benchmark one after another (each prints its table and writes benchmarks/results/)."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = ["bench_align_scale.py", "bench_asr.py", "bench_diarize.py", "bench_align.py", "bench_pipeline.py"]

failed = []
for script in SCRIPTS:
    if not (HERE / script).exists():
        continue
    print(f"\n## {script}\n", flush=True)
    if subprocess.run([sys.executable, str(HERE / script)]).returncode != 0:
        failed.append(script)
sys.exit(f"failed: {', '.join(failed)}" if failed else 0)
