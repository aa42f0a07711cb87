import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { modelSession } from '../inference';
import { reportedDeviceMemory, tooLargeForDevice } from '../models/memory-fit';
import { findModel, type ModelId } from '../models/registry';
import { modelName, useAppStore } from '../store';
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
  const name = useAppStore((s) => modelName(s, modelId));
  let text: string;
  // No model chosen yet: the list of models is being read (or could not be).
  if (!modelId) text = modelState === 'error' ? 'No model could be started' : 'Reading the list of models…';
  else if (modelState === 'ready') text = `${name} ready`;
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
        <progress max={1} value={fraction} aria-label={`Loading ${name || 'the list of models'}`} />
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
        <span className="muted">{` (${[backend.wasmSimd && 'SIMD', backend.wasmThreads > 1 ? `${backend.wasmThreads} threads` : 'single thread'].filter(Boolean).join(', ')})`}</span>
      )}
    </span>
  );
}

/** Asks before a large download on a device that reports little memory; the choice is the user's. */
function LargeModelConfirm({ modelId, onDone }: { modelId: ModelId; onDone: () => void }) {
  const models = useAppStore((s) => s.models);
  const model = findModel(models, modelId);
  const currentName = useAppStore((s) => modelName(s, s.modelId));
  if (!model) return null;
  return (
    <div className="memory-confirm" role="alertdialog" aria-labelledby="memory-confirm-text" data-testid="model.memory.confirm">
      <p id="memory-confirm-text">
        {model.displayName} downloads {model.zoo.sizeMB} MB and needs several times that in memory. This device reports only {reportedDeviceMemory()} GB:
        the page may become slow or be closed by the browser. {currentName} is lighter.
      </p>
      <div className="actions">
        <button
          type="button"
          data-testid="model.memory.proceed"
          onClick={() => {
            onDone();
            void modelSession.switchModel(modelId);
          }}
        >
          Download anyway
        </button>
        <button type="button" className="primary" data-testid="model.memory.cancel" onClick={onDone}>
          Keep {currentName}
        </button>
      </div>
    </div>
  );
}

export function Header() {
  const modelId = useAppStore((s) => s.modelId);
  const models = useAppStore((s) => s.models);
  const [confirming, setConfirming] = useState<ModelId | null>(null);
  const memory = reportedDeviceMemory();
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
              const chosen = event.target.value;
              const spec = findModel(models, chosen);
              if (!spec) return;
              if (tooLargeForDevice(spec, memory)) setConfirming(chosen);
              else void modelSession.switchModel(chosen);
            }}
          >
            {models.map((model) => {
              const missing = model.unavailable;
              const large = !missing && tooLargeForDevice(model, memory) ? ` (${Math.round(model.zoo.sizeMB)} MB, large for this device)` : '';
              return (
                <option key={model.id} value={model.id} disabled={missing !== undefined} title={missing}
                  data-available={missing ? 'false' : 'true'}>
                  {missing ? `${model.displayName} (unavailable)` : `${model.displayName}${large}`}
                </option>
              );
            })}
          </select>
        </label>
        <ModelStatus />
        <BackendBadge />
      </div>
      {confirming && <LargeModelConfirm modelId={confirming} onDone={() => setConfirming(null)} />}
    </header>
  );
}
