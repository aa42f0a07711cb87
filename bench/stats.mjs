/** Small statistics and formatting helpers for the benchmark report. */

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
