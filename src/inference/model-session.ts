/**
 * The model in use: starts the worker with the chosen backend, loads the class labels and the model
 * (with progress), switches models, and restarts everything after a worker crash. Work tied to a
 * model (photo results) asks `isCurrent(token)` so that results for a replaced model are dropped.
 */
import { isAvailable, loadAvailability, pickAvailable, type AvailabilityMap } from '../models/availability';
import { decodeClassIndex } from '../models/labels';
import { findModel, IMAGENET_LABELS_URL, type ModelId } from '../models/registry';
import { useAppStore } from '../store';
import { WorkerCrashedError, type InferenceClient } from '../worker/client';
import { errorMessage } from '../errors';
import type { WorkerHost } from './worker-host';

type Store = typeof useAppStore;

async function fetchImagenetLabels() {
  const response = await fetch(IMAGENET_LABELS_URL);
  if (!response.ok) throw new Error(`ImageNet labels could not be loaded (HTTP ${response.status}); run \`npm run models\``);
  return decodeClassIndex(await response.json());
}

export class ModelSession {
  /** Bumped on every model switch and restart: work for an older model is dropped. */
  private generation = 0;
  private ready: Promise<void> = Promise.resolve();
  private readonly switchListeners = new Set<() => void>();

  constructor(
    private readonly host: WorkerHost,
    private readonly store: Store = useAppStore,
    private readonly fetchLabels = fetchImagenetLabels,
    private readonly fetchAvailability: () => Promise<AvailabilityMap> = loadAvailability,
    private readonly baseUri: () => string = () => document.baseURI,
  ) {}

  /** The worker in use (for predictions). */
  get client(): InferenceClient {
    return this.host.client;
  }

  /** Starts (or restarts) the worker, its backend and the current model. */
  async start(): Promise<void> {
    const client = this.host.restart((error, restartable) => this.onCrash(error, restartable));
    const actions = this.store.getState();
    actions.engineStarting();
    let availability: AvailabilityMap;
    try {
      const [backend] = await Promise.all([client.init(this.store.getState().backendPreference), this.loadLabels()]);
      this.store.getState().backendReady(backend);
      availability = await this.fetchAvailability();
      this.store.getState().availabilityLoaded(availability);
    } catch (error) {
      if (!(error instanceof WorkerCrashedError)) this.store.getState().modelFailed(errorMessage(error));
      return;
    }
    // The remembered (or default) model, unless this deployment does not serve it.
    const { models, modelId: preferred } = this.store.getState();
    const ids = models.map((m) => m.id);
    // A remembered model this deployment no longer lists counts as unavailable.
    const modelId = pickAvailable({ ...availability, ...(ids.includes(preferred) ? {} : { [preferred]: { available: false } }) }, ids, preferred);
    if (!modelId) {
      this.store.getState().modelFailed('No model is installed on this server: run `npm run models` (it says what is missing and how to provide it).');
      return;
    }
    await this.switchModel(modelId);
  }

  /** Loads a model; everything that listens (the photo queue) redoes its work with it. */
  switchModel(modelId: ModelId): Promise<void> {
    const spec = findModel(this.store.getState().models, modelId);
    if (!spec) {
      this.store.getState().notify('error', `There is no model "${modelId}" here.`);
      return this.ready;
    }
    const missing = this.store.getState().availability[modelId];
    if (!isAvailable(this.store.getState().availability, modelId)) {
      this.store.getState().notify('error', `${spec.displayName} is not available here: ${missing?.reason ?? 'its files were not provisioned'}.`);
      return this.ready;
    }
    const token = ++this.generation;
    const { modelLoading } = this.store.getState();
    modelLoading(modelId);
    this.ready = this.host.client
      .load(spec, new URL(spec.url, this.baseUri()).href, true, this.store.getState().labels.map((label) => label.wnid), (progress) => {
        if (token === this.generation) this.store.getState().modelProgress(progress);
      })
      .then((reply) => {
        if (token === this.generation) this.store.getState().modelLoaded(modelId, reply);
      })
      .catch((error: unknown) => {
        if (token !== this.generation || error instanceof WorkerCrashedError) return;
        this.store
          .getState()
          .modelFailed(
            navigator.onLine
              ? `${spec.displayName} could not be loaded: ${errorMessage(error)}`
              : `${spec.displayName} is not on this device yet and you are offline: connect once to download it (${spec.zoo.sizeMB} MB); after that it works offline.`,
          );
      });
    for (const listener of this.switchListeners) listener();
    return this.ready;
  }

  /** Calls `listener` whenever a model starts loading (its earlier results are out of date). */
  onSwitch(listener: () => void): () => void {
    this.switchListeners.add(listener);
    return () => this.switchListeners.delete(listener);
  }

  /** Settles when the model being loaded is ready or has failed. */
  whenSettled(): Promise<void> {
    return this.ready;
  }

  /** Identifies the model load that work started under. */
  get token(): number {
    return this.generation;
  }

  /** Lets the worker drop what it keeps for these photos (feature maps for re-explaining). */
  forget(keys: string[]): void {
    if (this.host.started) this.host.client.forget(keys);
  }

  isCurrent(token: number): boolean {
    return token === this.generation;
  }

  private async loadLabels() {
    if (this.store.getState().labels.length > 0) return;
    this.store.getState().labelsLoaded(await this.fetchLabels());
  }

  private onCrash(error: WorkerCrashedError, restartable: boolean) {
    if (!restartable) {
      this.store.getState().modelFailed(`${error.message}. It failed repeatedly, so it was not restarted; reload the page to try again.`);
      return;
    }
    this.store.getState().notify('error', `${error.message}. The model was restarted; your photos are kept and the current source goes on.`);
    void this.start();
  }
}
