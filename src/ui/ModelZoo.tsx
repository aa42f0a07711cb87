import type { ModelSpec } from '../models/registry';
import { useAppStore } from '../store';
import type { ModelLatency } from '../store/session';
import { milliseconds, percent } from './format';
import { ModelImport } from './ModelImport';

type Row = { label: string; testId?: string; value: (model: ModelSpec, measured: ModelLatency | undefined) => string };

/** A fact the catalog may not know: "—" when it does not. */
const known = (value: number | null, show: (value: number) => string) => (value === null ? '—' : show(value));

const ROWS: Row[] = [
  { label: 'Size', value: (m) => `${m.zoo.sizeMB} MB` },
  { label: 'ImageNet top-1', value: (m) => known(m.zoo.top1, percent) },
  { label: 'ImageNet top-5', value: (m) => known(m.zoo.top5, percent) },
  { label: 'Parameters', value: (m) => known(m.zoo.parameters, (n) => `${(n / 1e6).toFixed(1)} M`) },
  { label: 'Depth (layers)', value: (m) => known(m.zoo.depth, String) },
  { label: 'Input', value: (m) => `${m.inputSize}×${m.inputSize}` },
  { label: 'Load here', value: (_, t) => (t ? `${milliseconds(t.loadMs)}${t.fromCache ? ' (cache)' : ''}` : '—') },
  { label: 'Predict here', testId: 'zoo.latency', value: (_, t) => milliseconds(t?.steadyMs) },
];

/** The models' facts side by side, with what this device measured. */
export function ModelZoo() {
  const latency = useAppStore((s) => s.latency);
  const current = useAppStore((s) => s.modelId);
  const models = useAppStore((s) => s.models);
  return (
    <section className="panel zoo" aria-labelledby="zoo-title">
      <h2 id="zoo-title">Model zoo</h2>
      <div className="table-scroll">
        <table data-testid="model.zoo">
          <thead>
            <tr>
              <td />
              {models.map((model) => (
                <th key={model.id} scope="col" className={model.id === current ? 'current' : undefined}>
                  {model.displayName}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {ROWS.map((row) => (
              <tr key={row.label}>
                <th scope="row">{row.label}</th>
                {models.map((model) => (
                  <td key={model.id} data-testid={row.testId} data-model={model.id}>
                    {row.value(model, latency[model.id])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="hint">Size and accuracy as this site’s model catalog gives them (ImageNet validation, as published for each model; “—” where none is). “Here”: measured on this device (prediction: median of recent photos, including the heatmap).</p>
      <ModelImport />
    </section>
  );
}
