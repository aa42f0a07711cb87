#!/usr/bin/env bash
# Regenerates the committed files under public/ (run by hand after changing the icon or the samples):
# the app icons from public/icons/icon.svg, and small sample photos from the book's dog and cat
# (../shared/media, MIT licence). Needs ffmpeg built with librsvg (Debian's is).
set -euo pipefail
cd "$(dirname "$0")/.."
MEDIA="${MEDIA:-../shared/media}"
svg=public/icons/icon.svg
# The icon's artwork sits inside the central 80 % circle, so one drawing is both "any" and "maskable".
for size in 192 512; do
  ffmpeg -v error -y -i "$svg" -vf "scale=${size}:${size}" -frames:v 1 "public/icons/icon-${size}.png"
done
ffmpeg -v error -y -i "$svg" -vf "scale=180:180" -frames:v 1 public/icons/apple-touch-icon.png
# 512 px on the long side, JPEG quality chosen to stay well under 100 KB each.
for name in dog cat; do
  ffmpeg -v error -y -i "$MEDIA/$name.jpg" -vf "scale='if(gt(iw,ih),512,-2)':'if(gt(iw,ih),-2,512)'" -q:v 5 -frames:v 1 "public/samples/$name.jpg"
done
ls -l public/icons public/samples
