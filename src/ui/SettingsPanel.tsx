import { useShallow } from 'zustand/react/shallow';
import { modelSession } from '../inference';
import { useAppStore } from '../store';
import { SelectField } from './SelectField';
import type { BackendPreference } from '../worker/protocol';
import { MAX_WASM_THREADS, threadsLabel, wantedThreads, wasmSingleThreadReason } from '../worker/thread-count';

const BACKENDS: { id: BackendPreference; label: string }[] = [
  { id: 'auto', label: 'Automatic (fastest measured)' },
  { id: 'webgl', label: 'WebGL (GPU)' },
  { id: 'wasm', label: 'WebAssembly (CPU, SIMD)' },
  { id: 'cpu', label: 'Plain JavaScript (slow)' },
];

/** 0 (automatic, with what it gives here), then 1 up to the cores (at least 2, at most 8). */
function threadChoices(cores: number): { id: string; label: string }[] {
  const most = Math.min(MAX_WASM_THREADS, Math.max(2, cores));
  const counts = Array.from({ length: most }, (_, i) => i + 1);
  return [{ id: '0', label: `Automatic (${threadsLabel(wantedThreads(cores))} here)` }, ...counts.map((n) => ({ id: String(n), label: threadsLabel(n) }))];
}

/** Threshold, backend and WASM threads; all are remembered on this device. */
export function SettingsPanel() {
  const { threshold, backendPreference, wasmThreads, backend, update } = useAppStore(
    useShallow((s) => ({ threshold: s.threshold, backendPreference: s.backendPreference, wasmThreads: s.wasmThreads, backend: s.backend, update: s.updateSettings })),
  );
  return (
    <section className="panel settings" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      <label className="field">
        <span>Confidence threshold {Math.round(threshold * 100)}%</span>
        <input
          data-testid="settings.threshold"
          type="range"
          min={0}
          max={1}
          step={0.01}
          value={threshold}
          onChange={(e) => update({ threshold: Number(e.target.value) })}
        />
      </label>
      <p className="hint">Classes below the threshold are greyed out.</p>
      <SelectField
        label="Compute backend"
        testId="settings.backend"
        value={backendPreference}
        choices={BACKENDS}
        onChange={(id: BackendPreference) => {
          update({ backendPreference: id });
          void modelSession.start();
        }}
      />
      {backend?.backend === 'wasm' && wasmSingleThreadReason() === null && (
        <SelectField
          label="WebAssembly threads"
          testId="settings.threads"
          value={String(wasmThreads)}
          choices={threadChoices(navigator.hardwareConcurrency || 1)}
          onChange={(id) => {
            update({ wasmThreads: Number(id) });
            void modelSession.start();
          }}
        />
      )}
      {backend && (
        <p className="hint" data-testid="backend.reason">
          Running on <strong>{backend.backend}</strong>: {backend.reason}.
        </p>
      )}
    </section>
  );
}
