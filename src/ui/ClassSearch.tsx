import { useId, useMemo, useState } from 'react';
import { useAppStore } from '../store';

/** Search all classes by name or wnid and explain any of them. */
export function ClassSearch({ onPick }: { onPick: (classIndex: number) => void }) {
  const labels = useAppStore((s) => s.labels);
  const [query, setQuery] = useState('');
  const listId = useId();
  const matches = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (q.length < 2) return [];
    return labels.filter((l) => l.label.toLowerCase().includes(q) || l.wnid === q || String(l.index) === q).slice(0, 8);
  }, [labels, query]);
  return (
    <div className="class-search">
      <label className="field">
        <span>Explain any class</span>
        <input
          data-testid="class.search"
          type="search"
          placeholder="e.g. tabby, fridge, n02113186"
          value={query}
          aria-controls={matches.length > 0 ? listId : undefined}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && matches[0]) {
              onPick(matches[0].index);
              setQuery('');
            }
          }}
        />
      </label>
      {matches.length > 0 && (
        <ul id={listId} className="search-results" aria-label="Matching classes">
          {matches.map((m) => (
            <li key={m.index}>
              <button
                type="button"
                data-testid="class.option"
                data-class-index={m.index}
                onClick={() => {
                  onPick(m.index);
                  setQuery('');
                }}
              >
                {m.label} <span className="muted">#{m.index}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
