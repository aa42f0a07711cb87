import { useDeferredValue } from 'react';
import { explainer } from '../photos';
import { exportHeatmapPng, exportMapJson, heatmapLabel } from '../photos/exports';
import { useAppStore, selectSelectedPhoto } from '../store';
import { ClassSearch } from './ClassSearch';
import { ContrastPanel } from './ContrastPanel';
import { FaithfulnessPanel } from './FaithfulnessPanel';
import { Groups } from './Groups';
import { HeatmapControls } from './HeatmapControls';
import { PhotoStage } from './PhotoStage';

/** Before any photo: what will happen, and that it happens on this device. */
function EmptyViewer() {
  return (
    <section className="panel viewer empty-state" aria-labelledby="viewer-title" data-testid="viewer.empty">
      <h2 id="viewer-title">See what a neural network sees</h2>
      <ol>
        <li>Choose a photo, take one, drop or paste it — or tap a sample above.</li>
        <li>The model names the five most likely of 1,000 everyday things (dogs, cups, cars…), with how sure it is.</li>
        <li>A heatmap shows where in the picture it found the evidence. Tap another class to see where that one is.</li>
      </ol>
      <p className="hint">
        Everything runs here, in your browser: your photos, webcam and videos never leave this device. The model is downloaded once, then
        works offline.
      </p>
    </section>
  );
}

/** The selected photo, large, with its heatmap, the controls and the per-photo exports. */
export function Viewer() {
  // Rendered at background priority, in slices: showing a photo (the stage, its heatmap, two choosers of
  // 1000 classes) never blocks the page, even when its first result arrives in the middle of a batch.
  const photo = useDeferredValue(useAppStore(selectSelectedPhoto));
  const view = useAppStore((s) => s.view);
  const firstVisit = useAppStore((s) => s.photos.length === 0 && s.liveKind === null);
  if (!photo) return firstVisit ? <EmptyViewer /> : null;
  const ready = photo.state === 'done' && photo.cam !== null;
  const label = ready ? heatmapLabel(photo) : '';
  const reexplain = (classIndex: number) => void explainer.explain(photo.id, classIndex);
  return (
    <section className="panel viewer" aria-labelledby="viewer-title">
      <div className="panel-head">
        <h2 id="viewer-title">
          {ready ? label : photo.name}
          {ready && photo.cam?.method === 'gradcam' && <span className="muted"> · Grad-CAM</span>}
        </h2>
        {ready && (
          <div className="actions">
            <button type="button" data-testid="export.png" onClick={() => void exportHeatmapPng(photo)}>
              Save PNG
            </button>
            <button type="button" data-testid="export.map" onClick={() => exportMapJson(photo)}>
              Map JSON
            </button>
          </div>
        )}
      </div>
      {photo.crop && (
        <div className={view === 'side-by-side' ? 'stages two' : 'stages'}>
          {view === 'side-by-side' && <PhotoStage photo={photo} heatmap={false} label={label} />}
          <PhotoStage photo={photo} heatmap={ready && view !== 'photo'} label={label} />
        </div>
      )}
      <p className="hint">
        The dashed square is what the model saw (the shorter side scaled to 256, centre 224 px). Hot colours show where the evidence for the class is.
      </p>
      {ready && photo.cam && (
        <>
          <Groups photo={photo} />
          <HeatmapControls />
          <ClassSearch onPick={reexplain} onPickGroup={(wnid) => void explainer.explainGroup(photo.id, wnid)} />
          <ContrastPanel key={`${photo.id}|${photo.modelId}`} photo={photo} />
          <FaithfulnessPanel photo={photo} />
        </>
      )}
    </section>
  );
}
