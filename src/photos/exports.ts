/**
 * Export actions: results as CSV/JSON, heatmap figures as PNG (one, or all as a zip), raw maps as JSON,
 * the contrastive figure ("why A and not B") as PNG, the faithfulness curves as CSV and their chart as PNG.
 */
import type { MixMap } from '../cam/types';
import { curvesCsv, type FaithfulnessCurves } from '../explain/faithfulness';
import { CONTRAST_OPACITY, contrastImage } from '../render/diverging';
import { composeExport, composeFigure } from '../render/heatmap';
import { svgToPng } from '../render/svg-png';
import { classCaption, percent } from '../results/caption';
import { download } from '../results/download';
import { fileStem, mapToJson, resultsCsvChunks, resultsJsonChunks, type ResultRow } from '../results/format';
import { photoLibrary } from '../sources/photo-library';
import { modelName as nameOf, useAppStore } from '../store';
import type { PhotoResult } from '../store/photos';
import { yieldToPage } from '../yield-to-page';

const modelName = (id: string | null) => nameOf(useAppStore.getState(), id);

function rows(): ResultRow[] {
  return useAppStore
    .getState()
    .photos.filter((p) => p.state === 'done')
    .map((p) => ({ source: p.name, model: modelName(p.modelId), top: p.top, ...(p.groups ? { groups: p.groups } : {}) }));
}

/**
 * The file is built from pieces of a few hundred rows, yielding to the page between pieces: a batch of
 * thousands never becomes one giant string and never blocks the page.
 */
async function exportInChunks(chunks: Iterable<string>, type: string, name: string): Promise<void> {
  const parts: Blob[] = [];
  for (const chunk of chunks) {
    parts.push(new Blob([chunk]));
    await yieldToPage();
  }
  download(new Blob(parts, { type }), name);
}

export function exportResultsCsv(): Promise<void> {
  return exportInChunks(resultsCsvChunks(rows(), useAppStore.getState().labels), 'text/csv', 'predictions.csv');
}

export function exportResultsJson(): Promise<void> {
  return exportInChunks(resultsJsonChunks(rows(), useAppStore.getState().labels), 'application/json', 'predictions.json');
}

/** "81% Cardigan": the shown class and its probability, as the book labels its figure; "99% dog (group)" for a class group. */
export function heatmapLabel(photo: PhotoResult): string {
  const { labels } = useAppStore.getState();
  if (photo.cam?.group) return `${percent(photo.cam.group.prob, 0)} ${photo.cam.group.label} (group)`;
  const classIndex = photo.cam?.classIndex ?? photo.top[0]?.index ?? 0;
  const prob = photo.probs?.[classIndex] ?? photo.top.find((t) => t.index === classIndex)?.prob ?? 0;
  return classCaption(prob, classIndex, labels);
}

async function figure(photo: PhotoResult): Promise<Blob | null> {
  const full = photoLibrary.full(photo.id);
  if (!full || !photo.cam || !photo.crop) return null;
  const bitmap = await full;
  const { colormap, opacity } = useAppStore.getState();
  return composeExport(bitmap, photo.cam, photo.crop, { colormap, opacity: Math.max(opacity, 0.4), label: heatmapLabel(photo) });
}

function figureName(photo: PhotoResult): string {
  const label = photo.cam?.group?.label.replace(/ /g, '_') ?? useAppStore.getState().labels[photo.cam?.classIndex ?? 0]?.name ?? 'class';
  return `${fileStem(photo.name)}-${label}-heatmap.png`;
}

export async function exportHeatmapPng(photo: PhotoResult): Promise<void> {
  const blob = await figure(photo);
  if (blob) download(blob, figureName(photo));
}

export async function exportAllHeatmapsZip(): Promise<void> {
  const files: Record<string, Uint8Array> = {};
  for (const photo of useAppStore.getState().photos) {
    if (photo.state !== 'done') continue;
    const blob = await figure(photo);
    if (!blob) continue;
    let name = figureName(photo);
    for (let n = 2; name in files; n++) name = figureName(photo).replace(/\.png$/, `-${n}.png`);
    files[name] = new Uint8Array(await blob.arrayBuffer());
  }
  // The zip library loads on first use; PNGs are already compressed, so files are stored as they are.
  const { zipSync } = await import('fflate');
  const zip = zipSync(files, { level: 0 });
  download(new Blob([zip as Uint8Array<ArrayBuffer>], { type: 'application/zip' }), 'heatmaps.zip');
}

export function exportMapJson(photo: PhotoResult): void {
  if (!photo.cam || !photo.crop) return;
  const label = photo.cam.group?.label ?? useAppStore.getState().labels[photo.cam.classIndex]?.label ?? '';
  const json = mapToJson(photo.cam, {
    source: photo.name,
    model: modelName(photo.modelId),
    label,
    crop: photo.crop,
    photo: { width: photo.width, height: photo.height },
    ...(photo.groups ? { groups: photo.groups } : {}),
  });
  download(new Blob([json], { type: 'application/json' }), `${fileStem(photo.name)}-heatmap.json`);
}

const className = (classIndex: number) => useAppStore.getState().labels[classIndex]?.name ?? `class-${classIndex}`;

/** The book's figure with the "A and not B" map instead of the heatmap: red favours A, blue favours B. */
export async function exportContrastPng(photo: PhotoResult, map: MixMap, a: number, b: number): Promise<void> {
  const full = photoLibrary.full(photo.id);
  if (!full || !photo.crop) return;
  const bitmap = await full;
  const { labels } = useAppStore.getState();
  const label = `red: ${labels[a]?.label ?? a} · blue: ${labels[b]?.label ?? b}`;
  const blob = await composeFigure(bitmap, contrastImage(map, photo.crop, bitmap).image, photo.crop, { opacity: CONTRAST_OPACITY, label });
  download(blob, `${fileStem(photo.name)}-${className(a)}-vs-${className(b)}.png`);
}

function faithfulnessName(photo: PhotoResult, curves: FaithfulnessCurves, extension: string): string {
  return `${fileStem(photo.name)}-${className(curves.classIndex)}-faithfulness.${extension}`;
}

export function exportFaithfulnessCsv(photo: PhotoResult, curves: FaithfulnessCurves): void {
  const label = useAppStore.getState().labels[curves.classIndex]?.label ?? '';
  download(new Blob([curvesCsv(curves, label)], { type: 'text/csv' }), faithfulnessName(photo, curves, 'csv'));
}

export async function exportFaithfulnessPng(photo: PhotoResult, curves: FaithfulnessCurves, chart: SVGSVGElement): Promise<void> {
  download(await svgToPng(chart), faithfulnessName(photo, curves, 'png'));
}
