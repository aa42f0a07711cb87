import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODELS_DIR } from '../test-support/model-files';
import { decodeClassIndex, readableLabel } from './labels';

describe('readableLabel', () => {
  it('turns Keras underscores into spaces', () => {
    expect(readableLabel('Egyptian_cat')).toBe('Egyptian cat');
    expect(readableLabel('German_short-haired_pointer')).toBe('German short-haired pointer');
    expect(readableLabel('tench')).toBe('tench');
    expect(readableLabel('')).toBe('');
  });
});

describe('decodeClassIndex', () => {
  it('decodes a small, complete index in index order with readable labels', () => {
    const labels = decodeClassIndex({
      '1': ['n02124075', 'Egyptian_cat'],
      '0': ['n01440764', 'tench'],
      '2': ['n04254680', 'soccer_ball'],
    });
    expect(labels).toEqual([
      { index: 0, wnid: 'n01440764', name: 'tench', label: 'tench' },
      { index: 1, wnid: 'n02124075', name: 'Egyptian_cat', label: 'Egyptian cat' },
      { index: 2, wnid: 'n04254680', name: 'soccer_ball', label: 'soccer ball' },
    ]);
  });

  it.each([
    ['null', null],
    ['a string', 'tench'],
    ['a number', 42],
    ['undefined', undefined],
  ])('refuses %s', (_name, json) => {
    expect(() => decodeClassIndex(json)).toThrow(/not an object/);
  });

  it('refuses a gap in the indices', () => {
    expect(() => decodeClassIndex({ '0': ['n1', 'a'], '2': ['n3', 'c'] })).toThrow(/entry 1 is missing or malformed/);
  });

  it('refuses a key that is not an index', () => {
    expect(() => decodeClassIndex({ '0': ['n1', 'a'], cat: ['n2', 'b'] })).toThrow(/entry 1 is missing/);
  });

  it.each([
    ['a bare string', 'n01440764'],
    ['a one-element array', ['n01440764']],
    ['a three-element array', ['n01440764', 'tench', 'extra']],
    ['a non-string name', ['n01440764', 7]],
    ['a non-string wnid', [null, 'tench']],
    ['an object', { wnid: 'n01440764', name: 'tench' }],
  ])('refuses an entry that is %s', (_name, entry) => {
    expect(() => decodeClassIndex({ '0': ['n0', 'ok'], '1': entry })).toThrow(/Class index entry 1 is missing or malformed/);
  });
});

describe('decodeClassIndex on the provisioned imagenet_class_index.json', () => {
  const labels = decodeClassIndex(JSON.parse(readFileSync(join(MODELS_DIR, 'imagenet_class_index.json'), 'utf8')));

  it('has 1000 classes indexed 0..999 with WordNet ids', () => {
    expect(labels).toHaveLength(1000);
    labels.forEach((label, i) => {
      expect(label.index).toBe(i);
      expect(label.wnid).toMatch(/^n\d{8}$/);
      expect(label.label).not.toContain('_');
    });
    expect(new Set(labels.map((l) => l.wnid)).size).toBe(1000);
  });

  it('has the known Keras entries at their indices', () => {
    expect(labels[0]).toEqual({ index: 0, wnid: 'n01440764', name: 'tench', label: 'tench' });
    expect(labels[263]).toMatchObject({ wnid: 'n02113023', name: 'Pembroke' });
    expect(labels[264]).toMatchObject({ wnid: 'n02113186', name: 'Cardigan' });
    expect(labels[281]).toMatchObject({ wnid: 'n02123045', name: 'tabby' });
    expect(labels[285]).toEqual({ index: 285, wnid: 'n02124075', name: 'Egyptian_cat', label: 'Egyptian cat' });
    expect(labels[999]).toMatchObject({ wnid: 'n15075141', name: 'toilet_tissue', label: 'toilet tissue' });
  });
});
