/**
 * The model in use: starts the worker with the chosen backend, reads the class labels and the catalog of
 * models, loads the chosen model (with progress), switches models, and restarts everything after a worker
 * crash. Work tied to a model (photo results) asks `isCurrent(token)` so that results for a replaced model
 * are dropped.
 */
import { fetchCatalog, type Catalog } from '../models/catalog';
import { decodeClassIndex } from '../models/labels';
import { findModel, IMAGENET_LABELS_URL, type ModelId, type ModelSpec } from '../models/registry';
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
    private readonly baseUri: () => string = () => document.baseURI,
    private readonly readCatalog: (baseUri: string) => Promise<Catalog> = fetchCatalog,
  ) {}

  /** The catalog, read once per page (a restart after a crash reuses it). */
  private catalog: Promise<Catalog> | undefined;

  /** The worker in use (for predictions). */
  get client(): InferenceClient {
    return this.host.client;
  }

  /** Starts (or restarts) the worker, its backend and the current model. */
  async start(): Promise<void> {
    const client = this.host.restart((error, restartable) => this.onCrash(error, restartable));
    const actions = this.store.getState();
    actions.engineStarting();
    let catalog: Catalog;
    try {
      const [backend, read] = await Promise.all([client.init(this.store.getState().backendPreference, this.store.getState().wasmThreads), this.loadCatalog(), this.loadLabels()]);
      this.store.getState().backendReady(backend);
      catalog = read;
    } catch (error) {
      if (!(error instanceof WorkerCrashedError)) this.store.getState().modelFailed(errorMessage(error));
      return;
    }
    const modelId = this.startingModel(catalog);
    if (!modelId) {
      this.store.getState().modelFailed('No model is installed on this server: run `npm run models` (it says what is missing and how to provide it).');
      return;
    }
    await this.switchModel(modelId);
  }

  /**
   * The remembered (or linked, `?model=`) model when this site offers it, else the catalog's default, else the
   * first available one. A remembered model that cannot be used gets a notice saying which one is used instead.
   */
  private startingModel(catalog: Catalog): ModelId | undefined {
    const { models, modelId: remembered } = this.store.getState();
    const offered = (id: ModelId | undefined) => (id ? findModel(models, id) : undefined);
    const usable = (spec: ModelSpec | undefined) => (spec && !spec.unavailable ? spec : undefined);
    const chosen = usable(offered(remembered)) ?? usable(offered(catalog.defaultId)) ?? models.find((model) => !model.unavailable);
    if (remembered && chosen && chosen.id !== remembered) {
      const before = offered(remembered);
      const why = before ? (before.unavailable ?? '') : `The model "${remembered}" is not offered here.`;
      this.store.getState().notify('info', `${why} Using ${chosen.displayName} instead.`);
    }
    return chosen?.id;
  }

  /** Reads the catalog (once) and lists its models, before any the user added; says which entries were skipped. */
  private async loadCatalog(): Promise<Catalog> {
    // A local handle: a start after a worker crash may begin while this one still waits for the catalog.
    let reading = this.catalog;
    if (!reading) {
      // A catalog that could not be read is read again on the next start.
      reading = this.readCatalog(this.baseUri()).catch((error: unknown) => {
        if (this.catalog === reading) this.catalog = undefined;
        throw error;
      });
      this.catalog = reading;
      const { notices } = await reading;
      for (const notice of notices) this.store.getState().notify('error', notice);
    }
    const catalog = await reading;
    const listed = new Set(catalog.models.map((model) => model.id));
    const others = this.store.getState().models.filter((model) => !listed.has(model.id));
    this.store.getState().modelsListed([...catalog.models, ...others]);
    return catalog;
  }

  /** Loads a model; everything that listens (the photo queue) redoes its work with it. */
  switchModel(modelId: ModelId): Promise<void> {
    const spec = findModel(this.store.getState().models, modelId);
    if (!spec) {
      this.store.getState().notify('error', `There is no model "${modelId}" here.`);
      return this.ready;
    }
    if (spec.unavailable) {
      this.store.getState().notify('error', spec.unavailable);
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
