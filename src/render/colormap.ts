/**
 * Colormaps for heatmaps as 256-entry RGB lookup tables. `jet` matches the book (OpenCV COLORMAP_JET);
 * `turbo` and `viridis` are perceptually ordered alternatives (viridis is also colour-blind safe).
 */
export type ColormapId = 'jet' | 'turbo' | 'viridis';

export const COLORMAPS: readonly { id: ColormapId; label: string }[] = [
  { id: 'jet', label: 'Jet (as in the book)' },
  { id: 'turbo', label: 'Turbo' },
  { id: 'viridis', label: 'Viridis (colour-blind safe)' },
];

type Rgb = [number, number, number];

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

const polynomial = (coefficients: readonly number[], t: number) =>
  coefficients.reduceRight((sum, c) => sum * t + c, 0);

const FORMULAS: Record<ColormapId, (t: number) => Rgb> = {
  jet: (t) => [1.5 - Math.abs(4 * t - 3), 1.5 - Math.abs(4 * t - 2), 1.5 - Math.abs(4 * t - 1)],
  // Polynomial fit of Google's Turbo (Mikhailov, 2019).
  turbo: (t) => [
    polynomial([0.13572138, 4.6153926, -42.66032258, 132.13108234, -152.94239396, 59.28637943], t),
    polynomial([0.09140261, 2.19418839, 4.84296658, -14.18503333, 4.27729857, 2.82956604], t),
    polynomial([0.1066733, 12.64194608, -60.58204836, 110.36276771, -89.90310912, 27.34824973], t),
  ],
  // Polynomial fit of matplotlib's viridis.
  viridis: (t) => [
    polynomial([0.2777273272, 0.1050930431, -0.3308618287, -4.634230499, 6.228269936, 4.776384998, -5.435455856], t),
    polynomial([0.0054073445, 1.4046135299, 0.2148475595, -5.799100973, 14.179933367, -13.745145378, 4.645852612], t),
    polynomial([0.3340998053, 1.3845901626, 0.0950951630, -19.332440956, 56.690552601, -65.353032633, 26.312435250], t),
  ],
};

const tables = new Map<ColormapId, Uint8ClampedArray>();

/** RGB triples for t = 0/255 … 255/255, built once per colormap. */
export function colormapTable(id: ColormapId): Uint8ClampedArray {
  let table = tables.get(id);
  if (!table) {
    table = new Uint8ClampedArray(256 * 3);
    for (let i = 0; i < 256; i++) {
      const rgb = FORMULAS[id](i / 255);
      for (let c = 0; c < 3; c++) table[i * 3 + c] = Math.round(clamp01(rgb[c]) * 255);
    }
    tables.set(id, table);
  }
  return table;
}

/** The colour of one value in [0, 1] (values outside are clamped). */
export function colourAt(id: ColormapId, t: number): Rgb {
  const table = colormapTable(id);
  const i = Math.round(clamp01(t) * 255) * 3;
  return [table[i], table[i + 1], table[i + 2]];
}

/** CSS gradient for the legend. */
export function colormapGradient(id: ColormapId, stops = 9): string {
  const parts = Array.from({ length: stops }, (_, i) => {
    const [r, g, b] = colourAt(id, i / (stops - 1));
    return `rgb(${r} ${g} ${b}) ${Math.round((i / (stops - 1)) * 100)}%`;
  });
  return `linear-gradient(to right, ${parts.join(', ')})`;
}

/** A normalised map (values in [0, 1]) as opaque RGBA pixels. */
export function mapToRgba(values: Float32Array, id: ColormapId): Uint8ClampedArray<ArrayBuffer> {
  const table = colormapTable(id);
  const rgba = new Uint8ClampedArray(values.length * 4);
  for (let i = 0; i < values.length; i++) {
    const t = Math.round(clamp01(values[i]) * 255) * 3;
    rgba[i * 4] = table[t];
    rgba[i * 4 + 1] = table[t + 1];
    rgba[i * 4 + 2] = table[t + 2];
    rgba[i * 4 + 3] = 255;
  }
  return rgba;
}
