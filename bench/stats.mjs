/** Small statistics and formatting helpers for the benchmark and soak reports. */

export function median(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

export function summary(values) {
  const v = values.filter((x) => Number.isFinite(x));
  if (v.length === 0) return null;
  return { median: median(v), min: Math.min(...v), max: Math.max(...v), n: v.length };
}

/** Least-squares slope of y over t, per unit of t. */
function slope(points) {
  const n = points.length;
  if (n < 2) return 0;
  const mt = points.reduce((s, p) => s + p.t, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - mt) * (p.y - my);
    den += (p.t - mt) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/**
 * Start/end/min/max of a series of { t, y } and a verdict: 'flat', 'growing' or 'falling'. The first
 * point is warm-up (buffers, compiled kernels) and is left out of the trend; the trend is the
 * least-squares line over the rest, projected over its span, and counts only when it is beyond
 * `tolerance(start)` and the last third is beyond the first third by half of that.
 */
export function trend(series, tolerance) {
  const points = series.filter((p) => Number.isFinite(p.y));
  if (points.length === 0) return { available: false };
  const ys = points.map((p) => p.y);
  const steady = points.length > 2 ? points.slice(1) : points;
  const change = slope(steady) * (steady.at(-1).t - steady[0].t);
  const third = Math.max(1, Math.floor(steady.length / 3));
  const mean = (a) => a.reduce((s, p) => s + p.y, 0) / a.length;
  const firstThird = mean(steady.slice(0, third));
  const lastThird = mean(steady.slice(-third));
  const allowed = tolerance(Math.abs(steady[0].y));
  let verdict = 'flat';
  if (steady.length < 4) verdict = 'flat (too few samples to tell)';
  else if (change > allowed && lastThird - firstThird > allowed / 2) verdict = 'growing';
  else if (change < -allowed && firstThird - lastThird > allowed / 2) verdict = 'falling';
  return { available: true, start: ys[0], end: ys.at(-1), max: Math.max(...ys), min: Math.min(...ys), trendOverRun: change, allowed, verdict };
}

/**
 * Where the inference worker's time went between two readings of its own clock (the app's
 * `workerClock()`): shares of the worker's wall time in the model and idle (waiting for the main
 * thread), and the mean time per prediction of each stage. Worker clock only: it holds under load.
 */
export function workerShares(start, end) {
  if (!start || !end || end.atMs <= start.atMs) return null;
  const wall = end.atMs - start.atMs;
  const n = end.predictions - start.predictions;
  const delta = (key) => end[key] - start[key];
  const perPrediction = (key) => (n > 0 ? delta(key) / n : null);
  return {
    predictions: n,
    modelShare: delta('inferMs') / wall,
    idleShare: delta('idleMs') / wall,
    preprocessMs: perPrediction('preprocessMs'),
    inferMs: perPrediction('inferMs'),
    camMs: perPrediction('camMs'),
  };
}

/** 1234.5 → "1235", 45.67 → "45.7", 3.456 → "3.46". */
export function num(value, unit = '') {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  const text = abs >= 100 ? value.toFixed(0) : abs >= 10 ? value.toFixed(1) : value.toFixed(2);
  return unit ? `${text} ${unit}` : text;
}

/** "median [min–max]" (just the value when there is one sample). */
export function range(s, unit = '') {
  if (!s) return '–';
  const main = num(s.median, unit);
  if (s.n <= 1 || s.min === s.max) return s.n > 1 ? `${main} (n=${s.n})` : main;
  return `${main} [${num(s.min)}–${num(s.max)}]`;
}

export function seconds(ms) {
  return ms === null || ms === undefined ? '–' : `${(ms / 1000).toFixed(ms >= 10_000 ? 1 : 2)} s`;
}

export function bytes(n) {
  if (n === null || n === undefined) return '–';
  if (n >= 10_000_000_000) return `${(n / 1_000_000_000).toFixed(1)} GB`;
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(2)} MB`;
  if (n >= 1_000) return `${(n / 1_000).toFixed(1)} kB`;
  return `${n} B`;
}

export function signedBytes(n) {
  if (n === null || n === undefined) return '–';
  return `${n >= 0 ? '+' : '−'}${bytes(Math.abs(n))}`;
}

export function pct(x, digits = 1) {
  return x === null || x === undefined || !Number.isFinite(x) ? '–' : `${(x * 100).toFixed(digits)} %`;
}

export function mdTable(header, rows) {
  const line = (cells) => `| ${cells.map((c) => String(c ?? '–').replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
