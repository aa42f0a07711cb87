import { explainer } from '../photos';
import { exportHeatmapPng, exportMapJson, heatmapLabel } from '../photos/exports';
import { useAppStore, selectSelectedPhoto } from '../store';
import { ClassSearch } from './ClassSearch';
import { HeatmapControls } from './HeatmapControls';
import { PhotoStage } from './PhotoStage';

/** The selected photo, large, with its heatmap, the controls and the per-photo exports. */
export function Viewer() {
  const photo = useAppStore(selectSelectedPhoto);
  const view = useAppStore((s) => s.view);
  if (!photo) return null;
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
          <HeatmapControls />
          <ClassSearch onPick={reexplain} />
        </>
      )}
    </section>
  );
}
