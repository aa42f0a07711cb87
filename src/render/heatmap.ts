import { normaliseMap, peakOf, upsampleBilinear, type Map2D } from '../cam/cam';
import type { CropRect } from '../models/crop';
import { cropPointToPicture } from '../models/crop';
import { colourAt, mapToRgba, type ColormapId } from './colormap';

/** Resolution at which the 7×7 map is smoothly upsampled before colouring (then scaled by the canvas). */
const HEATMAP_SIDE = 224;

export interface HeatmapImage {
  /** The coloured map, HEATMAP_SIDE², to be drawn over the crop region. */
  image: ImageData;
  /** Hottest point in 0–1 coordinates of the whole picture. */
  peak: { x: number; y: number };
}

/** A map already normalised to 0–1 (e.g. smoothed live maps) → upsampled, coloured pixels, plus where it peaks in the picture. */
export function heatmapImage(normalised: Map2D, colormap: ColormapId, crop: CropRect, picture: { width: number; height: number }): HeatmapImage {
  const smooth = upsampleBilinear(normalised, HEATMAP_SIDE, HEATMAP_SIDE);
  const peak = cropPointToPicture(peakOf(smooth), crop, picture);
  return { image: new ImageData(mapToRgba(smooth.data, colormap), HEATMAP_SIDE, HEATMAP_SIDE), peak };
}

/** A raw class-activation map → normalised once, then as heatmapImage. */
export function camImage(cam: Map2D, colormap: ColormapId, crop: CropRect, picture: { width: number; height: number }): HeatmapImage {
  return heatmapImage(normaliseMap(cam), colormap, crop, picture);
}

let scratch: OffscreenCanvas | null = null;

function imageDataSource(image: ImageData): OffscreenCanvas {
  if (!scratch || scratch.width !== image.width || scratch.height !== image.height) {
    scratch = new OffscreenCanvas(image.width, image.height);
  }
  scratch.getContext('2d')?.putImageData(image, 0, 0);
  return scratch;
}

/**
 * How to scale the coloured map to the crop. It is already a smooth bilinear upsampling of the 7×7 grid,
 * so enlarging it bilinearly ('low') looks the same as 'high' (mipmaps and a cubic filter), which costs a
 * few milliseconds a frame where the page is drawn without a GPU — time the live model then loses.
 * Shrinking keeps 'high', against aliasing.
 */
export function smoothingFor(heatmap: { width: number; height: number }, width: number, height: number): ImageSmoothingQuality {
  return width >= heatmap.width && height >= heatmap.height ? 'low' : 'high';
}

export interface OverlayOptions {
  opacity: number;
  /** Dim what the model did not see. */
  dimOutside: boolean;
}

/**
 * Draws the heatmap over the crop region of a picture drawn at `scale` (canvas px per picture px).
 * The crop is outlined so the user sees what the model saw.
 */
export function drawHeatmap(
  context: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D,
  heatmap: ImageData | null,
  crop: CropRect,
  scale: number,
  options: OverlayOptions,
): void {
  const x = crop.x * scale;
  const y = crop.y * scale;
  const w = crop.width * scale;
  const h = crop.height * scale;
  const { width, height } = context.canvas;
  context.save();
  if (options.dimOutside) {
    context.fillStyle = 'rgba(0, 0, 0, 0.45)';
    context.beginPath();
    context.rect(0, 0, width, height);
    context.rect(x, y, w, h);
    context.fill('evenodd');
  }
  if (heatmap) {
    context.globalAlpha = options.opacity;
    context.imageSmoothingEnabled = true;
    context.imageSmoothingQuality = smoothingFor(heatmap, w, h);
    context.drawImage(imageDataSource(heatmap), x, y, w, h);
    context.globalAlpha = 1;
  }
  context.strokeStyle = 'rgba(255, 255, 255, 0.9)';
  context.lineWidth = Math.max(1, Math.round(Math.min(width, height) / 300));
  context.setLineDash([6, 4]);
  context.strokeRect(x, y, w, h);
  context.restore();
}

/** The legend's end colours for a colormap as CSS. */
export function legendColours(colormap: ColormapId): { low: string; high: string } {
  const css = (t: number) => `rgb(${colourAt(colormap, t).join(' ')})`;
  return { low: css(0), high: css(1) };
}

export interface ExportOptions {
  colormap: ColormapId;
  opacity: number;
  label: string;
  maxSide?: number;
}

/**
 * The book's figure: the photo on the left, the photo with its heatmap on the right, labelled
 * (e.g. "81% Cardigan"). Exactly twice as wide as one panel.
 */
export function composeExport(photo: ImageBitmap, cam: Map2D, crop: CropRect, options: ExportOptions): Promise<Blob> {
  return composeFigure(photo, camImage(cam, options.colormap, crop, photo).image, crop, options);
}

/** The figure of any coloured map over the crop region (a heatmap, or a contrastive map). */
export async function composeFigure(photo: ImageBitmap, image: ImageData, crop: CropRect, options: Omit<ExportOptions, 'colormap'>): Promise<Blob> {
  const maxSide = options.maxSide ?? 1024;
  const scale = Math.min(1, maxSide / Math.max(photo.width, photo.height));
  const panelWidth = Math.max(1, Math.round(photo.width * scale));
  const panelHeight = Math.max(1, Math.round(photo.height * scale));
  const canvas = new OffscreenCanvas(panelWidth * 2, panelHeight);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This browser cannot draw the export (no 2D canvas)');
  context.fillStyle = '#fff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(photo, 0, 0, panelWidth, panelHeight);
  context.drawImage(photo, panelWidth, 0, panelWidth, panelHeight);
  context.save();
  context.translate(panelWidth, 0);
  context.beginPath();
  context.rect(0, 0, panelWidth, panelHeight);
  context.clip();
  drawHeatmap(context, image, crop, panelWidth / photo.width, { opacity: options.opacity, dimOutside: false });
  context.restore();
  drawLabel(context, options.label, panelWidth, 0, panelHeight);
  return canvas.convertToBlob({ type: 'image/png' });
}

/** A caption in a dark box at (x, y), sized for a picture `height` px tall (the book's "16% Cardigan"). */
export function drawLabel(
  context: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D,
  text: string,
  x: number,
  y: number,
  height: number,
): void {
  const fontSize = Math.max(12, Math.round(height / 18));
  const padding = Math.round(fontSize / 2);
  context.save();
  context.font = `600 ${fontSize}px system-ui, sans-serif`;
  const textWidth = context.measureText(text).width;
  context.fillStyle = 'rgba(0, 0, 0, 0.6)';
  context.fillRect(x, y, textWidth + padding * 2, fontSize + padding * 2);
  context.fillStyle = '#fff';
  context.textBaseline = 'top';
  context.fillText(text, x + padding, y + padding);
  context.restore();
}

/** One video frame with its heatmap and caption, as recorded and rendered videos show it. */
export function drawFrameWithHeatmap(
  context: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D,
  frame: CanvasImageSource,
  heatmap: ImageData | null,
  crop: CropRect,
  options: { opacity: number; label: string | null },
): void {
  const { width, height } = context.canvas;
  context.drawImage(frame, 0, 0, width, height);
  drawHeatmap(context, heatmap, crop, 1, { opacity: options.opacity, dimOutside: false });
  if (options.label) drawLabel(context, options.label, 0, 0, height);
}
