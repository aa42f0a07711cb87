import { explainer } from '../photos';
import type { PhotoResult } from '../store/photos';
import { useAppStore } from '../store';
import { percent } from './format';

/**
 * The photo's class groups (WordNet): "dog 99% — Pembroke 75%, Cardigan 23%". Pressing one shows the
 * group's heatmap (its classes weighted by their share of the group's probability).
 */
export function Groups({ photo }: { photo: PhotoResult }) {
  const labels = useAppStore((s) => s.labels);
  const shown = photo.cam?.group?.wnid ?? null;
  return (
    <section className="groups" aria-labelledby={`groups-${photo.id}`}>
      <h3 id={`groups-${photo.id}`}>Groups</h3>
      {photo.groups === null ? (
        <p className="muted">The class groups could not be worked out for this photo.</p>
      ) : photo.groups.length === 0 ? (
        <p className="muted">No group of classes is likely enough (the model is unsure what this is).</p>
      ) : (
        <ol className="predictions">
          {photo.groups.map((group) => {
            const members = group.members
              .slice(0, 2)
              .map((m) => `${labels[m.index]?.label ?? `class ${m.index}`} ${percent(m.prob, 0)}`)
              .join(', ');
            return (
              <li key={group.wnid} data-testid="group" data-wnid={group.wnid} data-label={group.label} data-prob={group.prob}>
                <button
                  type="button"
                  aria-pressed={shown === group.wnid}
                  aria-label={`${group.label} ${percent(group.prob)} (a group of ${group.size} classes): show heatmap`}
                  title={`${group.label} (${group.wnid}): ${group.size} classes`}
                  onClick={() => void explainer.explainGroup(photo.id, group.wnid)}
                >
                  <span className="label">
                    {group.label}
                    {members && <span className="muted"> — {members}</span>}
                  </span>
                  <span className="prob">{percent(group.prob)}</span>
                  <span className="bar" aria-hidden="true">
                    <span style={{ width: `${Math.max(0.5, group.prob * 100)}%` }} />
                  </span>
                </button>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
