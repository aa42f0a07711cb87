/**
 * Graph models, on the real Tiny Darknet converted to a TF.js graph model at test time (e2e/support/graph-model.ts
 * writes what tensorflowjs_converter writes, BatchNormalization folded into the convolutions): the inspection reads
 * its GraphDef JSON, the app's loader runs it (one execute for the feature map and the logits) and gives the layers
 * model's probabilities on the dog photo; CAM holds for the linear heads (the classifier recovered by probing), not
 * for a head with an Elu after the pooling (Grad-CAM only, through the graph); and the messages for an op TF.js does
 * not know and a kernel the backend lacks.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPH_NODES, writeGraphModel, type GraphVariant } from '../../e2e/support/graph-model';
import { classActivationMap, singleClass } from '../cam/cam';
import { graphHead, gradCamMix } from '../cam/gradcam';
import { correlation } from '../test-support/correlation';
import { builtInModel, diskIOHandler, MODELS_DIR, modelDir, useCpuBackend } from '../test-support/model-files';
import { centreCropPixels, DOG_PHOTO } from '../test-support/photo-pixels';
import { serveDirectory, type StaticServer } from '../test-support/static-server';
import { ImportError } from './import/errors';
import { inspectModelJson } from './import/inspect';
import type { ImportArtifacts } from './import/model-files';
import { buildFromMemory, explainFailure } from './import/store-model';
import { userModelSpec } from './import/user-spec';
import { decodeClassIndex } from './labels';
import { manifestBytes } from './manifest';
import { loadModel, type LoadedModel, type Prediction } from './load';
import type { ModelSpec } from './registry';
import { topK } from './topk';

const VARIANTS: GraphVariant[] = ['plain', 'nonlinear', 'einsum'];
const CORGIS = [263, 264];
const classWnids = decodeClassIndex(JSON.parse(readFileSync(join(MODELS_DIR, 'imagenet_class_index.json'), 'utf8'))).map((c) => c.wnid);
const darknetWnids = readFileSync(join(modelDir('darknet_tiny'), 'labels.txt'), 'utf8').trim().split('\n');

const dirs = {} as Record<GraphVariant | 'unknownOp', string>;
const modelJson = (variant: GraphVariant) => JSON.parse(readFileSync(join(dirs[variant], 'model.json'), 'utf8'));

/** The spec an import of the graph model makes (inspection + the user's choices), served from `server`. */
function graphSpec(variant: GraphVariant, server: StaticServer): ModelSpec {
  const inspection = inspectModelJson(modelJson(variant));
  const spec = userModelSpec(inspection, { displayName: `graph ${variant}`, preprocess: 'unit', featureLayer: inspection.featureLayers[0], outputWnidList: darknetWnids });
  return { ...spec, url: `${server.url}${dirs[variant].split('/').pop()}/model.json` };
}

beforeAll(async () => {
  await useCpuBackend();
  dirs.plain = writeGraphModel(modelDir('darknet_tiny'), 'plain');
  for (const variant of VARIANTS.slice(1)) dirs[variant] = writeGraphModel(modelDir('darknet_tiny'), variant, dirname(dirs.plain));
});

afterAll(() => rmSync(dirname(dirs.plain), { recursive: true, force: true }));

