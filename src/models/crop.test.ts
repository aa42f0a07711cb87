import { describe, expect, it } from 'vitest';
import { CENTRE_CROP_FRACTION, centreCrop, cropPointToPicture } from './crop';

describe('centreCrop', () => {
  it('uses the ImageNet fraction 224/256', () => {
    expect(CENTRE_CROP_FRACTION).toBe(0.875);
  });

  // side = round(shorter · 0.875); offsets = floor((side of the picture − side) / 2)
  it.each([
    ['landscape 640×480: a 420 square, centred', 640, 480, { x: 110, y: 30, width: 420, height: 420 }],
    ['portrait 480×640: the same square, transposed', 480, 640, { x: 30, y: 110, width: 420, height: 420 }],
    ['square 256×256: the central 224×224', 256, 256, { x: 16, y: 16, width: 224, height: 224 }],
    ['odd 101×100: side round(87.5) = 88, offsets floored', 101, 100, { x: 6, y: 6, width: 88, height: 88 }],
    ['a 1×1 picture keeps its single pixel', 1, 1, { x: 0, y: 0, width: 1, height: 1 }],
    ['an 8000×50 panorama: a 44 square in the middle', 8000, 50, { x: 3978, y: 3, width: 44, height: 44 }],
  ])('%s', (_name, width, height, crop) => {
    expect(centreCrop(width, height)).toEqual(crop);
  });

  it('honours a custom fraction', () => {
    expect(centreCrop(200, 100, 1)).toEqual({ x: 50, y: 0, width: 100, height: 100 });
  });

  it('always lies inside the picture', () => {
    for (const [w, h] of [[1, 1], [2, 1], [3, 7], [8000, 50], [50, 8000], [1920, 1080], [4032, 3024], [5, 5]]) {
      const crop = centreCrop(w, h);
      expect(crop.width).toBe(crop.height);
      expect(crop.x).toBeGreaterThanOrEqual(0);
      expect(crop.y).toBeGreaterThanOrEqual(0);
      expect(crop.x + crop.width).toBeLessThanOrEqual(w);
      expect(crop.y + crop.height).toBeLessThanOrEqual(h);
    }
  });
});

describe('cropPointToPicture', () => {
  const picture = { width: 640, height: 480 };
  const crop = centreCrop(640, 480); // { x: 110, y: 30, width: 420, height: 420 }

  it('maps the crop centre to the picture centre', () => {
    expect(cropPointToPicture({ x: 0.5, y: 0.5 }, crop, picture)).toEqual({ x: 0.5, y: 0.5 });
  });

  it('maps the crop corners to the crop rectangle in picture coordinates', () => {
    expect(cropPointToPicture({ x: 0, y: 0 }, crop, picture)).toEqual({ x: 110 / 640, y: 30 / 480 });
    expect(cropPointToPicture({ x: 1, y: 1 }, crop, picture)).toEqual({ x: 530 / 640, y: 450 / 480 });
  });

  it('maps an arbitrary point linearly', () => {
    const p = cropPointToPicture({ x: 0.25, y: 0.75 }, crop, picture);
    expect(p.x).toBeCloseTo((110 + 105) / 640, 12);
    expect(p.y).toBeCloseTo((30 + 315) / 480, 12);
  });
});
