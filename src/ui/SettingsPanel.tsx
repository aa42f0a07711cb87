import { useShallow } from 'zustand/react/shallow';
import { modelSession } from '../inference';
import { useAppStore } from '../store';
import { SelectField } from './SelectField';
import type { BackendPreference } from '../worker/protocol';

const BACKENDS: { id: BackendPreference; label: string }[] = [
  { id: 'auto', label: 'Automatic (fastest measured)' },
  { id: 'webgl', label: 'WebGL (GPU)' },
  { id: 'wasm', label: 'WebAssembly (CPU, SIMD)' },
  { id: 'cpu', label: 'Plain JavaScript (slow)' },
];

/** Threshold and backend choice; both are remembered on this device. */
export function SettingsPanel() {
  const { threshold, backendPreference, backend, update } = useAppStore(
    useShallow((s) => ({ threshold: s.threshold, backendPreference: s.backendPreference, backend: s.backend, update: s.updateSettings })),
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
      {backend && (
        <p className="hint" data-testid="backend.reason">
          Running on <strong>{backend.backend}</strong>: {backend.reason}.
        </p>
      )}
    </section>
  );
}
