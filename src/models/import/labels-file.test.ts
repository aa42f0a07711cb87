import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODELS_DIR } from '../../test-support/model-files';
import { decodeClassIndex } from '../labels';
import { ImportError } from './errors';
import { readLabelsFile } from './labels-file';

const indexText = readFileSync(join(MODELS_DIR, 'imagenet_class_index.json'), 'utf8');
const classes = decodeClassIndex(JSON.parse(indexText));
const darknetWnids = readFileSync(join(MODELS_DIR, 'darknet_tiny', 'labels.txt'), 'utf8');
const kerasWnids = classes.map((c) => c.wnid);

describe('readLabelsFile', () => {
  it("reads Keras's imagenet_class_index.json as Keras order", () => {
    expect(readLabelsFile(indexText, 'imagenet_class_index.json', classes, 1000)).toEqual(kerasWnids);
  });

  it("reads one WordNet id per line in the model's own order (Darknet's)", () => {
    const wnids = readLabelsFile(darknetWnids, 'labels.txt', classes, 1000);
    expect(wnids[0]).toBe('n02119789');
    expect(new Set(wnids).size).toBe(1000);
    expect(wnids).not.toEqual(kerasWnids);
  });

  it('reads synset_words.txt lines (a WordNet id, then names) and Windows line ends', () => {
    const text = classes.map((c) => `${c.wnid} ${c.label}, other name`).join('\r\n');
    expect(readLabelsFile(text, 'synset_words.txt', classes, 1000)).toEqual(kerasWnids);
  });

  it('matches one class name per line, however written; shared names go to the classes in order', () => {
    const text = classes.map((c, i) => (i % 2 ? c.name : c.label.toUpperCase())).join('\n');
    expect(readLabelsFile(text, 'labels.txt', classes, 1000)).toEqual(kerasWnids);
    const cranes = classes.filter((c) => c.name === 'crane');
    expect(cranes).toHaveLength(2);
  });

  it('a 1001-output model: the background output first, named or left out of the file', () => {
    const named = ['background', ...classes.map((c) => c.label)].join('\n');
    expect(readLabelsFile(named, 'labels.txt', classes, 1001)).toEqual(['', ...kerasWnids]);
    expect(readLabelsFile(indexText, 'imagenet_class_index.json', classes, 1001)).toEqual(['', ...kerasWnids]);
    expect(() => readLabelsFile(['tench', ...classes.map((c) => c.label)].join('\n'), 'labels.txt', classes, 1001)).toThrow(/listed twice/);
  });

  it('refuses a model whose outputs are not the ImageNet classes', () => {
    expect(() => readLabelsFile(indexText, 'labels.txt', classes, 10)).toThrow('The model has 10 outputs. This app explains the 1000 ImageNet classes');
  });

  it('says both numbers when the count differs from the outputs', () => {
    const short = darknetWnids.trim().split('\n').slice(0, 999).join('\n');
    expect(() => readLabelsFile(short, 'labels.txt', classes, 1000)).toThrow(ImportError);
    expect(() => readLabelsFile(short, 'labels.txt', classes, 1000)).toThrow('labels.txt lists 999 classes, but the model has 1000 outputs');
    expect(() => readLabelsFile(short, 'labels.txt', classes, 1001)).toThrow('labels.txt lists 999 classes, but the model has 1001 outputs');
  });

  it.each([
    ['an unknown name', classes.map((c, i) => (i === 16 ? 'flying saucer' : c.name)).join('\n'), /line 17: “flying saucer” is not the name of an ImageNet class/],
    ['a WordNet id that is no ImageNet class', kerasWnids.map((w, i) => (i === 3 ? 'n00000001' : w)).join('\n'), /entry 4: n00000001 is not one of the 1000 ImageNet classes/],
    ['a class listed twice', kerasWnids.map((w, i) => (i === 5 ? kerasWnids[4] : w)).join('\n'), /entry 6: .* is listed twice/],
    ['broken JSON', '{"0": ["n01440764", "tench"]', /not valid JSON/],
    ['JSON that is no class index', '{"0": "tench"}', /not a Keras class index/],
  ])('refuses %s, saying where', (_, text, message) => {
    expect(() => readLabelsFile(text, 'labels.txt', classes, 1000)).toThrow(message);
  });
});
