/** Display helpers shared by components. */
export const percent = (p: number, digits = 1) => `${(p * 100).toFixed(digits)}%`;

/** The caption of a heatmap, as the book labels its figures: "81% Cardigan". */
export function classCaption(prob: number, classIndex: number, labels: readonly { label: string }[]): string {
  return `${percent(prob, 0)} ${labels[classIndex]?.label ?? `class ${classIndex}`}`;
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

export function milliseconds(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}
