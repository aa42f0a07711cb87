import { useEffect, useMemo, useRef, useState } from 'react';
import type { MixMap } from '../cam/types';
import { errorMessage } from '../errors';
import { contrastMap } from '../photos/contrast';
import { exportContrastPng } from '../photos/exports';
import { CONTRAST_OPACITY, contrastImage, divergingGradient, FAVOURS_A, FAVOURS_B } from '../render/diverging';
import { drawHeatmap } from '../render/heatmap';
import { photoLibrary } from '../sources/photo-library';
import { useAppStore } from '../store';
import type { PhotoResult } from '../store/photos';
import { percent } from './format';
import { fitCanvas, useElementSize } from './useCanvasSize';

type Shown = { key: string; map: MixMap; error?: undefined } | { key: string; error: string; map?: undefined };

const css = (rgb: readonly number[]) => `rgb(${rgb.join(' ')})`;

/** One class chooser: all 1000 classes; the photo's top five come first, with their probability. */
function ClassChooser({ testId, label, value, photo, onChange }: { testId: string; label: string; value: number; photo: PhotoResult; onChange: (classIndex: number) => void }) {
  const labels = useAppStore((s) => s.labels);
  const topIndexes = new Set(photo.top.map((t) => t.index));
  return (
    <label className="field">
      <span>{label}</span>
      <select data-testid={testId} value={value} onChange={(e) => onChange(Number(e.target.value))}>
        <optgroup label="Most likely">
          {photo.top.map((t) => (
            <option key={t.index} value={t.index}>
              {labels[t.index]?.label ?? t.index} — {percent(t.prob)}
            </option>
          ))}
        </optgroup>
        <optgroup label="All classes">
          {labels
            .filter((l) => !topIndexes.has(l.index))
            .map((l) => (
              <option key={l.index} value={l.index}>
                {l.label} (#{l.index})
              </option>
            ))}
        </optgroup>
      </select>
    </label>
  );
}

/**
 * "Why A and not B": where the evidence favours one class over the other, from the photo's kept feature
 * map (CAM: the difference of the two classes' weights; Grad-CAM: the gradient of the logit difference).
 */
export function ContrastPanel({ photo }: { photo: PhotoResult }) {
  const [a, setA] = useState(photo.top[0]?.index ?? 0);
  const [b, setB] = useState(photo.top[1]?.index ?? 1);
  const method = useAppStore((s) => s.camMethod);
  const labels = useAppStore((s) => s.labels);
  const [shown, setShown] = useState<Shown | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const size = useElementSize(box);
  const key = `${photo.id}|${photo.modelId}|${a}|${b}|${method}`;

  useEffect(() => {
    if (a === b) return;
    let current = true;
    contrastMap(photo.id, a, b, method).then(
      (map) => current && setShown({ key, map }),
      (error: unknown) => current && setShown({ key, error: errorMessage(error) }),
    );
    return () => {
      current = false;
    };
  }, [key, photo.id, a, b, method]);

  const map = shown?.key === key ? shown.map : undefined;
  const { crop, width, height } = photo;
  const rendered = useMemo(() => (map && crop ? contrastImage(map, crop, { width, height }) : null), [map, crop, width, height]);

  useEffect(() => {
    const element = canvas.current;
    const full = photoLibrary.full(photo.id);
    if (!element || !full || !crop || size.width === 0) return;
    let current = true;
    void full.then((bitmap) => {
      if (!current) return;
      fitCanvas(element, size.width, size.height);
      const context = element.getContext('2d');
      if (!context) return;
      context.drawImage(bitmap, 0, 0, element.width, element.height);
      const scale = element.width / photo.width;
      drawHeatmap(context, rendered?.image ?? null, crop, scale, { opacity: CONTRAST_OPACITY, dimOutside: true });
      if (rendered) {
        drawMarker(context, rendered.peakA, 'A', element.width, element.height);
        drawMarker(context, rendered.peakB, 'B', element.width, element.height);
      }
    }, () => undefined);
    return () => {
      current = false;
    };
  }, [photo.id, photo.width, rendered, crop, size.width, size.height]);

  const nameA = labels[a]?.label ?? `class ${a}`;
  const nameB = labels[b]?.label ?? `class ${b}`;
  const state = a === b ? 'same' : shown?.key !== key ? 'loading' : shown.error ? 'error' : 'done';
  return (
    <section className="subpanel contrast" aria-labelledby="contrast-title">
      <div className="panel-head">
        <h3 id="contrast-title">
          Why {nameA} and not {nameB}?
        </h3>
        <div className="actions">
          <button type="button" data-testid="contrast.swap" onClick={() => (setA(b), setB(a))}>
            Swap
          </button>
          <button type="button" data-testid="contrast.export" disabled={!map} onClick={() => map && void exportContrastPng(photo, map, a, b)}>
            Save PNG
          </button>
        </div>
      </div>
      <div className="controls">
        <ClassChooser testId="contrast.a" label="Class A (red)" value={a} photo={photo} onChange={setA} />
        <ClassChooser testId="contrast.b" label="Class B (blue)" value={b} photo={photo} onChange={setB} />
      </div>
      <div className="stage contrast-stage" ref={box} style={{ aspectRatio: `${photo.width || 1} / ${photo.height || 1}`, width: `min(100%, calc(50vh * ${(photo.width || 1) / (photo.height || 1)}))` }}>
        <canvas
          ref={canvas}
          data-testid="contrast.overlay"
          data-state={state}
          data-a={a}
          data-b={b}
          data-method={method}
          data-peak-a-x={state === 'done' && rendered ? rendered.peakA.x.toFixed(4) : undefined}
          data-peak-a-y={state === 'done' && rendered ? rendered.peakA.y.toFixed(4) : undefined}
          data-peak-b-x={state === 'done' && rendered ? rendered.peakB.x.toFixed(4) : undefined}
          data-peak-b-y={state === 'done' && rendered ? rendered.peakB.y.toFixed(4) : undefined}
          role="img"
          aria-label={`Where the evidence favours ${nameA} (red, marked A) over ${nameB} (blue, marked B)`}
        />
      </div>
      <div className="legend contrast-legend" aria-label={`Colour scale: blue favours ${nameB}, white neither, red favours ${nameA}`}>
        <span>favours {nameB}</span>
        <span className="legend-bar" style={{ background: divergingGradient() }} />
        <span>favours {nameA}</span>
      </div>
      {state === 'same' && <p className="hint">Pick two different classes to compare.</p>}
      {state === 'error' && <p className="error-text">The comparison could not be drawn: {shown?.error}</p>}
      <p className="hint">
        {method === 'cam' ? 'CAM of the difference of the two classes’ classifier weights' : 'Grad-CAM of the difference of the two classes’ scores (logits)'}, from the
        same forward pass. A and B mark where each class is favoured most; swapping the classes swaps the colours.
      </p>
    </section>
  );
}

/** A ringed letter at a peak (0–1 picture coordinates), legible on any photo. */
function drawMarker(context: CanvasRenderingContext2D, point: { x: number; y: number }, letter: string, width: number, height: number) {
  const radius = Math.max(9, Math.round(Math.min(width, height) / 28));
  const x = point.x * width;
  const y = point.y * height;
  context.save();
  context.beginPath();
  context.arc(x, y, radius, 0, Math.PI * 2);
  context.fillStyle = letter === 'A' ? css(FAVOURS_A) : css(FAVOURS_B);
  context.fill();
  context.lineWidth = Math.max(2, radius / 5);
  context.strokeStyle = '#fff';
  context.stroke();
  context.fillStyle = '#fff';
  context.font = `700 ${Math.round(radius * 1.2)}px system-ui, sans-serif`;
  context.textAlign = 'center';
  context.textBaseline = 'middle';
  context.fillText(letter, x, y + 1);
  context.restore();
}
