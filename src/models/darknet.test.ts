/**
 * Tiny Darknet through the app's own loader: its own class order (mapped to Keras's by WordNet id), logits
 * (softmax added), [0, 1] input and a classifier before global average pooling. Run on the book's dog photo,
 * decoded and centre-cropped by ffmpeg (resize the shorter side to 256, crop 224) as the app does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classActivationMap } from '../cam/cam';
import { correlation } from '../test-support/correlation';
import { gradCam } from '../cam/gradcam';
import { builtInModel, MODELS_DIR, useCpuBackend } from '../test-support/model-files';
import { centreCropPixels, DOG_PHOTO } from '../test-support/photo-pixels';
import { serveDirectory, type StaticServer } from '../test-support/static-server';
import { decodeClassIndex } from './labels';
import { loadModel, type LoadedModel, type Prediction } from './load';
import { topK } from './topk';

const CORGIS = [263, 264];

describe('Tiny Darknet (own class order, logits, unit input, classifier before pooling)', () => {
  const spec = builtInModel('darknet_tiny');
  const classes = decodeClassIndex(JSON.parse(readFileSync(join(MODELS_DIR, 'imagenet_class_index.json'), 'utf8')));
  let server: StaticServer;
  let loaded: LoadedModel;
  let dog: Prediction;

  beforeAll(async () => {
    await useCpuBackend();
    server = await serveDirectory(MODELS_DIR);
    loaded = await loadModel(spec, { url: `${server.url}${spec.id}/model.json`, classWnids: classes.map((c) => c.wnid) });
    const pixels = tf.tensor3d(centreCropPixels(DOG_PHOTO), [224, 224, 3], 'int32');
    dog = await loaded.predict(pixels);
    pixels.dispose();
  });

  afterAll(async () => {
    loaded?.dispose();
    await server?.close();
  });

  it('fetches its label list, checked against the folder’s SHA256SUMS', () => {
    expect(server.requests).toContain(`/${spec.id}/labels.txt`);
    expect(server.requests).toContain(`/${spec.id}/SHA256SUMS`);
  });

  it('gives probabilities (softmax over the logits) in Keras’s class order: the dog is a corgi', () => {
    expect(dog.probs).toHaveLength(1000);
    expect(dog.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
    expect(Math.min(...dog.probs)).toBeGreaterThanOrEqual(0);
    const top = topK(dog.probs, 5);
    console.log(`darknet_tiny dog.jpg top-5: ${top.map((t) => `${classes[t.index].name} ${t.prob.toFixed(3)}`).join(', ')}`);
    expect(top.some((t) => CORGIS.includes(t.index))).toBe(true);
  });

  it('its 14×14 CAM and Grad-CAM agree for the top class (Keras index in, the model’s own output used inside)', () => {
    const best = topK(dog.probs, 1)[0].index;
    const cam = classActivationMap(dog.features, loaded.classifier!, best);
    const grad = gradCam((loaded.model as tf.LayersModel), spec.featureLayer, spec.classifierLayer, dog.features, loaded.outputIndex(best));
    expect([cam.width, cam.height]).toEqual([14, 14]);
    expect(correlation(cam.data, grad.data)).toBeGreaterThanOrEqual(0.99);
  });

  it('refuses to load without WordNet ids for the classes, saying why', async () => {
    await expect(loadModel(spec, { url: `${server.url}${spec.id}/model.json`, classWnids: [] })).rejects.toThrow(/WordNet id/);
  });
});