describe('inspectModelJson on the converted graph models', () => {
  it('plain: 224×224 input, 1000 outputs, softmax after the Mean, the 1×1 conv before it: linear → GAP', () => {
    const json = modelJson('plain');
    const inspection = inspectModelJson(json);
    expect(inspection).toMatchObject({ format: 'graph', inputSize: 224, outputs: 1000, output: 'softmax', head: 'linear-gap', camAvailable: true, classifierLayer: 'global_average_pooling2d_1/Mean' });
    expect(inspection.featureLayers).toEqual([
      GRAPH_NODES.features,
      'conv2d_15/BiasAdd',
      'conv2d_15/Conv2D',
      'leaky_re_lu_14/LeakyRelu',
      'conv2d_14/BiasAdd',
      'conv2d_14/Conv2D',
    ]);
    expect(inspection.weightBytes).toBe(manifestBytes(json));
    // Float weights only (the Mean's two int32 axes are not parameters).
    expect(inspection.parameters * 4 + 8).toBe(inspection.weightBytes);
  });

  it('nonlinear: an Elu after the pooling leaves Grad-CAM only; einsum: GAP → Einsum + BiasAdd is GAP → linear', () => {
    expect(inspectModelJson(modelJson('nonlinear'))).toMatchObject({ head: 'other', camAvailable: false, classifierLayer: 'head/Elu', featureLayers: expect.arrayContaining([GRAPH_NODES.features]) });
    expect(inspectModelJson(modelJson('einsum'))).toMatchObject({ head: 'gap-linear', camAvailable: true, classifierLayer: 'head/BiasAdd', outputs: 1000 });
  });

  it.each([
    ['a non-square input', (json: { modelTopology: { node: { op: string; attr: { shape?: { shape: { dim: { size: string }[] } } } }[] } }) => {
      json.modelTopology.node.find((n) => n.op === 'Placeholder')!.attr.shape!.shape.dim[2].size = '160';
    }, /224×160 images/],
    ['a graph with control flow', (json: { modelTopology: { node: object[] } }) => {
      json.modelTopology.node.push({ name: 'loop/Switch', op: 'Switch', input: ['input_1', 'input_1'], attr: {} });
    }, /control flow \(a Switch node/],
    ['two inputs', (json: { modelTopology: { node: object[] } }) => {
      json.modelTopology.node.push({ name: 'mask', op: 'Placeholder', input: [], attr: {} });
    }, /2 inputs/],
  ])('refuses %s with a message that says why', (_, edit, message) => {
    const json = modelJson('plain');
    edit(json);
    expect(() => inspectModelJson(json)).toThrow(ImportError);
    expect(() => inspectModelJson(json)).toThrow(message);
  });
});

describe('the converted graph models through the app’s loader (CPU backend)', () => {
  let models: StaticServer;
  let graphs: StaticServer;
  let layers: LoadedModel;
  let reference: Prediction;
  const loaded = {} as Record<GraphVariant, LoadedModel>;
  const dog = {} as Record<GraphVariant, Prediction>;

  beforeAll(async () => {
    models = await serveDirectory(MODELS_DIR);
    graphs = await serveDirectory(dirname(dirs.plain));
    layers = await loadModel(builtInModel('darknet_tiny'), { url: `${models.url}darknet_tiny/model.json`, classWnids });
    const pixels = tf.tensor3d(centreCropPixels(DOG_PHOTO), [224, 224, 3], 'int32');
    reference = await layers.predict(pixels);
    for (const variant of VARIANTS) {
      const spec = graphSpec(variant, graphs);
      loaded[variant] = await loadModel(spec, { url: spec.url, classWnids });
      dog[variant] = await loaded[variant].predict(pixels);
    }
    pixels.dispose();
  });

  afterAll(async () => {
    layers?.dispose();
    for (const model of Object.values(loaded)) model.dispose();
    await models?.close();
    await graphs?.close();
  });

  it.each(['plain', 'einsum'] as const)('%s: the same probabilities as the layers model on dog.jpg (within 1e-4), a corgi on top, and CAM holds', (variant) => {
    const { probs } = dog[variant];
    let maxDiff = 0;
    for (let i = 0; i < 1000; i++) maxDiff = Math.max(maxDiff, Math.abs(probs[i] - reference.probs[i]));
    expect(maxDiff).toBeLessThan(1e-4);
    expect(topK(probs, 5).map((t) => t.index)).toEqual(topK(reference.probs, 5).map((t) => t.index));
    expect(CORGIS).toContain(topK(probs, 1)[0].index);
    expect(loaded[variant].classifier).not.toBeNull();
  });

  it('plain: the classifier recovered by probing gives the layers model’s CAM (same feature map, same 14×14 maps)', () => {
    const top = topK(reference.probs, 1)[0].index;
    const features = dog.plain.features;
    expect([features.height, features.width, features.channels]).toEqual([14, 14, 128]);
    const fromGraph = classActivationMap(features, loaded.plain.classifier!, top).data;
    const fromLayers = classActivationMap(reference.features, layers.classifier!, top).data;
    const scale = Math.max(...fromLayers.map(Math.abs));
    fromGraph.forEach((value, i) => expect(Math.abs(value - fromLayers[i])).toBeLessThan(1e-3 * scale));
  });

  it('Grad-CAM through the graph (graphHead: the feature node fed, the logits node read) = CAM / (14·14)', () => {
    const top = topK(dog.plain.probs, 1)[0].index;
    const head = graphHead(loaded.plain.model as tf.GraphModel, GRAPH_NODES.features, 'global_average_pooling2d_1/Mean', 1000);
    const before = tf.memory().numTensors;
    const grad = gradCamMix(head, dog.plain.features, singleClass(loaded.plain.outputIndex(top))).data;
    expect(tf.memory().numTensors).toBe(before);
    const cam = classActivationMap(dog.plain.features, loaded.plain.classifier!, top).data;
    expect(correlation(grad, cam)).toBeGreaterThan(0.999);
    const scale = Math.max(...cam.map(Math.abs));
    grad.forEach((value, i) => expect(Math.abs(value * 196 - cam[i])).toBeLessThan(1e-3 * scale));
  });

  it('nonlinear: the head fails the linearity check, so no classifier (Grad-CAM only), and its Grad-CAM follows the CAM of the top class', () => {
    expect(loaded.nonlinear.classifier).toBeNull();
    const top = topK(dog.nonlinear.probs, 1)[0].index;
    expect(CORGIS).toContain(top);
    const grad = gradCamMix(loaded.nonlinear.head, dog.nonlinear.features, singleClass(loaded.nonlinear.outputIndex(top))).data;
    const cam = classActivationMap(reference.features, layers.classifier!, top).data;
    // Elu′ is a positive factor for the class: the map keeps the CAM's shape.
    expect(correlation(grad, cam)).toBeGreaterThan(0.99);
  });
});

describe('graph-model failures in plain words', () => {
  let server: StaticServer;
  beforeAll(async () => (server = await serveDirectory(dirname(dirs.plain))));
  afterAll(async () => {
    await tf.setBackend('cpu');
    await server?.close();
  });

  it('an op TF.js does not know: built from memory, then refused at its first run, leaving no tensor behind', async () => {
    const json = modelJson('einsum');
    json.modelTopology.node.find((n: { op: string }) => n.op === 'Einsum').op = 'XlaEinsumV9';
    const artifacts = { ...((await diskIOHandler(dirs.einsum).load!()) as ImportArtifacts), modelTopology: json.modelTopology };
    const built = await buildFromMemory(artifacts);
    built.dispose();
    dirs.unknownOp = join(dirname(dirs.einsum), 'unknown-op');
    cpSync(dirs.einsum, dirs.unknownOp, { recursive: true });
    writeFileSync(join(dirs.unknownOp, 'model.json'), JSON.stringify(json));
    const spec = { ...graphSpec('einsum', server), url: `${server.url}unknown-op/model.json` };
    const before = tf.memory().numTensors;
    const failure = await loadModel(spec, { url: spec.url, classWnids }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(explainFailure(failure).message).toBe('it uses the operation XlaEinsumV9, which TensorFlow.js does not support');
  });

  it('an op the backend lacks: the Einsum head on a backend with every CPU kernel but Einsum', async () => {
    tf.registerBackend('lean', tf.findBackendFactory('cpu')!);
    for (const kernel of tf.getKernelsForBackend('cpu')) if (kernel.kernelName !== 'Einsum') tf.registerKernel({ ...kernel, backendName: 'lean' });
    await tf.setBackend('lean');
    const spec = graphSpec('einsum', server);
    const failure = await loadModel(spec, { url: spec.url, classWnids }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(String(failure)).toContain("Kernel 'Einsum' not registered for backend 'lean'");
    expect(explainFailure(failure).message).toBe(
      "it needs the operation Einsum, which the lean backend does not have; choose another backend in Settings and import it again",
    );
    // The same model on the full CPU backend loads.
    await tf.setBackend('cpu');
    const loaded = await loadModel(spec, { url: spec.url, classWnids });
    loaded.dispose();
  });
});
