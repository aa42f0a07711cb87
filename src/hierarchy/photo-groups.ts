/** The class groups of a photo's result, and what to ask the worker for to explain one of its groups. */
import type { ClassMix } from '../cam/cam';
import type { ExplainedMap } from '../cam/types';
import { groupMix, knownProbs, shownGroups, type PhotoGroup } from './groups';
import { loadHierarchy } from './load';

/** The groups to keep with a result (null when the hierarchy cannot be loaded; `onError` says why, once per failure). */
export async function resultGroups(probs: Float32Array | null, onError: (message: string) => void): Promise<PhotoGroup[] | null> {
  if (!probs) return null;
  try {
    return shownGroups(await loadHierarchy(), probs);
  } catch (error) {
    onError(error instanceof Error ? error.message : String(error));
    return null;
  }
}

export interface GroupRequest {
  mix: ClassMix;
  /** What the map will be labelled with. */
  group: NonNullable<ExplainedMap['group']>;
  /** The group's most probable class (the map's `classIndex`). */
  topClass: number;
}

/** The weighted mix explaining group `wnid` for a photo, from the probabilities it still keeps. */
export async function groupRequest(
  wnid: string,
  photo: { probs: Float32Array | null; groups: readonly PhotoGroup[] | null; top: readonly { index: number; prob: number }[] },
): Promise<GroupRequest> {
  const hierarchy = await loadHierarchy();
  const node = hierarchy.node(wnid);
  if (!node) throw new Error(`There is no class group ${wnid}`);
  const probs = knownProbs(hierarchy.root.classes.length, photo.probs, photo.groups ?? [], photo.top);
  const mix = groupMix(node, probs);
  const prob = node.classes.reduce((sum, index) => sum + (probs[index] ?? 0), 0);
  const topClass = node.classes.reduce((best, index) => ((probs[index] ?? 0) > (probs[best] ?? 0) ? index : best), node.classes[0]);
  return { mix, group: { wnid, label: node.label, prob }, topClass };
}
