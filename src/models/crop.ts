/**
 * The region of a picture the model sees. Policy (as in ImageNet evaluation): scale the shorter side
 * to 256 and take the central 224×224 — i.e. the central square whose side is 224/256 of the shorter
 * side, resized to the model's input. Photos, webcam frames and video frames all use it, and the UI
 * outlines it so the user knows what was left out.
 */
export interface CropRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const CENTRE_CROP_FRACTION = 224 / 256;

export function centreCrop(width: number, height: number, fraction = CENTRE_CROP_FRACTION): CropRect {
  const side = Math.max(1, Math.round(Math.min(width, height) * fraction));
  return {
    x: Math.floor((width - side) / 2),
    y: Math.floor((height - side) / 2),
    width: side,
    height: side,
  };
}

/** Maps a point given in 0–1 coordinates of the crop to 0–1 coordinates of the whole picture. */
export function cropPointToPicture(
  point: { x: number; y: number },
  crop: CropRect,
  picture: { width: number; height: number },
): { x: number; y: number } {
  return {
    x: (crop.x + point.x * crop.width) / picture.width,
    y: (crop.y + point.y * crop.height) / picture.height,
  };
}
