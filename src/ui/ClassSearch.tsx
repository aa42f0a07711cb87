import { useId, useMemo, useState } from 'react';
import { matchScore, searchGroups } from '../hierarchy/groups';
import type { HierarchyNode } from '../hierarchy/hierarchy';
import type { ClassLabel } from '../models/labels';
import { useAppStore } from '../store';
import { useHierarchy } from './useHierarchy';

type Option = { kind: 'class'; label: ClassLabel } | { kind: 'group'; group: HierarchyNode };

/**
 * Search all classes by name or wnid, and the class groups (WordNet) by name or wnid; explain any of them.
 * A group named exactly ("dog", "vehicle") is offered first; Enter picks the first option.
 */
export function ClassSearch({ onPick, onPickGroup }: { onPick: (classIndex: number) => void; onPickGroup: (wnid: string) => void }) {
  const labels = useAppStore((s) => s.labels);
  const { hierarchy } = useHierarchy();
  const [query, setQuery] = useState('');
  const listId = useId();
  const options = useMemo((): Option[] => {
    const q = query.trim().toLowerCase();
    if (q.length < 2) return [];
    const classes = labels.filter((l) => l.label.toLowerCase().includes(q) || l.wnid === q || String(l.index) === q).slice(0, 8);
    const groups = hierarchy ? searchGroups(hierarchy, q) : [];
    const named = (g: HierarchyNode) => matchScore(g, q) <= 1;
    return [
      ...groups.filter(named).map((group) => ({ kind: 'group' as const, group })),
      ...classes.map((label) => ({ kind: 'class' as const, label })),
      ...groups.filter((g) => !named(g)).map((group) => ({ kind: 'group' as const, group })),
    ];
  }, [labels, hierarchy, query]);
  const pick = (option: Option) => {
    if (option.kind === 'class') onPick(option.label.index);
    else onPickGroup(option.group.wnid);
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
          aria-controls={options.length > 0 ? listId : undefined}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && options[0]) pick(options[0]);
          }}
        />
      </label>
      {options.length > 0 && (
        <ul id={listId} className="search-results" aria-label="Matching classes and groups">
          {options.map((option) =>
            option.kind === 'class' ? (
              <li key={option.label.index}>
                <button type="button" data-testid="class.option" data-class-index={option.label.index} onClick={() => pick(option)}>
                  {option.label.label} <span className="muted">#{option.label.index}</span>
                </button>
              </li>
            ) : (
              <li key={option.group.wnid}>
                <button type="button" data-testid="group.option" data-wnid={option.group.wnid} onClick={() => pick(option)}>
                  {option.group.label} <span className="muted">group of {option.group.classes.length}</span>
                </button>
              </li>
            ),
          )}
        </ul>
      )}
    </div>
  );
}
