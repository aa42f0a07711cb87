import { forwardRef } from 'react';
import { curveOf, trapezoidAuc, type CurveKind, type FaithfulnessCurves, type OrderSource } from '../explain/faithfulness';
import { FAVOURS_A, FAVOURS_B } from '../render/diverging';

const WIDTH = 360;
const HEIGHT = 272;
const PLOT = { left: 46, right: 350, top: 14, bottom: 170 };
const SOURCE_NAMES: Record<OrderSource, string> = { cam: 'CAM', gradcam: 'Grad-CAM', random: 'random order' };
const KIND_COLOURS: Record<CurveKind, string> = { deletion: `rgb(${FAVOURS_A.join(' ')})`, insertion: `rgb(${FAVOURS_B.join(' ')})` };

const px = (fraction: number) => PLOT.left + fraction * (PLOT.right - PLOT.left);
const py = (prob: number) => PLOT.bottom - prob * (PLOT.bottom - PLOT.top);

/**
 * The deletion and insertion curves of one method against the random order, as a plain SVG with its own
 * white background and inline styles (so the PNG export looks the same). Title and description carry
 * the numbers for screen readers.
 */
export const FaithfulnessChart = forwardRef<SVGSVGElement, { curves: FaithfulnessCurves; method: OrderSource; className: string }>(function FaithfulnessChart(
  { curves, method, className },
  ref,
) {
  const lines = (['deletion', 'insertion'] as const).flatMap((kind) =>
    ([method, 'random'] as const).map((source) => {
      const { probs } = curveOf(curves, source, kind);
      return { kind, source, probs, auc: trapezoidAuc(probs) };
    }),
  );
  const description = lines.map((l) => `${l.kind} in ${SOURCE_NAMES[l.source]}: area ${l.auc.toFixed(3)}`).join('; ');
  return (
    <svg ref={ref} className="faithfulness-chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby="faithfulness-chart-title faithfulness-chart-desc" fontFamily="system-ui, sans-serif" fontSize={11}>
      <title id="faithfulness-chart-title">{`Probability of ${className} as the photo is deleted or revealed in ${SOURCE_NAMES[method]} order`}</title>
      <desc id="faithfulness-chart-desc">{description}</desc>
      <rect width={WIDTH} height={HEIGHT} fill="#fff" />
      {[0, 0.5, 1].map((v) => (
        <g key={v} fill="#333">
          <line x1={PLOT.left} x2={PLOT.right} y1={py(v)} y2={py(v)} stroke="#ddd" />
          <text x={PLOT.left - 6} y={py(v) + 4} textAnchor="end">
            {v}
          </text>
          <text x={px(v)} y={PLOT.bottom + 15} textAnchor="middle">
            {v}
          </text>
        </g>
      ))}
      <line x1={PLOT.left} x2={PLOT.left} y1={PLOT.top} y2={PLOT.bottom} stroke="#333" />
      <line x1={PLOT.left} x2={PLOT.right} y1={PLOT.bottom} y2={PLOT.bottom} stroke="#333" />
      <text x={(PLOT.left + PLOT.right) / 2} y={PLOT.bottom + 30} textAnchor="middle" fill="#333">
        fraction of the photo deleted / revealed
      </text>
      <text transform={`translate(12 ${(PLOT.top + PLOT.bottom) / 2}) rotate(-90)`} textAnchor="middle" fill="#333">
        probability
      </text>
      {lines.map((l) => (
        <polyline
          key={`${l.kind}-${l.source}`}
          fill="none"
          stroke={KIND_COLOURS[l.kind]}
          strokeWidth={l.source === 'random' ? 1.5 : 2.5}
          strokeDasharray={l.source === 'random' ? '5 4' : undefined}
          points={l.probs.map((p, i) => `${px(i / (l.probs.length - 1)).toFixed(1)},${py(p).toFixed(1)}`).join(' ')}
        />
      ))}
      {lines.map((l, i) => (
        <g key={`legend-${l.kind}-${l.source}`} transform={`translate(${PLOT.left} ${PLOT.bottom + 48 + i * 15})`}>
          <line x1={0} x2={18} y1={-4} y2={-4} stroke={KIND_COLOURS[l.kind]} strokeWidth={l.source === 'random' ? 1.5 : 2.5} strokeDasharray={l.source === 'random' ? '5 4' : undefined} />
          <text x={24} y={0} fill="#333">
            {`${l.kind}, ${SOURCE_NAMES[l.source]}: area ${l.auc.toFixed(3)}`}
          </text>
        </g>
      ))}
    </svg>
  );
});
