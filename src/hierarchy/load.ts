/** The hierarchy is loaded on first use, as its own chunk (about 30 kB gzipped), so the main bundle does not carry it. */
import { ClassHierarchy, type HierarchyData } from './hierarchy';

let loading: Promise<ClassHierarchy> | null = null;
let loaded: ClassHierarchy | null = null;

export function loadHierarchy(): Promise<ClassHierarchy> {
  loading ??= import('./wordnet-imagenet.json').then(
    (module) => (loaded = new ClassHierarchy(module.default as unknown as HierarchyData)),
    (error: unknown) => {
      loading = null; // a later use tries again (e.g. back online)
      throw new Error(`The class groups (WordNet) could not be loaded: ${error instanceof Error ? error.message : String(error)}`);
    },
  );
  return loading;
}

/** The hierarchy if it is already loaded (per-frame code never waits). */
export function loadedHierarchy(): ClassHierarchy | null {
  return loaded;
}
