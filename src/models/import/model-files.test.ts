import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { modelDir, readModelJson } from '../../test-support/model-files';
import { manifestBytes } from '../manifest';
import { ImportError } from './errors';
import { assembleModel, type PickedFile } from './model-files';

/** The Tiny Darknet export as picked: model.json and its shards (SHA256SUMS and labels.txt come along, as in a folder). */
function darknetFiles(prefix = ''): PickedFile[] {
  const dir = modelDir('darknet_tiny');
  return readdirSync(dir)
    .filter((name) => !name.startsWith('.'))
    .map((name) => ({ path: `${prefix}${name}`, bytes: new Uint8Array(readFileSync(join(dir, name))) }));
}

const darknetJson = readModelJson('darknet_tiny');

describe('assembleModel', () => {
  it('joins the shards in manifest order into the artifacts TF.js loads from memory', async () => {
    const { artifacts, suggestedName } = await assembleModel(darknetFiles());
    expect(artifacts.weightData.byteLength).toBe(manifestBytes(darknetJson));
    expect(artifacts.weightSpecs).toEqual(darknetJson.weightsManifest.flatMap((g) => g.weights));
    expect(artifacts.modelTopology).toEqual(darknetJson.modelTopology);
    expect(suggestedName).toBe('My model');
    // The first group's bytes come first.
    const first = readFileSync(join(modelDir('darknet_tiny'), darknetJson.weightsManifest[0].paths[0]));
    expect(new Uint8Array(artifacts.weightData, 0, first.byteLength)).toEqual(new Uint8Array(first));
  });

  it("takes a picked folder's name as the model's", async () => {
    expect((await assembleModel(darknetFiles('tiny-darknet/'))).suggestedName).toBe('tiny-darknet');
  });

  it('opens a .zip of the folder', async () => {
    const entries = Object.fromEntries(darknetFiles('darknet/').map((f) => [f.path, f.bytes]));
    const zip = zipSync({ ...entries, '__MACOSX/darknet/._model.json': new Uint8Array([1]) });
    const { artifacts, suggestedName } = await assembleModel([{ path: 'darknet_tiny.zip', bytes: zip }]);
    expect(artifacts.weightData.byteLength).toBe(manifestBytes(darknetJson));
    expect(suggestedName).toBe('darknet');
  });

  it('names a missing shard', async () => {
    const files = darknetFiles().filter((f) => f.path !== 'group19-shard1of1');
    await expect(assembleModel(files)).rejects.toThrow(ImportError);
    await expect(assembleModel(files)).rejects.toThrow('A weight file is missing: group19-shard1of1.');
  });

  it('says which shard has the wrong size', async () => {
    const files = darknetFiles().map((f) => (f.path === 'group21-shard1of1' ? { ...f, bytes: f.bytes.slice(0, 1000) } : f));
    await expect(assembleModel(files)).rejects.toThrow('group21-shard1of1 has 1000 bytes; model.json expects 1179648');
  });

  it.each([
    ['a text file as model.json', 'hello, this is not a model\n', /model.json is not a TF.js model file: it is not JSON \(it starts “hello, this is not a model”\)/],
    ['a JSON array', '[1, 2, 3]', /model.json is not a TF.js model file/],
  ])('refuses %s', async (_, text, message) => {
    await expect(assembleModel([{ path: 'model.json', bytes: new TextEncoder().encode(text) }])).rejects.toThrow(message);
  });

  it('asks for model.json when there is none, and for one model at a time', async () => {
    await expect(assembleModel(darknetFiles().filter((f) => f.path !== 'model.json'))).rejects.toThrow(/There is no model.json among the files/);
    await expect(assembleModel([...darknetFiles('a/'), ...darknetFiles('b/')])).rejects.toThrow('There are 2 model.json files');
  });

  it('refuses a damaged zip', async () => {
    await expect(assembleModel([{ path: 'model.zip', bytes: new Uint8Array([80, 75, 3, 4, 1, 2]) }])).rejects.toThrow(/model.zip could not be opened as a zip archive/);
  });
});
