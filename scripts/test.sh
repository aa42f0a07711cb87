#!/usr/bin/env bash
# The one test command (README "Tests", and what CI runs): installs what the tests need on a fresh
# machine — Debian's browsers (chromium, firefox-esr, WebKitGTK's driver and MiniBrowser), Xvfb,
# GStreamer's codecs and ffmpeg when missing, the npm packages, the model files — then runs type checks,
# unit tests, the production build, the Playwright end-to-end tests (Chromium) and the cross-engine
# scenarios (Chromium, Firefox, WebKitGTK).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
command -v firefox-esr >/dev/null 2>&1 || missing+=(firefox-esr)
command -v WebKitWebDriver >/dev/null 2>&1 || missing+=(webkit2gtk-driver)
command -v xvfb-run >/dev/null 2>&1 || missing+=(xvfb)
command -v xauth >/dev/null 2>&1 || missing+=(xauth)
# Video in WebKitGTK: H.264 (libav) and WebM/VP9 (good plugins) through GStreamer.
for package in gstreamer1.0-libav gstreamer1.0-plugins-good; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "[test] installing ${missing[*]} (Debian packages)"
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}"
fi

PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund
npm test
