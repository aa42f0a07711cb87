import { describe, expect, it } from 'vitest';
import { builtInModel, readModelJson } from '../../test-support/model-files';
import { manifestBytes } from '../manifest';
import { ImportError } from './errors';
import { inspectModelJson } from './inspect';

/** A small functional Keras topology: input → conv → `head` layers in a chain. */
function functional(head: { class_name: string; name: string; config?: Record<string, unknown> }[], input = [null, 96, 96, 3]) {
  const layers: { name: string; class_name: string; config: Record<string, unknown>; inbound_nodes: unknown[] }[] = [
    { name: 'input_1', class_name: 'InputLayer', config: { batch_input_shape: input }, inbound_nodes: [] },
    { name: 'conv_a', class_name: 'Conv2D', config: { kernel_size: [3, 3], filters: 8 }, inbound_nodes: [[['input_1', 0, 0, {}]]] },
    { name: 'relu_a', class_name: 'Activation', config: { activation: 'relu' }, inbound_nodes: [[['conv_a', 0, 0, {}]]] },
  ];
  head.forEach((layer) => layers.push({ config: {}, ...layer, inbound_nodes: [[[layers[layers.length - 1].name, 0, 0, {}]]] }));
  return {
    modelTopology: { model_config: { class_name: 'Model', config: { layers, input_layers: [['input_1', 0, 0]], output_layers: [[layers[layers.length - 1].name, 0, 0]] } } },
    weightsManifest: [{ paths: ['w.bin'], weights: [{ name: 'conv_a/kernel', shape: [3, 3, 3, 8], dtype: 'float32' }] }],
  };
}

describe('inspectModelJson on the provisioned models', () => {
  it.each(['mobilenet_v1_0.75', 'resnet50', 'darknet_tiny'])('%s: finds what the registry says by hand', (id) => {
    const spec = builtInModel(id);
    const json = readModelJson(id);
    const inspection = inspectModelJson(json);
    expect(inspection.inputSize).toBe(spec.inputSize);
    expect(inspection.outputs).toBe(1000);
    expect(inspection.output).toBe(spec.output);
    expect(inspection.classifierLayer).toBe(spec.classifierLayer);
    expect(inspection.featureLayers[0]).toBe(spec.featureLayer);
    expect(inspection.camAvailable).toBe(true);
    expect(inspection.weightBytes).toBe(manifestBytes(json));
    expect(inspection.parameters * 4).toBe(inspection.weightBytes);
  });

  it('tells where the pooling sits', () => {
    expect(inspectModelJson(readModelJson('resnet50')).head).toBe('gap-linear');
    expect(inspectModelJson(readModelJson('mobilenet_v1_0.75')).head).toBe('gap-linear');
    expect(inspectModelJson(readModelJson('darknet_tiny')).head).toBe('linear-gap');
  });

  it('offers earlier layers only while the chain to the classifier stays single (ResNet: not past the residual add)', () => {
    expect(inspectModelJson(readModelJson('resnet50')).featureLayers).toEqual(['activation_48', 'add_15']);
    const darknet = inspectModelJson(readModelJson('darknet_tiny')).featureLayers;
    expect(darknet.slice(0, 3)).toEqual(['leaky_re_lu_15', 'batch_normalization_15', 'conv2d_15']);
    expect(darknet).toHaveLength(6);
  });
});

describe('inspectModelJson on other heads', () => {
  it('flatten → dense → dense (VGG-like): Grad-CAM only, features before the flatten', () => {
    const json = functional([
      { name: 'flatten', class_name: 'Flatten' },
      { name: 'fc1', class_name: 'Dense', config: { units: 64, activation: 'relu' } },
      { name: 'predictions', class_name: 'Dense', config: { units: 1000, activation: 'softmax' } },
    ]);
    const inspection = inspectModelJson(json);
    expect(inspection).toMatchObject({ inputSize: 96, outputs: 1000, output: 'softmax', classifierLayer: 'predictions', head: 'other', camAvailable: false });
    expect(inspection.featureLayers).toEqual(['relu_a', 'conv_a']);
  });

  it('GAP → dense with a separate softmax layer; without it, logits', () => {
    const head = [
      { name: 'gap', class_name: 'GlobalAveragePooling2D' },
      { name: 'logits', class_name: 'Dense', config: { units: 1001 } },
    ];
    expect(inspectModelJson(functional(head))).toMatchObject({ output: 'logits', outputs: 1001, head: 'gap-linear', camAvailable: true, featureLayers: ['relu_a', 'conv_a'] });
    expect(inspectModelJson(functional([...head, { name: 'probs', class_name: 'Softmax' }])).output).toBe('softmax');
  });

  it('reads a Sequential model (layers chained in order)', () => {
    const json = functional([
      { name: 'gap', class_name: 'GlobalAveragePooling2D' },
      { name: 'fc', class_name: 'Dense', config: { units: 1000, activation: 'softmax' } },
    ]);
    const layers = json.modelTopology.model_config.config.layers.map(({ inbound_nodes: _, ...layer }) => layer);
    const sequential = { ...json, modelTopology: { model_config: { class_name: 'Sequential', config: { layers } } } };
    expect(inspectModelJson(sequential)).toMatchObject({ classifierLayer: 'fc', featureLayers: ['relu_a', 'conv_a'], camAvailable: true });
  });

  it.each([
    ['a graph model with no nodes', { format: 'graph-model', modelTopology: { node: [] }, weightsManifest: [] }, /marked as a graph model but describes no graph nodes/],
    ['a JSON file that is no model', { hello: 'world' }, /no modelTopology/],
    ['an array', [1, 2], /not a JSON object/],
    ['non-square input', functional([{ name: 'gap', class_name: 'GlobalAveragePooling2D' }, { name: 'fc', class_name: 'Dense', config: { units: 1000 } }], [null, 224, 160, 3]), /224×160/],
    ['a grey-scale input', functional([{ name: 'gap', class_name: 'GlobalAveragePooling2D' }, { name: 'fc', class_name: 'Dense', config: { units: 1000 } }], [null, 28, 28, 1]), /28×28×1/],
    ['no classifier', { ...functional([]), modelTopology: { model_config: { class_name: 'Model', config: { layers: [functional([]).modelTopology.model_config.config.layers[0]], output_layers: [['input_1', 0, 0]] } } } }, /No linear classifier/],
    ['a classifier with no pooling before it', functional([{ name: 'fc', class_name: 'Dense', config: { units: 1000 } }]), /No convolutional feature map/],
  ])('refuses %s with a message that says why', (_, json, message) => {
    expect(() => inspectModelJson(json)).toThrow(ImportError);
    expect(() => inspectModelJson(json)).toThrow(message);
  });
});
