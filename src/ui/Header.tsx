import { useShallow } from 'zustand/react/shallow';
import { switchModel } from '../app/engine';
import { getModel, isModelId, MODELS } from '../models/registry';
import { useAppStore } from '../store';
import { megabytes } from './format';

function ModelStatus() {
  const { modelState, progress, error, modelId, inferences, fromCache } = useAppStore(
    useShallow((s) => ({
      modelState: s.modelState,
      progress: s.loadProgress,
      error: s.modelError,
      modelId: s.modelId,
      inferences: s.inferences,
      fromCache: s.latency[s.modelId]?.fromCache ?? false,
    })),
  );
  const name = getModel(modelId).displayName;
  let text: string;
  if (modelState === 'ready') text = `${name} ready`;
  else if (modelState === 'error') text = `${name} failed to load`;
  else if (!progress) text = `Starting ${name}…`;
  else if (progress.fromCache) text = `Loading ${name} from this device…`;
  else if (progress.total > 0 && progress.loaded >= progress.total) text = `Preparing ${name}…`;
  else text = `Downloading ${name}: ${megabytes(progress.loaded)} of ${megabytes(progress.total)}`;
  const fraction = progress && progress.total > 0 ? progress.loaded / progress.total : undefined;
  return (
    <div className="model-status" data-testid="model.status" data-state={modelState}
      data-model={modelId}
      data-inferences={inferences}
      data-from-cache={modelState === 'ready' ? String(fromCache) : undefined}
      role="status" title={error ?? undefined}>
      <span className={`dot ${modelState}`} aria-hidden="true" />
      <span>{text}</span>
      {modelState === 'loading' && (
        <progress max={1} value={fraction} aria-label={`Loading ${name}`} />
      )}
    </div>
  );
}

function BackendBadge() {
  const backend = useAppStore((s) => s.backend);
  return (
    <span className="backend" title={backend?.reason}>
      <span className="muted">backend </span>
      <span data-testid="backend">{backend?.backend ?? '…'}</span>
      {backend?.backend === 'wasm' && (
        <span className="muted">{` (${[backend.wasmSimd && 'SIMD', backend.wasmThreads ? 'threads' : 'single thread'].filter(Boolean).join(', ')})`}</span>
      )}
    </span>
  );
}

export function Header() {
  const modelId = useAppStore((s) => s.modelId);
  return (
    <header className="header">
      <h1>
        What’s in the picture<span className="accent">?</span>
      </h1>
      <div className="header-controls">
        <label className="field inline">
          <span>Model</span>
          <select
            data-testid="model.select"
            value={modelId}
            onChange={(event) => {
              if (isModelId(event.target.value)) void switchModel(event.target.value, { rerun: true });
            }}
          >
            {MODELS.map((model) => (
              <option key={model.id} value={model.id}>
                {model.displayName}
              </option>
            ))}
          </select>
        </label>
        <ModelStatus />
        <BackendBadge />
      </div>
    </header>
  );
}
