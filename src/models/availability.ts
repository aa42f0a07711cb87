/**
 * Which built-in models this deployment actually serves. `npm run models` writes models/availability.json
 * (`{"models": {"<id>": {"available": false, "reason": "…"}}}`); a model it could not provision is listed
 * as unavailable with the reason. Without that file (deployments made before it existed, or no network)
 * every model counts as available, as before.
 */

export interface ModelAvailability {
  available: boolean;
  /** Why the model is missing, for the user. */
  reason?: string;
}

/** Model id → availability; ids not listed are available. */
export type AvailabilityMap = Readonly<Record<string, ModelAvailability>>;

/** Where the file is served, relative to the page (next to the models). */
export const AVAILABILITY_URL = 'models/availability.json';

/** Reads the file's content; anything that is not a well-formed entry is ignored (that model stays available). */
export function decodeAvailability(json: unknown): AvailabilityMap {
  const models = (json as { models?: unknown } | null)?.models;
  if (typeof models !== 'object' || models === null) return {};
  const map: Record<string, ModelAvailability> = {};
  for (const [id, entry] of Object.entries(models)) {
    const { available, reason } = (entry ?? {}) as { available?: unknown; reason?: unknown };
    if (typeof available !== 'boolean') continue;
    map[id] = typeof reason === 'string' ? { available, reason } : { available };
  }
  return map;
}

export function isAvailable(availability: AvailabilityMap, id: string): boolean {
  return availability[id]?.available !== false;
}

/** `preferred` when it is available, else the first available of `ids`, else undefined. */
export function pickAvailable<Id extends string>(availability: AvailabilityMap, ids: readonly Id[], preferred: Id): Id | undefined {
  return isAvailable(availability, preferred) ? preferred : ids.find((id) => isAvailable(availability, id));
}

let loading: Promise<AvailabilityMap> | undefined;

/** Fetched once per page; a missing or unreadable file means every model is available. */
export function loadAvailability(): Promise<AvailabilityMap> {
  loading ??= fetch(AVAILABILITY_URL, { cache: 'no-cache' })
    .then(async (response) => (response.ok ? decodeAvailability(await response.json()) : {}))
    .catch(() => ({}));
  return loading;
}
