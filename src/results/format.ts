/**
 * Results as files for people and scripts: CSV and JSON of the top-k per photo (or per video frame),
 * and a raw heatmap as JSON. Pure functions, no DOM.
 */
import type { ExplainedMap } from '../cam/types';
import type { ClassLabel } from '../models/labels';
import type { ClassScore } from '../models/topk';

export interface ResultRow {
  /** File name, or `frame N` for video. */
  source: string;
  model: string;
  top: ClassScore[];
  /** Seconds into the video, for frames. */
  time?: number;
  /** Class groups (WordNet) and their probabilities, for photos (JSON only). */
  groups?: { wnid: string; label: string; prob: number }[];
}

function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) || /^[=+\-@\t]/.test(text) ? `"${text.replace(/"/g, '""').replace(/^([=+\-@\t])/, "'$1")}"` : text;
}

/** One line per (source, rank): source, model, rank, class index, wnid, label, probability. */
export function resultsToCsv(rows: ResultRow[], labels: ClassLabel[]): string {
  return [...resultsCsvChunks(rows, labels)].join('');
}

/** resultsToCsv's text in pieces of at most `rowsPerChunk` rows, for large exports (no one giant string). */
export function* resultsCsvChunks(rows: ResultRow[], labels: ClassLabel[], rowsPerChunk = 500): Generator<string> {
  const hasTime = rows.some((row) => row.time !== undefined);
  const header = ['source', ...(hasTime ? ['time_s'] : []), 'model', 'rank', 'class_index', 'wnid', 'label', 'probability'];
  yield `${header.join(',')}\n`;
  for (let start = 0; start < rows.length; start += rowsPerChunk) {
    const lines: string[] = [];
    for (const row of rows.slice(start, start + rowsPerChunk)) {
      row.top.forEach(({ index, prob }, rank) => {
        const label = labels[index];
        lines.push(
          [
            csvCell(row.source),
            ...(hasTime ? [row.time?.toFixed(3) ?? ''] : []),
            csvCell(row.model),
            rank + 1,
            index,
            label?.wnid ?? '',
            csvCell(label?.label ?? ''),
            prob.toFixed(6),
          ].join(','),
        );
      });
    }
    if (lines.length > 0) yield `${lines.join('\n')}\n`;
  }
}

export function resultsToJson(rows: ResultRow[], labels: ClassLabel[]): string {
  return [...resultsJsonChunks(rows, labels)].join('');
}

/** resultsToJson's text (an array, indented by 2) in pieces of at most `rowsPerChunk` entries. */
export function* resultsJsonChunks(rows: ResultRow[], labels: ClassLabel[], rowsPerChunk = 500): Generator<string> {
  if (rows.length === 0) {
    yield '[]';
    return;
  }
  yield '[\n';
  for (let start = 0; start < rows.length; start += rowsPerChunk) {
    const entries = rows.slice(start, start + rowsPerChunk).map((row) => {
      const entry = {
        source: row.source,
        ...(row.time !== undefined ? { time: row.time } : {}),
        model: row.model,
        predictions: row.top.map(({ index, prob }) => ({
          classIndex: index,
          wnid: labels[index]?.wnid ?? null,
          label: labels[index]?.label ?? null,
          probability: prob,
        })),
        ...(row.groups ? { groups: row.groups.map(({ wnid, label, prob }) => ({ wnid, label, probability: prob })) } : {}),
      };
      return `  ${JSON.stringify(entry, null, 2).replace(/\n/g, '\n  ')}`;
    });
    const last = start + rowsPerChunk >= rows.length;
    yield `${entries.join(',\n')}${last ? '\n]' : ',\n'}`;
  }
}

/** The raw (un-normalised) map on the feature grid, row-major, plus how to place it on the photo. */
export function mapToJson(
  map: ExplainedMap,
  context: {
    source: string;
    model: string;
    label: string;
    crop: { x: number; y: number; width: number; height: number };
    photo: { width: number; height: number };
    /** The photo's class groups (WordNet) and their probabilities. */
    groups?: { wnid: string; label: string; prob: number }[];
  },
): string {
  const rows: number[][] = [];
  for (let y = 0; y < map.height; y++) rows.push(Array.from(map.data.subarray(y * map.width, (y + 1) * map.width)));
  return JSON.stringify(
    {
      source: context.source,
      model: context.model,
      method: map.method,
      classIndex: map.classIndex,
      ...(map.group ? { group: { wnid: map.group.wnid, label: map.group.label, probability: map.group.prob } } : {}),
      label: context.label,
      width: map.width,
      height: map.height,
      note: 'Raw class activation values before ReLU/min-max; the grid covers `crop` (pixels of the photo).',
      crop: context.crop,
      photo: context.photo,
      ...(context.groups ? { groups: context.groups.map(({ wnid, label, prob }) => ({ wnid, label, probability: prob })) } : {}),
      values: rows,
    },
    null,
    2,
  );
}

/** A file-name-safe stem of a source name. */
export function fileStem(name: string): string {
  return name.replace(/\.[^.]+$/, '').replace(/[^\p{L}\p{N}_.-]+/gu, '_').slice(0, 80) || 'photo';
}
