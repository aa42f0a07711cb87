import { useEffect, useRef } from 'react';
import { shownGroups } from '../hierarchy/groups';
import { loadHierarchy, loadedHierarchy } from '../hierarchy/load';
import { liveBus, liveSession } from '../live';
import { modelName, useAppStore } from '../store';
import { milliseconds, percent } from './format';
import { paced } from './paced';

const ROWS = 3;
/**
 * How often the figures and the top-3 change: four times a second can be read, twenty (the live rate)
 * only flickers, and each change costs the page a layout and a repaint the model's core then shares.
 * The heatmap still follows every frame.
 */
const HUD_REFRESH_MS = 250;

/**
 * Live figures and the current top-3, written straight into the DOM (no React re-render per frame),
 * at most every HUD_REFRESH_MS and always ending on the latest result. A row's data attributes change
 * with its text, so what a click pins is what the row shows. Clicking a class pins the heatmap to it.
 */
export function LiveHud() {
  const hud = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const root = hud.current;
    if (!root) return;
    // The top group appears once the hierarchy has loaded (a failure leaves "—"; photos say why).
    loadHierarchy().catch(() => undefined);
    const set = (name: string, text: string) => {
      const cell = root.querySelector<HTMLElement>(`[data-field="${name}"]`);
      if (cell && cell.textContent !== text) cell.textContent = text;
    };
    const render = () => {
      const { frame, stats } = liveBus;
      const { labels, modelId, backend, threshold } = useAppStore.getState();
      root.dataset.fps = stats.fps.toFixed(2);
      root.dataset.inferMs = stats.inferMs.toFixed(1);
      root.dataset.dropped = String(stats.dropped);
      root.dataset.frames = String(stats.frames);
      root.dataset.presented = String(stats.presented);
      root.dataset.numTensors = String(stats.numTensors);
      set('fps', stats.fps.toFixed(1));
      set('infer', milliseconds(stats.inferMs));
      set('dropped', stats.presented > 0 ? `${stats.dropped} (${percent(stats.dropped / stats.presented, 0)})` : '0');
      set('frames', String(stats.frames));
      set('backend', backend?.backend ?? '…');
      set('model', modelName(useAppStore.getState(), modelId));
      const hierarchy = loadedHierarchy();
      const group = frame && hierarchy ? shownGroups(hierarchy, frame.probs)[0] : undefined;
      root.dataset.group = group?.wnid ?? '';
      root.dataset.groupProb = group ? String(group.prob) : '';
      set('group', group ? `${group.label} ${percent(group.prob, 0)}` : '—');
      const rows = root.querySelectorAll<HTMLLIElement>('li[data-row]');
      rows.forEach((row, i) => {
        const score = frame?.top[i];
        row.hidden = !score;
        if (!score) return;
        const label = labels[score.index];
        row.dataset.classIndex = String(score.index);
        row.dataset.wnid = label?.wnid ?? '';
        row.dataset.label = label?.label ?? '';
        row.dataset.prob = String(score.prob);
        row.classList.toggle('below-threshold', score.prob < threshold);
        const name = row.querySelector<HTMLElement>('.label');
        const prob = row.querySelector<HTMLElement>('.prob');
        const bar = row.querySelector<HTMLElement>('.bar > span');
        if (name) name.textContent = label?.label ?? `class ${score.index}`;
        if (prob) prob.textContent = percent(score.prob);
        if (bar) bar.style.width = `${Math.max(0.5, score.prob * 100)}%`;
      });
    };
    const refresh = paced(render, HUD_REFRESH_MS);
    const stop = liveBus.subscribe(() => refresh.request());
    return () => {
      stop();
      refresh.cancel();
    };
  }, []);
  return (
    <div ref={hud} data-testid="hud" className="hud-wrap">
      <dl className="hud">
        {[
          ['fps', 'Inference fps'],
          ['infer', 'Inference time'],
          ['dropped', 'Dropped frames'],
          ['frames', 'Frames inferred'],
          ['backend', 'Backend'],
          ['model', 'Model'],
          ['group', 'Top group'],
        ].map(([field, title]) => (
          <div key={field}>
            <dt>{title}</dt>
            <dd data-field={field}>—</dd>
          </div>
        ))}
      </dl>
      <ol className="predictions">
        {Array.from({ length: ROWS }, (_, i) => (
          <li key={i} data-row={i} data-testid="prediction" hidden>
            <button
              type="button"
              title="Show this class's heatmap"
              onClick={(e) => {
                const index = Number(e.currentTarget.closest('li')?.dataset.classIndex);
                if (Number.isInteger(index)) liveSession.pinClass(index);
              }}
            >
              <span className="label" />
              <span className="prob" />
              <span className="bar" aria-hidden="true">
                <span />
              </span>
            </button>
          </li>
        ))}
      </ol>
    </div>
  );
}
