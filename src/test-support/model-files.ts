/**
 * Test-only helpers: read the provisioned Keras layers models straight from public/models/ (no server,
 * no fetch), and pin TF.js to the pure-JS cpu backend that Node offers without tfjs-node.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { catalogEntry, MANIFEST } from '../../scripts/models/provision.mjs';
import { readCatalog } from '../models/catalog';
import type { ModelSpec } from '../models/registry';

/** Absolute path of public/models/. */
export const MODELS_DIR = fileURLToPath(new URL('../../public/models/', import.meta.url));

export interface ModelJson {
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string;
}

/** Where the app would find the catalog, for resolving its entries in tests. */
export const TEST_CATALOG_URL = 'http://localhost/models/catalog.json';

/** The built-in models as the app reads them from the catalog provisioning writes (source: scripts/models/models.json). */
export const BUILT_IN_MODELS: readonly ModelSpec[] = readCatalog(
  { models: MANIFEST.models.map((model: { id: string }) => catalogEntry(model, { available: true })) },
  TEST_CATALOG_URL,
).models;

/** A built-in model by id; throws on an unknown id. */
export function builtInModel(id: string): ModelSpec {
  const spec = BUILT_IN_MODELS.find((model) => model.id === id);
  if (!spec) throw new Error(`No built-in model "${id}" in scripts/models/models.json`);
  return spec;
}

export function modelDir(id: string): string {
  return join(MODELS_DIR, id);
}

export function readModelJson(id: string): ModelJson {
  return JSON.parse(readFileSync(join(modelDir(id), 'model.json'), 'utf8')) as ModelJson;
}

/** Names of every layer in a model.json topology (Keras `model_config` or bare `config`). */
export function topologyLayerNames(json: ModelJson): string[] {
  const topology = json.modelTopology as { model_config?: { config: { layers: { name: string }[] } }; config?: { layers: { name: string }[] } };
  const config = topology.model_config?.config ?? topology.config;
  if (!config) throw new Error('model.json has no Keras model config');
  return config.layers.map((layer) => layer.name);
}

/** An IOHandler that loads model.json and its shards (in manifest order) from a directory on disk. */
export function diskIOHandler(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as ModelJson;
      const weightSpecs: tf.io.WeightsManifestEntry[] = [];
      const buffers: Uint8Array[] = [];
      for (const group of json.weightsManifest) {
        weightSpecs.push(...group.weights);
        for (const path of group.paths) buffers.push(readFileSync(join(dir, path)));
      }
      const total = buffers.reduce((sum, b) => sum + b.byteLength, 0);
      const weightData = new Uint8Array(total);
      let offset = 0;
      for (const b of buffers) {
        weightData.set(b, offset);
        offset += b.byteLength;
      }
      return {
        modelTopology: json.modelTopology,
        weightSpecs,
        weightData: weightData.buffer,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy ?? undefined,
      };
    },
  };
}

export function loadModelFromDisk(id: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(diskIOHandler(modelDir(id)));
}

/** Call in a beforeAll: the pure-JS backend, the only one Node has here. */
export async function useCpuBackend(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}
