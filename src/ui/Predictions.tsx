import type { ClassScore } from '../models/topk';
import { useAppStore } from '../store';
import { percent } from './format';

interface Props {
  top: ClassScore[];
  /** Class whose heatmap is shown (marked as pressed). */
  shownClass?: number | null;
  onPick?: (classIndex: number) => void;
  compact?: boolean;
}

/** Ranked classes with readable labels, percentages and bars; below the threshold they are greyed out. */
export function Predictions({ top, shownClass = null, onPick, compact = false }: Props) {
  const labels = useAppStore((s) => s.labels);
  const threshold = useAppStore((s) => s.threshold);
  return (
    <ol className={compact ? 'predictions compact' : 'predictions'}>
      {top.map(({ index, prob }) => {
        const label = labels[index];
        const below = prob < threshold;
        const content = (
          <>
            <span className="label" title={label ? `${label.name} (${label.wnid}, class ${index})` : undefined}>
              {label?.label ?? `class ${index}`}
            </span>
            <span className="prob">{percent(prob)}</span>
            <span className="bar" aria-hidden="true">
              <span style={{ width: `${Math.max(0.5, prob * 100)}%` }} />
            </span>
          </>
        );
        return (
          <li
            key={index}
            data-testid="prediction"
            data-class-index={index}
            data-wnid={label?.wnid ?? ''}
            data-label={label?.label ?? ''}
            data-prob={prob}
            className={below ? 'below-threshold' : undefined}
          >
            {onPick ? (
              <button
                type="button"
                aria-pressed={shownClass === index}
                aria-label={`${label?.label ?? `class ${index}`} ${percent(prob)}${below ? ', below threshold' : ''}: show heatmap`}
                onClick={() => onPick(index)}
              >
                {content}
              </button>
            ) : (
              <div className="row">{content}</div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
