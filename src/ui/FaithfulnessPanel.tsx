import { useRef } from 'react';
import type { CamMethod } from '../cam/types';
import { aucOf, SOURCES, type FaithfulnessCurves } from '../explain/faithfulness';
import { faithfulnessChecker } from '../photos';
import { exportFaithfulnessCsv, exportFaithfulnessPng } from '../photos/exports';
import { useAppStore } from '../store';
import type { PhotoResult } from '../store/photos';
import { FaithfulnessChart } from './FaithfulnessChart';

const METHOD_NAMES: Record<CamMethod, string> = { cam: 'CAM', gradcam: 'Grad-CAM' };
const ROW_NAMES = { cam: 'CAM order', gradcam: 'Grad-CAM order', random: 'Random order' } as const;

/** data-* attributes with every area under the curves (the method shown without prefix, as the test contract says). */
function aucAttributes(curves: FaithfulnessCurves | null | undefined, method: CamMethod): Record<string, string> {
  if (!curves) return {};
  const out: Record<string, string> = {
    'data-deletion-auc': aucOf(curves, method, 'deletion').toFixed(4),
    'data-insertion-auc': aucOf(curves, method, 'insertion').toFixed(4),
  };
  for (const source of SOURCES) {
    out[`data-${source}-deletion-auc`] = aucOf(curves, source, 'deletion').toFixed(4);
    out[`data-${source}-insertion-auc`] = aucOf(curves, source, 'insertion').toFixed(4);
  }
  return out;
}

/**
 * The faithfulness check of the shown class (deletion / insertion, Petsiuk et al. 2018): does removing
 * the hottest regions first destroy the prediction faster than removing regions at random?
 */
export function FaithfulnessPanel({ photo }: { photo: PhotoResult }) {
  const stored = useAppStore((s) => s.faithfulness);
  const method = useAppStore((s) => s.camMethod);
  const labels = useAppStore((s) => s.labels);
  const chart = useRef<SVGSVGElement>(null);
  const run = stored?.photoId === photo.id && stored.modelId === photo.modelId ? stored : null;
  const state = run?.state ?? 'idle';
  const curves = run?.state === 'done' ? run.curves : null;
  const shownClass = photo.cam?.classIndex ?? photo.top[0]?.index ?? 0;
  const checkedName = labels[run?.classIndex ?? shownClass]?.label ?? `class ${run?.classIndex ?? shownClass}`;
  return (
    <section className="subpanel faithfulness" aria-labelledby="faithfulness-title">
      <div className="panel-head">
        <h3 id="faithfulness-title">Does the heatmap show what the model uses?</h3>
        <div className="actions">
          <button type="button" className="primary" data-testid="faithfulness.run" disabled={state === 'running'} onClick={() => void faithfulnessChecker.run(photo)}>
            Check {labels[shownClass]?.label ?? 'this class'}
          </button>
          {state === 'running' && (
            <button type="button" data-testid="faithfulness.cancel" onClick={() => faithfulnessChecker.cancel()}>
              Cancel
            </button>
          )}
        </div>
      </div>
      <div
        data-testid="faithfulness"
        data-state={state}
        data-class-index={run?.classIndex}
        data-method={method}
        data-steps={curves?.steps}
        {...aucAttributes(curves, method)}
        aria-live="polite"
      >
        {state === 'idle' && (
          <p className="hint">
            Deletes the photo’s regions in the order of the heatmap (hottest first) and reveals them from a blurred copy, 16 steps each, for
            CAM and Grad-CAM, and the same in a random order. About 90 runs of the model, in the background.
          </p>
        )}
        {state === 'running' && (
          <label className="field">
            <span>
              Checking {checkedName}: {run?.done ?? 0} of {run?.total || '…'} images
            </span>
            <progress data-testid="faithfulness.progress" max={run?.total || 1} value={run?.done ?? 0} />
          </label>
        )}
        {state === 'cancelled' && <p className="hint">Cancelled. Nothing was measured; run it again when you like.</p>}
        {state === 'error' && <p className="error-text">{run?.error}</p>}
        {curves && (
          <>
            <FaithfulnessChart ref={chart} curves={curves} method={method} className={checkedName} />
            <table className="auc-table">
              <caption>
                Areas under the curves for {checkedName} (deletion: lower is better; insertion: higher is better). Chart: {METHOD_NAMES[method]}.
              </caption>
              <thead>
                <tr>
                  <th scope="col">Order</th>
                  <th scope="col">Deletion</th>
                  <th scope="col">Insertion</th>
                </tr>
              </thead>
              <tbody>
                {SOURCES.map((source) => (
                  <tr key={source}>
                    <th scope="row">{ROW_NAMES[source]}</th>
                    <td>{aucOf(curves, source, 'deletion').toFixed(3)}</td>
                    <td>{aucOf(curves, source, 'insertion').toFixed(3)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="actions">
              <button type="button" data-testid="faithfulness.csv" onClick={() => exportFaithfulnessCsv(photo, curves)}>
                Curves CSV
              </button>
              <button type="button" data-testid="faithfulness.png" onClick={() => chart.current && void exportFaithfulnessPng(photo, curves, chart.current)}>
                Chart PNG
              </button>
            </div>
          </>
        )}
      </div>
    </section>
  );
}
