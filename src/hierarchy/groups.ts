/**
 * Which class groups are worth showing for a probability vector, what a group's heatmap explains, and
 * finding groups by name. The rule (also in the README, "Class groups (WordNet)"):
 *
 * 1. A group is a WordNet node with at least MIN_CLASSES ImageNet classes below it that is not one of the
 *    TOO_GENERAL nodes (entity, object, whole, organism, animal, artifact, …: true of nearly every photo).
 * 2. Its probability is the sum of its classes' probabilities; only groups with at least MIN_PROB, and at
 *    least LIFT times what an even spread over the 1000 classes would give them, count (a vague answer names
 *    no group).
 * 3. The most specific such group on each branch is shown (dog.jpg → dog, cat.jpg → domestic cat); a broader
 *    group above it is shown too only if it holds at least GROWTH times as many classes as the largest group
 *    shown below it (cat.jpg → domestic cat (5 classes) and carnivore (158), not cat (7) or feline (13)).
 * 4. The most specific groups come first, most probable first, then the broader ones; at most MAX_SHOWN.
 */
import type { ClassMix } from '../cam/cam';
import type { ClassHierarchy, HierarchyNode } from './hierarchy';

export const MIN_CLASSES = 3;
export const MIN_PROB = 0.05;
export const LIFT = 2;
export const GROWTH = 3;
export const MAX_SHOWN = 4;
/** Members listed (and exported) with a group: its most probable classes, down to this share of the group. */
export const MEMBER_SHARE = 0.001;
export const MAX_MEMBERS = 16;

/** Nodes too general to say anything about a photo. */
export const TOO_GENERAL: ReadonlySet<string> = new Set([
  'n00001740', // entity
  'n00001930', // physical entity
  'n00002137', // abstraction
  'n00002684', // object
  'n00003553', // whole
  'n00004258', // living thing
  'n00004475', // organism
  'n00015388', // animal
  'n00021939', // artifact
  'n03575240', // instrumentality
  'n00020827', // matter
  'n15046900', // solid
  'n00020090', // substance
  'n00007347', // causal agent
  'n00021265', // food, nutrient
  'n07555863', // food, solid food
]);

/** A group as a photo keeps it (compact: survives after the photo's full probability vector is dropped). */
export interface PhotoGroup {
  wnid: string;
  label: string;
  /** Sum of the member classes' probabilities (0–1). */
  prob: number;
  /** How many ImageNet classes the group holds. */
  size: number;
  /** Its most probable classes (probability ≥ MEMBER_SHARE of the group's, at most MAX_MEMBERS), most probable first. */
  members: { index: number; prob: number }[];
}

export function isGroup(node: HierarchyNode): boolean {
  return node.classes.length >= MIN_CLASSES && !TOO_GENERAL.has(node.wnid);
}

function groupOf(node: HierarchyNode, prob: number, probs: ArrayLike<number>): PhotoGroup {
  const members = node.classes
    .map((index) => ({ index, prob: probs[index] ?? 0 }))
    .filter((m) => m.prob > 0 && m.prob >= prob * MEMBER_SHARE)
    .sort((a, b) => b.prob - a.prob)
    .slice(0, MAX_MEMBERS);
  return { wnid: node.wnid, label: node.label, prob, size: node.classes.length, members };
}

/** The groups to show for a photo or a frame (the rule above). */
export function shownGroups(hierarchy: ClassHierarchy, probs: ArrayLike<number>): PhotoGroup[] {
  const mass = hierarchy.mass(probs);
  /** Largest group kept in each node's subtree (0: none). */
  const keptBelow = new Float64Array(hierarchy.nodes.length);
  const specific: HierarchyNode[] = [];
  const broader: HierarchyNode[] = [];
  // Children come after their parents, so a backward pass sees every node after its whole subtree.
  for (let i = hierarchy.nodes.length - 1; i >= 0; i--) {
    const node = hierarchy.nodes[i];
    const candidate = isGroup(node) && mass[i] >= Math.max(MIN_PROB, (LIFT * node.classes.length) / hierarchy.root.classes.length);
    if (candidate && (keptBelow[i] === 0 || node.classes.length >= GROWTH * keptBelow[i])) {
      (keptBelow[i] === 0 ? specific : broader).push(node);
      keptBelow[i] = node.classes.length;
    }
    if (node.parent >= 0) keptBelow[node.parent] = Math.max(keptBelow[node.parent], keptBelow[i]);
  }
  const byMass = (a: HierarchyNode, b: HierarchyNode) => mass[b.index] - mass[a.index];
  return [...specific.sort(byMass), ...broader.sort(byMass)]
    .slice(0, MAX_SHOWN)
    .map((node) => groupOf(node, mass[node.index], probs));
}

/** A full-length probability vector from what a photo keeps: its full vector, or its groups' members and top classes. */
export function knownProbs(classes: number, probs: Float32Array | null, groups: readonly PhotoGroup[], top: readonly { index: number; prob: number }[]): ArrayLike<number> {
  if (probs) return probs;
  const known = new Float32Array(classes);
  for (const { index, prob } of [...groups.flatMap((g) => g.members), ...top]) known[index] = prob;
  return known;
}

/**
 * What a group's heatmap explains: the probability-weighted sum of its classes' scores, weights
 * p_i / Σ p over the group's classes (equal weights if none has any probability). Classes with no
 * probability add nothing and are left out.
 */
export function groupMix(group: HierarchyNode, probs: ArrayLike<number>): ClassMix {
  const total = group.classes.reduce((sum, index) => sum + (probs[index] ?? 0), 0);
  if (!(total > 0)) return group.classes.map((classIndex) => ({ classIndex, weight: 1 / group.classes.length }));
  return group.classes.filter((index) => (probs[index] ?? 0) > 0).map((classIndex) => ({ classIndex, weight: probs[classIndex] / total }));
}

/** How well a node's names match a query (lower case): 0 its wnid, 1 a whole name, 2 a whole word of a name, 3 part of a name. */
export function matchScore(node: HierarchyNode, q: string): number {
  if (node.wnid === q) return 0;
  const names = node.names.toLowerCase().split(', ');
  if (names.includes(q)) return 1;
  if (names.some((name) => name.split(' ').includes(q))) return 2;
  return names.some((name) => name.includes(q)) ? 3 : Infinity;
}

/** Groups whose names contain the query (or whose wnid is it): best matches, then the larger groups, first. */
export function searchGroups(hierarchy: ClassHierarchy, query: string, limit = 3, worst = 3): HierarchyNode[] {
  const q = query.trim().toLowerCase();
  if (q.length < 2) return [];
  return hierarchy.nodes
    .filter(isGroup)
    .map((node) => ({ node, score: matchScore(node, q) }))
    .filter((m) => m.score <= worst)
    .sort((a, b) => a.score - b.score || b.node.classes.length - a.node.classes.length)
    .slice(0, limit)
    .map((m) => m.node);
}

/**
 * The groups a gallery filter means: its wnid, or a whole name or word of a name ("dog", "vehicle"; "car"
 * does not mean "carnivore").
 */
export function groupsMatching(hierarchy: ClassHierarchy, query: string): HierarchyNode[] {
  return searchGroups(hierarchy, query, Infinity, 2);
}

/** Every class of the groups a gallery filter means. */
export function classesInGroups(hierarchy: ClassHierarchy, query: string): Set<number> {
  return new Set(groupsMatching(hierarchy, query).flatMap((group) => group.classes));
}
