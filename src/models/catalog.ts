/**
 * The catalog: models/catalog.json, written by `npm run models` (and editable by whoever deploys the app), lists
 * the models this site offers. Each entry is checked here field by field: an entry with a missing or wrong field
 * is skipped with a notice naming it and the field, the others are offered. An entry whose files are on another
 * site is listed as unavailable and never fetched (the app loads nothing from other origins).
 */
import type { ModelId, ModelSpec, ZooFacts } from './registry';

/** Where the catalog is served, relative to the page (next to the models). */
export const CATALOG_URL = 'models/catalog.json';

export interface Catalog {
  /** Valid entries, in the catalog's order; those this site cannot serve carry `unavailable`. */
  models: ModelSpec[];
  /** The model to start with when the user has not chosen one (the catalog's `default`, when it lists it). */
  defaultId?: ModelId;
  /** One plain sentence per entry that was skipped or refused. */
  notices: string[];
}

/** The catalog as a whole could not be used (missing, not JSON, no list): nothing can be offered. */
export class CatalogError extends Error {
  override name = 'CatalogError';
}

export type UrlCheck = { ok: true; href: string } | { ok: false; reason: string };

/**
 * The rule for a model's address: any path on this site (`/elsewhere/x/model.json`, `../other/model.json`,
 * resolved against `base`); an address on another site, or one that is not a web address, is refused.
 */
export function checkModelUrl(url: string, base: string): UrlCheck {
  let resolved: URL;
  try {
    resolved = new URL(url, base);
  } catch {
    return { ok: false, reason: `"${url}" is not a valid address` };
  }
  const site = new URL(base).origin;
  if (resolved.protocol !== 'http:' && resolved.protocol !== 'https:') {
    return { ok: false, reason: `"${url}" is not a web address on this site (${site})` };
  }
  if (resolved.origin !== site) {
    return { ok: false, reason: `its files are on another site (${resolved.origin}), and this app loads models only from its own site (${site})` };
  }
  return { ok: true, href: resolved.href };
}

/** A field's check: undefined when the value is right, else what it must be. */
type Check = (value: unknown) => string | undefined;

const text: Check = (v) => (typeof v === 'string' && v.trim() !== '' ? undefined : 'must be a non-empty text');
const oneOf = (...values: string[]): Check => (v) => (typeof v === 'string' && values.includes(v) ? undefined : `must be one of ${values.map((x) => `"${x}"`).join(', ')}`);
const wholeNumber = (min: number, max: number, unit: string): Check => (v) =>
  Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? undefined : `must be a whole number of ${unit} from ${min} to ${max}`;
const positive: Check = (v) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? undefined : 'must be a number above 0');
const optional = (check: Check): Check => (v) => (v === undefined || v === null ? undefined : check(v));
const fraction: Check = (v) => (typeof v === 'number' && v > 0 && v <= 1 ? undefined : 'must be a fraction between 0 and 1 (0.75 for 75 %), or null when unknown');

const ID: Check = (v) => (typeof v === 'string' && /^[\w.-]+$/.test(v) ? undefined : 'must be letters, digits, ".", "_" or "-" (no spaces)');

const FIELDS: Record<string, Check> = {
  id: ID,
  displayName: text,
  url: text,
  format: optional(oneOf('layers', 'graph')),
  inputSize: wholeNumber(32, 1024, 'pixels'),
  preprocess: oneOf('caffe', 'symmetric', 'unit'),
  output: oneOf('softmax', 'logits'),
  outputWnids: optional(text),
  featureLayer: text,
  classifierLayer: text,
  available: optional((v) => (typeof v === 'boolean' ? undefined : 'must be true or false')),
  reason: optional(text),
};

const ZOO_FIELDS: Record<keyof ZooFacts, Check> = {
  sizeMB: positive,
  top1: optional(fraction),
  top5: optional(fraction),
  parameters: optional(wholeNumber(1, Number.MAX_SAFE_INTEGER, 'weights')),
  depth: optional(wholeNumber(1, 100_000, 'layers')),
};

const shown = (value: unknown) => (value === undefined ? 'missing' : `it is ${JSON.stringify(value)}`);

/** The first wrong field of an entry as `"field" must be … (it is …)`, or undefined when all are right. */
function firstProblem(entry: Record<string, unknown>): string | undefined {
  for (const [field, check] of Object.entries(FIELDS)) {
    const problem = check(entry[field]);
    if (problem) return `"${field}" ${problem} (${shown(entry[field])})`;
  }
  const zoo = entry.zoo;
  if (typeof zoo !== 'object' || zoo === null) return `"zoo" must be an object with at least "sizeMB" (${shown(zoo)})`;
  for (const [field, check] of Object.entries(ZOO_FIELDS)) {
    const value = (zoo as Record<string, unknown>)[field];
    const problem = check(value);
    if (problem) return `"zoo.${field}" ${problem} (${shown(value)})`;
  }
  return undefined;
}

