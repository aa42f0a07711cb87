/**
 * The files a user picked or dropped (loose files, a folder, or a .zip) → one model: its parsed
 * model.json and its weights in manifest order, checked to be complete. Pure.
 */
import { weightBytes, type WeightEntry, type WeightsGroup } from '../manifest';
import { ImportError } from './errors';

export interface PickedFile {
  /** Path as picked: `folder/model.json` for a folder or a zip entry, the bare name for loose files. */
  path: string;
  bytes: Uint8Array;
}

/** A model in memory, as tf.io.fromMemory takes it (the worker stores it in IndexedDB). */
export interface ImportArtifacts {
  modelTopology: unknown;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  /** A graph model's signature (its named inputs and outputs), when model.json has one. */
  signature?: object;
  weightSpecs: WeightEntry[];
  /** Every weight file's bytes, concatenated in manifest order. */
  weightData: ArrayBuffer;
}

export interface ModelFiles {
  /** model.json, parsed. */
  json: Record<string, unknown>;
  artifacts: ImportArtifacts;
  /** A name for the model: its folder's or zip's name. */
  suggestedName: string;
}

const baseName = (path: string) => path.split('/').pop() ?? path;
const dirName = (path: string) => path.split('/').slice(0, -1).join('/');

/** Zip archives are opened (fflate is loaded only then); other files are kept as they are. */
async function expandArchives(files: PickedFile[]): Promise<PickedFile[]> {
  if (!files.some((file) => /\.zip$/i.test(file.path))) return files;
  const { unzipSync } = await import('fflate');
  return files.flatMap((file) => {
    if (!/\.zip$/i.test(file.path)) return [file];
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipSync(file.bytes);
    } catch (error) {
      throw new ImportError(`${baseName(file.path)} could not be opened as a zip archive (${(error as Error).message}).`);
    }
    const archive = baseName(file.path).replace(/\.zip$/i, '');
    return Object.entries(entries)
      .filter(([path]) => !path.endsWith('/') && !path.startsWith('__MACOSX/'))
      .map(([path, bytes]) => ({ path: `${archive}/${path}`, bytes }));
  });
}

function findModelJson(files: PickedFile[]): PickedFile {
  const candidates = files.filter((file) => baseName(file.path).toLowerCase() === 'model.json');
  if (candidates.length === 0) {
    const names = files.slice(0, 5).map((f) => baseName(f.path)).join(', ');
    throw new ImportError(`There is no model.json among the files (${names}${files.length > 5 ? ', …' : ''}): pick a TF.js model's model.json with its weight files, its folder, or a .zip of it.`);
  }
  if (candidates.length > 1) throw new ImportError(`There are ${candidates.length} model.json files: pick one model at a time.`);
  return candidates[0];
}

function parseModelJson(file: PickedFile): Record<string, unknown> {
  const text = new TextDecoder().decode(file.bytes);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const start = text.trim().slice(0, 40).replace(/\s+/g, ' ');
    throw new ImportError(`${baseName(file.path)} is not a TF.js model file: it is not JSON (it starts “${start}”).`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ImportError(`${baseName(file.path)} is not a TF.js model file.`);
  return json as Record<string, unknown>;
}

/** The picked file that a manifest path names: next to model.json, else anywhere by its name. */
function shardFile(files: PickedFile[], modelDir: string, path: string): PickedFile | undefined {
  const wanted = modelDir ? `${modelDir}/${path}` : path;
  return files.find((f) => f.path === wanted) ?? files.find((f) => baseName(f.path) === baseName(path));
}

export async function assembleModel(picked: PickedFile[]): Promise<ModelFiles> {
  const files = await expandArchives(picked);
  const modelFile = findModelJson(files);
  const json = parseModelJson(modelFile);
  const groups = (Array.isArray(json.weightsManifest) ? json.weightsManifest : []) as WeightsGroup[];
  const modelDir = dirName(modelFile.path);
  const missing = groups.flatMap((g) => g.paths).filter((path) => !shardFile(files, modelDir, path));
  if (missing.length > 0) {
    const named = missing.slice(0, 5).join(', ') + (missing.length > 5 ? ` and ${missing.length - 5} more` : '');
    throw new ImportError(`${missing.length === 1 ? 'A weight file is' : `${missing.length} weight files are`} missing: ${named}. Add ${missing.length === 1 ? 'it' : 'them'} with model.json (or pick the whole folder).`);
  }
  const parts: Uint8Array[] = [];
  for (const group of groups) {
    const shards = group.paths.map((path) => shardFile(files, modelDir, path)!);
    const have = shards.reduce((sum, s) => sum + s.bytes.byteLength, 0);
    const expected = group.weights.reduce((sum, w) => sum + weightBytes(w), 0);
    if (have !== expected) {
      throw new ImportError(
        `The weight file${shards.length > 1 ? 's' : ''} ${group.paths.join(', ')} ${shards.length > 1 ? 'have' : 'has'} ${have} bytes; model.json expects ${expected} (incomplete, or from another model).`,
      );
    }
    parts.push(...shards.map((s) => s.bytes));
  }
  const weightData = new Uint8Array(parts.reduce((sum, p) => sum + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    weightData.set(part, offset);
    offset += part.byteLength;
  }
  const folder = baseName(modelDir);
  return {
    json,
    artifacts: {
      modelTopology: json.modelTopology,
      format: typeof json.format === 'string' ? json.format : undefined,
      generatedBy: typeof json.generatedBy === 'string' ? json.generatedBy : undefined,
      convertedBy: typeof json.convertedBy === 'string' ? json.convertedBy : null,
      ...(typeof json.signature === 'object' && json.signature !== null ? { signature: json.signature } : {}),
      weightSpecs: groups.flatMap((g) => g.weights),
      weightData: weightData.buffer,
    },
    suggestedName: folder || 'My model',
  };
}
