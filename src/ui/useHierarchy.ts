import { useEffect, useState } from 'react';
import type { ClassHierarchy } from '../hierarchy/hierarchy';
import { loadHierarchy, loadedHierarchy } from '../hierarchy/load';

/** The class hierarchy once loaded (null until then, or if it cannot be; the failure is in `error`). */
export function useHierarchy(): { hierarchy: ClassHierarchy | null; error: string | null } {
  const [state, setState] = useState<{ hierarchy: ClassHierarchy | null; error: string | null }>(() => ({ hierarchy: loadedHierarchy(), error: null }));
  useEffect(() => {
    if (state.hierarchy) return;
    let current = true;
    loadHierarchy().then(
      (hierarchy) => current && setState({ hierarchy, error: null }),
      (error: unknown) => current && setState({ hierarchy: null, error: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      current = false;
    };
  }, [state.hierarchy]);
  return state;
}