/** A checked entry as the app holds it; `refused` says why its files may not be fetched. */
function toSpec(entry: Record<string, unknown>, url: string, refused: string | undefined): ModelSpec {
  const zoo = entry.zoo as Record<string, unknown>;
  const num = (value: unknown) => (typeof value === 'number' ? value : null);
  const spec: ModelSpec = {
    id: entry.id as string,
    displayName: entry.displayName as string,
    url,
    inputSize: entry.inputSize as number,
    preprocess: entry.preprocess as ModelSpec['preprocess'],
    output: entry.output as ModelSpec['output'],
    featureLayer: entry.featureLayer as string,
    classifierLayer: entry.classifierLayer as string,
    zoo: { sizeMB: zoo.sizeMB as number, top1: num(zoo.top1), top5: num(zoo.top5), parameters: num(zoo.parameters), depth: num(zoo.depth) },
  };
  if (typeof entry.outputWnids === 'string') spec.outputWnids = entry.outputWnids;
  if (entry.format === 'graph') spec.format = 'graph';
  if (refused) spec.unavailable = `${spec.displayName} was refused: ${refused}.`;
  else if (entry.available === false) spec.unavailable = (entry.reason as string | undefined) ?? `${spec.displayName} is not installed on this server.`;
  return spec;
}

/**
 * Reads the catalog's content. `catalogUrl` is the catalog's absolute address: entries' `url`s are relative to it
 * (or any path on its site). Throws a CatalogError when the content is not a catalog at all.
 */
export function readCatalog(json: unknown, catalogUrl: string): Catalog {
  const list = (json as { models?: unknown } | null)?.models;
  if (typeof json !== 'object' || json === null || !Array.isArray(list)) {
    throw new CatalogError(`The list of models (${CATALOG_URL}) has no "models" list; run \`npm run models\` to write it again.`);
  }
  const models: ModelSpec[] = [];
  const notices: string[] = [];
  list.forEach((raw: unknown, index) => {
    const entry = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const name = typeof entry.id === 'string' && entry.id !== '' ? `"${entry.id}"` : `number ${index + 1}`;
    const problem = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? firstProblem(entry) : 'is not an object';
    if (problem) {
      notices.push(`The model entry ${name} in ${CATALOG_URL} was skipped: ${problem}.`);
      return;
    }
    if (models.some((model) => model.id === entry.id)) {
      notices.push(`The model entry ${name} in ${CATALOG_URL} was skipped: an earlier entry has the same id.`);
      return;
    }
    const url = checkModelUrl(entry.url as string, catalogUrl);
    // Its class list is fetched from next to model.json unless it names another address: the same rule applies.
    const files = url.ok && typeof entry.outputWnids === 'string' ? checkModelUrl(entry.outputWnids, url.href) : url;
    const spec = toSpec(entry, url.ok ? url.href : (entry.url as string), files.ok ? undefined : files.reason);
    if (spec.unavailable && !files.ok) notices.push(spec.unavailable);
    models.push(spec);
  });
  const wanted = (json as { default?: unknown }).default;
  const defaultId = typeof wanted === 'string' && models.some((model) => model.id === wanted) ? wanted : undefined;
  return { models, notices, ...(defaultId ? { defaultId } : {}) };
}

/** Fetches and reads the catalog (always asking the server, so a changed catalog is seen at once). */
export async function fetchCatalog(baseUri: string = document.baseURI): Promise<Catalog> {
  const url = new URL(CATALOG_URL, baseUri).href;
  let response: Response;
  try {
    response = await fetch(url, { cache: 'no-cache' });
  } catch {
    throw new CatalogError(`The list of models (${CATALOG_URL}) could not be read: the server does not answer. Check your connection and reload.`);
  }
  if (response.status === 404) throw new CatalogError(`This server offers no models yet: ${CATALOG_URL} is missing. Run \`npm run models\` (it writes it).`);
  if (!response.ok) throw new CatalogError(`The list of models (${CATALOG_URL}) could not be read (HTTP ${response.status}). Reload to try again.`);
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw new CatalogError(`The list of models (${CATALOG_URL}) is not valid JSON; run \`npm run models\` or fix the file.`);
  }
  return readCatalog(json, url);
}
