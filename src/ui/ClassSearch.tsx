import { useId, useMemo, useState } from 'react';
import { searchGroups } from '../hierarchy/groups';
import { useAppStore } from '../store';
import { useHierarchy } from './useHierarchy';

/** Search all classes by name or wnid, and the class groups (WordNet) by name or wnid; explain any of them. */
export function ClassSearch({ onPick, onPickGroup }: { onPick: (classIndex: number) => void; onPickGroup: (wnid: string) => void }) {
  const labels = useAppStore((s) => s.labels);
  const { hierarchy } = useHierarchy();
  const [query, setQuery] = useState('');
  const listId = useId();
  const matches = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (q.length < 2) return [];
    return labels.filter((l) => l.label.toLowerCase().includes(q) || l.wnid === q || String(l.index) === q).slice(0, 8);
  }, [labels, query]);
  const groups = useMemo(() => (hierarchy ? searchGroups(hierarchy, query) : []), [hierarchy, query]);
  const pickGroup = (wnid: string) => {
    onPickGroup(wnid);
    setQuery('');
  };
  return (
    <div className="class-search">
      <label className="field">
        <span>Explain any class or group</span>
        <input
          data-testid="class.search"
          type="search"
          placeholder="e.g. tabby, fridge, n02113186, dog"
          value={query}
          aria-controls={matches.length + groups.length > 0 ? listId : undefined}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key !== 'Enter') return;
            if (matches[0]) {
              onPick(matches[0].index);
              setQuery('');
            } else if (groups[0]) {
              pickGroup(groups[0].wnid);
            }
          }}
        />
      </label>
      {matches.length + groups.length > 0 && (
        <ul id={listId} className="search-results" aria-label="Matching classes and groups">
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
          {groups.map((g) => (
            <li key={g.wnid}>
              <button type="button" data-testid="group.option" data-wnid={g.wnid} onClick={() => pickGroup(g.wnid)}>
                {g.label} <span className="muted">group of {g.classes.length}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
