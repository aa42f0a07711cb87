import { useShallow } from 'zustand/react/shallow';
import { explainer, photoQueue } from '../photos';
import { useAppStore } from '../store';
import type { PhotoResult } from '../store/photos';
import { exportResultsCsv, exportResultsJson, exportAllHeatmapsZip } from '../photos/exports';
import { Predictions } from './Predictions';

function ResultCard({ photo, selected }: { photo: PhotoResult; selected: boolean }) {
  const select = useAppStore((s) => s.select);
  return (
    <li
      className={selected ? 'result selected' : 'result'}
      data-testid="result"
      data-source-name={photo.name}
      data-state={photo.state}
      data-model={photo.modelId ?? ''}
    >
      <button type="button" className="thumb" aria-label={`Show ${photo.name}`} aria-pressed={selected} onClick={() => select(photo.id)}>
        {photo.thumbnailUrl ? <img src={photo.thumbnailUrl} alt="" /> : <span className="thumb-empty" aria-hidden="true" />}
      </button>
      <div className="result-body">
        <div className="result-title">
          <span className="name" title={photo.name}>
            {photo.name}
          </span>
          <button type="button" className="icon" aria-label={`Remove ${photo.name}`} onClick={() => photoQueue.removePhotos([photo.id])}>
            ×
          </button>
        </div>
        {photo.state === 'pending' && <p className="muted">Classifying…</p>}
        {photo.state === 'error' && <p className="error-text">{photo.error}</p>}
        {photo.state === 'done' && (
          <Predictions
            top={photo.top}
            shownClass={selected ? (photo.cam?.classIndex ?? null) : null}
            onPick={(classIndex) => {
              select(photo.id);
              void explainer.explain(photo.id, classIndex);
            }}
          />
        )}
        {photo.notes.map((note) => (
          <p key={note} className="note">
            {note}
          </p>
        ))}
      </div>
    </li>
  );
}

/** All photos and their top-5, newest last; exports for the whole set. */
export function Gallery() {
  const { photos, selectedId, batch } = useAppStore(useShallow((s) => ({ photos: s.photos, selectedId: s.selectedId, batch: s.batch })));
  const done = photos.filter((p) => p.state === 'done').length;
  return (
    <section className="panel gallery" aria-labelledby="gallery-title">
      <div className="panel-head">
        <h2 id="gallery-title">Results {photos.length > 0 && <span className="muted">({done}/{photos.length})</span>}</h2>
        <div className="actions">
          <button type="button" disabled={done === 0} onClick={exportResultsCsv}>
            CSV
          </button>
          <button type="button" disabled={done === 0} onClick={exportResultsJson}>
            JSON
          </button>
          <button type="button" disabled={done === 0} onClick={() => void exportAllHeatmapsZip()} data-testid="export.zip">
            Heatmaps (zip)
          </button>
          <button type="button" disabled={photos.length === 0} onClick={() => photoQueue.removePhotos(photos.map((p) => p.id))}>
            Clear
          </button>
        </div>
      </div>
      {batch && (
        <div className="batch" data-testid="batch">
          <progress max={batch.total} value={batch.done} aria-label="Photos classified" />
          <span>
            {batch.done} of {batch.total}
          </span>
          <button type="button" onClick={() => photoQueue.cancelPending()}>
            Cancel
          </button>
        </div>
      )}
      {photos.length === 0 ? (
        <p className="empty">No photos yet. Choose, drop or paste some to see what the model finds in them.</p>
      ) : (
        <ul className="results">
          {photos.map((photo) => (
            <ResultCard key={photo.id} photo={photo} selected={photo.id === selectedId} />
          ))}
        </ul>
      )}
    </section>
  );
}
