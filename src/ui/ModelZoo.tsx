import { MODELS } from '../models/registry';
import { useAppStore } from '../store';
import { milliseconds, percent } from './format';

/** The registry's facts side by side, with what this device measured. */
export function ModelZoo() {
  const latency = useAppStore((s) => s.latency);
  const current = useAppStore((s) => s.modelId);
  return (
    <section className="panel zoo" aria-labelledby="zoo-title">
      <h2 id="zoo-title">Model zoo</h2>
      <div className="table-scroll">
        <table data-testid="model.zoo">
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Size</th>
              <th scope="col">Top-1</th>
              <th scope="col">Top-5</th>
              <th scope="col">Params</th>
              <th scope="col">Depth</th>
              <th scope="col">Load</th>
              <th scope="col">Predict</th>
            </tr>
          </thead>
          <tbody>
            {MODELS.map((model) => {
              const measured = latency[model.id];
              return (
                <tr key={model.id} className={model.id === current ? 'current' : undefined}>
                  <th scope="row">{model.displayName}</th>
                  <td>{model.zoo.sizeMB} MB</td>
                  <td>{percent(model.zoo.top1)}</td>
                  <td>{percent(model.zoo.top5)}</td>
                  <td>{(model.zoo.parameters / 1e6).toFixed(1)} M</td>
                  <td>{model.zoo.depth}</td>
                  <td>{measured ? `${milliseconds(measured.loadMs)}${measured.fromCache ? ' (cache)' : ''}` : '—'}</td>
                  <td data-testid="zoo.latency">{milliseconds(measured?.steadyMs)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="hint">Accuracy: ImageNet validation, as published for the Keras models. Load and predict times: measured on this device.</p>
    </section>
  );
}
