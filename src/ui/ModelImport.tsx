import { useId, useState, type DragEvent } from 'react';
import { errorMessage } from '../errors';
import { readDrop } from '../intake/folders';
import { addUserModel, removeUserModel } from '../inference/user-models';
import { inspectModelJson, type ModelInspection } from '../models/import/inspect';
import { readLabelsFile } from '../models/import/labels-file';
import { assembleModel, type ModelFiles, type PickedFile } from '../models/import/model-files';
import { userModelSpec } from '../models/import/user-spec';
import type { PreprocessMode } from '../models/registry';
import { useAppStore } from '../store';
import { SelectField, type Choice } from './SelectField';

const PREPROCESSING: readonly Choice<PreprocessMode>[] = [
  { id: 'unit', label: '[0, 1]: pixels ÷ 255 (Darknet, many TF and PyTorch ports)' },
  { id: 'symmetric', label: '[−1, 1]: pixels ÷ 127.5 − 1 (MobileNet, Inception, Keras “tf”)' },
  { id: 'caffe', label: 'Keras “caffe”: BGR minus the ImageNet means (ResNet, VGG)' },
];

const HEADS: Record<ModelInspection['head'], string> = {
  'gap-linear': 'global average pooling → linear classifier: CAM and Grad-CAM',
  'linear-gap': 'linear classifier (1×1 convolution) → global average pooling: CAM and Grad-CAM',
  other: 'not a linear classifier right after (or before) global average pooling: Grad-CAM only',
};

interface Picked {
  files: ModelFiles;
  inspection: ModelInspection;
}

interface Labels {
  name: string;
  text: string;
}

async function readPicked(list: ArrayLike<File> | null): Promise<PickedFile[]> {
  return Promise.all(
    Array.from(list ?? [], async (file) => ({ path: file.webkitRelativePath || file.name, bytes: new Uint8Array(await file.arrayBuffer()) })),
  );
}

function FileButton({ label, testId, onFiles, multiple, folder, accept }: { label: string; testId: string; onFiles: (files: FileList | null) => void; multiple?: boolean; folder?: boolean; accept?: string }) {
  return (
    <label className="button">
      {label}
      <input
        className="visually-hidden"
        data-testid={testId}
        type="file"
        multiple={multiple}
        accept={accept}
        {...(folder ? { webkitdirectory: '' } : {})}
        onChange={(event) => {
          onFiles(event.target.files);
          event.target.value = '';
        }}
      />
    </label>
  );
}

/**
 * Bring your own model: a TF.js layers model from local files (loose, a folder or a .zip) and a labels
 * file; what the model is made of is shown before it is added; nothing leaves the device.
 */
