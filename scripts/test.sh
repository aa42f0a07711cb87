#!/usr/bin/env bash
# The one test command (README "Tests", and what CI runs): installs what the tests need on a fresh
# machine — Debian's chromium and ffmpeg when missing, the npm packages, the model files — then runs
# type checks, unit tests, the production build and the Playwright end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
if [ ${#missing[@]} -gt 0 ]; then
  echo "[test] installing ${missing[*]} (Debian packages)"
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}"
fi

npm ci --no-audit --no-fund
npm test
