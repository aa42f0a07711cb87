import { useEffect, useMemo, useRef } from 'react';
import { camImage, drawHeatmap } from '../render/heatmap';
import { photoLibrary } from '../sources/photo-library';
import { useAppStore } from '../store';
import type { PhotoResult } from '../store/photos';
import { fitCanvas, useElementSize } from './useCanvasSize';

/**
 * A photo drawn on a canvas with its heatmap canvas on top (`overlay`), both in the photo's own
 * coordinates; the overlay carries the shown class and the peak for tests and tools.
 */
export function PhotoStage({ photo, heatmap, label }: { photo: PhotoResult; heatmap: boolean; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  const photoCanvas = useRef<HTMLCanvasElement>(null);
  const overlayCanvas = useRef<HTMLCanvasElement>(null);
  const size = useElementSize(box);
  const colormap = useAppStore((s) => s.colormap);
  const opacity = useAppStore((s) => s.opacity);
  const { cam, crop } = photo;
  const rendered = useMemo(
    () => (cam && crop ? camImage(cam, colormap, crop, photo) : null),
    [cam, crop, colormap, photo.width, photo.height],
  );

  useEffect(() => {
    const canvas = photoCanvas.current;
    const full = photoLibrary.full(photo.id);
    if (!canvas || !full || size.width === 0) return;
    let current = true;
    // Full size is decoded on demand (a few are cached); draw it only if this is still the photo shown.
    void full.then((bitmap) => {
      if (!current) return;
      fitCanvas(canvas, size.width, size.height);
      const context = canvas.getContext('2d');
      if (!context) return;
      context.imageSmoothingQuality = 'high';
      context.fillStyle = '#fff';
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    }, () => undefined);
    return () => {
      current = false;
    };
  }, [photo.id, size.width, size.height]);

  useEffect(() => {
    const canvas = overlayCanvas.current;
    if (!canvas || size.width === 0 || !crop) return;
    fitCanvas(canvas, size.width, size.height);
    const context = canvas.getContext('2d');
    if (!context) return;
    context.clearRect(0, 0, canvas.width, canvas.height);
    drawHeatmap(context, heatmap && rendered ? rendered.image : null, crop, canvas.width / photo.width, { opacity, dimOutside: true });
  }, [rendered, heatmap, opacity, crop, photo.width, size.width, size.height]);

  return (
    <div className="stage" ref={box} style={{ aspectRatio: `${photo.width || 1} / ${photo.height || 1}`, width: `min(100%, calc(70vh * ${(photo.width || 1) / (photo.height || 1)}))` }}>
      <canvas ref={photoCanvas} className="stage-photo" role="img" aria-label={photo.name} />
      <canvas
        ref={overlayCanvas}
        className="stage-overlay"
        data-testid={heatmap ? 'overlay' : undefined}
        data-class-index={heatmap ? cam?.classIndex : undefined}
        data-method={heatmap ? cam?.method : undefined}
        data-group={heatmap ? (cam?.group?.wnid ?? '') : undefined}
        data-peak-x={heatmap && rendered ? rendered.peak.x.toFixed(4) : undefined}
        data-peak-y={heatmap && rendered ? rendered.peak.y.toFixed(4) : undefined}
        role="img"
        aria-label={heatmap ? `Heatmap: ${label}` : 'Region the model saw'}
      />
    </div>
  );
}