export function ModelImport() {
  const titleId = useId();
  const classes = useAppStore((s) => s.labels);
  const userModels = useAppStore((s) => s.userModels);
  const [picked, setPicked] = useState<Picked | null>(null);
  const [labels, setLabels] = useState<Labels | null>(null);
  const [preprocess, setPreprocess] = useState<PreprocessMode>('unit');
  const [featureLayer, setFeatureLayer] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  /** How deep a drag with files is inside the section (enter/leave pairs of its children). */
  const [dragDepth, setDragDepth] = useState(0);

  let wnids: string[] | null = null;
  let labelsError: string | null = null;
  if (picked && labels) {
    try {
      wnids = readLabelsFile(labels.text, labels.name, classes, picked.inspection.outputs);
    } catch (e) {
      labelsError = errorMessage(e);
    }
  }

  const pickModel = async (list: ArrayLike<File> | null) => {
    setError(null);
    setDone(null);
    try {
      const files = await assembleModel(await readPicked(list));
      const inspection = inspectModelJson(files.json);
      setPicked({ files, inspection });
      setFeatureLayer(inspection.featureLayers[0]);
      setName(files.suggestedName);
    } catch (e) {
      setPicked(null);
      setError(errorMessage(e));
    }
  };

  const pickLabels = async (list: FileList | null) => {
    const file = list?.[0];
    if (!file) return;
    setDone(null);
    setLabels({ name: file.name, text: await file.text() });
  };

  const add = async () => {
    if (!picked || !wnids) return;
    const spec = userModelSpec(picked.inspection, { displayName: name || picked.files.suggestedName, preprocess, featureLayer, outputWnidList: wnids });
    setBusy(true);
    setError(null);
    try {
      const kept = await addUserModel(spec, picked.files.artifacts);
      setPicked(null);
      setLabels(null);
      // A graph model's head is checked by running it: CAM may not hold even where the ops looked linear.
      const gradCamOnly = kept.gradCamOnly && !spec.gradCamOnly ? ' Its head did not prove linear when it was run, so its heatmaps are Grad-CAM only.' : '';
      setDone(`${spec.displayName} was added and is being loaded.${gradCamOnly} It is kept in this browser until you remove it.`);
    } catch (e) {
      setError(`${spec.displayName} could not be added: ${errorMessage(e)}. The model in use is unchanged.`);
    } finally {
      setBusy(false);
    }
  };

  const remove = async (id: string, displayName: string) => {
    setDone(null);
    try {
      await removeUserModel(id);
      setDone(`${displayName} was removed from this browser.`);
    } catch (e) {
      setError(`${displayName} could not be removed: ${errorMessage(e)}.`);
    }
  };

  // Files dropped on this section are the model's (a folder or a .zip too); the page's own drop handler
  // sees the drop as claimed (defaultPrevented) and does not take them for photos.
  const hasFiles = (event: DragEvent) => event.dataTransfer.types.includes('Files');
  const onDragEnter = (event: DragEvent) => hasFiles(event) && setDragDepth((depth) => depth + 1);
  const onDragLeave = (event: DragEvent) => hasFiles(event) && setDragDepth((depth) => Math.max(0, depth - 1));
  const onDragOver = (event: DragEvent) => hasFiles(event) && event.preventDefault();
  const onDrop = (event: DragEvent) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    setDragDepth(0);
    void readDrop(event.dataTransfer).then(({ files }) => pickModel(files));
  };

  const inspection = picked?.inspection;
  const camHolds = inspection?.camAvailable && featureLayer === inspection.featureLayers[0];
  return (
    <section
      className={dragDepth > 0 ? 'model-import drop-target' : 'model-import'}
      aria-labelledby={titleId}
      data-testid="model.import.panel"
      onDragEnter={onDragEnter}
      onDragLeave={onDragLeave}
      onDragOver={onDragOver}
      onDrop={onDrop}
    >
      <h3 id={titleId}>Add your own model</h3>
      <p className="hint">
        A TF.js model — a layers model or a graph model (model.json and its weight files, their folder, or a .zip) — of an ImageNet classifier, and a labels file — choose
        them or drop them on this section. Nothing is uploaded: the files are read and kept in this browser only.
      </p>
      <div className="actions">
        <FileButton label="Choose model files…" testId="model.import" multiple onFiles={(list) => void pickModel(list)} />
        <FileButton label="Choose a model folder…" testId="model.import.folder" folder onFiles={(list) => void pickModel(list)} />
      </div>
      {inspection && (
        <dl
          className="import-facts"
          data-testid="model.import.summary"
          data-format={inspection.format}
          data-outputs={inspection.outputs} data-input-size={inspection.inputSize} data-output={inspection.output} data-cam={String(Boolean(camHolds))}>
          <dt>Kind</dt>
          <dd>{inspection.format === 'graph' ? 'TF.js graph model (CAM only if its head proves linear when it is checked)' : 'TF.js layers model'}</dd>
          <dt>Input</dt>
          <dd>
            {inspection.inputSize}×{inspection.inputSize} RGB
          </dd>
          <dt>Outputs</dt>
          <dd>
            {inspection.outputs} classes, {inspection.output === 'softmax' ? 'already probabilities (softmax)' : 'logits (the app applies softmax)'}
          </dd>
          <dt>Head</dt>
          <dd>{HEADS[inspection.head]}</dd>
          <dt>Size</dt>
          <dd>
            {(inspection.weightBytes / 1e6).toFixed(1)} MB, {(inspection.parameters / 1e6).toFixed(2)} M parameters, {inspection.layerCount} {inspection.format === 'graph' ? 'operations' : 'layers'}
          </dd>
        </dl>
      )}
      {inspection && (
        <>
          <FileButton label={labels ? `Labels: ${labels.name}` : 'Choose a labels file…'} testId="model.import.labels" accept=".txt,.json,.csv,text/plain,application/json" onFiles={(list) => void pickLabels(list)} />
          <p className="hint">
            Keras’s imagenet_class_index.json, one WordNet id per line (n02113186 …), or one class name per line, in the model’s output order. Each output must be one of
            the 1000 ImageNet classes (a model with 1001 outputs may have a background class first).
          </p>
          {labelsError && (
            <p className="error-text" role="alert" data-testid="model.import.labels.error">
              {labelsError}
            </p>
          )}
          {wnids && (
            <p className="hint" data-testid="model.import.labels.ok">
              {wnids[0] === '' ? `Output 0 is a background class and is left out; the other ${wnids.length - 1} map to ImageNet classes.` : `All ${wnids.length} outputs map to ImageNet classes.`}
            </p>
          )}
          <SelectField label="Preprocessing (how pixels become the model’s input)" testId="model.import.preprocess" value={preprocess} choices={PREPROCESSING} onChange={setPreprocess} />
          <SelectField
            label={inspection.format === 'graph' ? 'Heatmap node (last convolutional feature map)' : 'Heatmap layer (last convolutional feature map)'}
            testId="model.import.layer"
            value={featureLayer}
            choices={inspection.featureLayers.map((layer, i) => ({ id: layer, label: i === 0 && inspection.camAvailable ? `${layer} (CAM and Grad-CAM)` : `${layer} (Grad-CAM)` }))}
            onChange={setFeatureLayer}
          />
          <label className="field">
            <span>Name in the model list</span>
            <input type="text" data-testid="model.import.name" value={name} maxLength={60} onChange={(e) => setName(e.target.value)} />
          </label>
          <div className="actions">
            <button type="button" className="primary" data-testid="model.import.add" disabled={!wnids || busy} onClick={() => void add()}>
              {busy ? 'Checking the model…' : 'Add model'}
            </button>
          </div>
        </>
      )}
      {error && (
        <p className="error-text" role="alert" data-testid="model.import.error">
          {error}
        </p>
      )}
      {done && (
        <p className="hint" role="status" data-testid="model.import.done">
          {done}
        </p>
      )}
      {userModels.length > 0 && (
        <ul className="user-models" aria-label="Your models">
          {userModels.map((model) => (
            <li key={model.id} data-testid="model.user" data-model={model.id}>
              <span>
                {model.displayName} <span className="muted">({model.gradCamOnly ? 'Grad-CAM' : 'CAM'}, {model.zoo.sizeMB} MB)</span>
              </span>
              <button type="button" className="danger" data-testid="model.user.remove" aria-label={`Remove ${model.displayName}`} onClick={() => void remove(model.id, model.displayName)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
