#!/usr/bin/env bash
# Make this checkout runnable on a fresh Debian/Ubuntu machine: FFmpeg, uv, and the locked
# environment (.venv). Safe to run again; each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

need_root() { if [ "$(id -u)" -ne 0 ]; then echo sudo; fi; }

# Debian packages: FFmpeg (yt-dlp and torchcodec decode with it); with --test also Chromium,
# which the report test renders report.html in.
packages=()
command -v ffmpeg >/dev/null 2>&1 || packages+=(ffmpeg)
if [ "${1:-}" = "--test" ]; then
  command -v chromium >/dev/null 2>&1 || packages+=(chromium)
fi
if [ ${#packages[@]} -gt 0 ]; then
  echo "setup: installing ${packages[*]}" >&2
  $(need_root) apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $(need_root) apt-get install -y -qq "${packages[@]}" >/dev/null
fi

if ! command -v uv >/dev/null 2>&1; then
  echo "setup: installing uv" >&2
  python3 -m pip install --quiet --user uv 2>/dev/null || python3 -m pip install --quiet uv
  export PATH="$HOME/.local/bin:$PATH"
fi

# --frozen: install exactly uv.lock. uv's shared cache (~/.cache/uv) turns the ~8 GB stack
# (PyPI's CUDA build of torch) into hard links after the first machine-wide download.
uv sync --frozen --quiet
