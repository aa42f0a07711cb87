import { memo, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { classesInGroups } from '../hierarchy/groups';
import type { ClassLabel } from '../models/labels';
import { explainer, photoQueue } from '../photos';
import { useAppStore } from '../store';
import { batchRate, type BatchProgress, type PhotoResult } from '../store/photos';
import { exportResultsCsv, exportResultsJson, exportAllHeatmapsZip } from '../photos/exports';
import { Predictions } from './Predictions';
import { useElementSize } from './useCanvasSize';
import { useHierarchy } from './useHierarchy';

/** Every row is this tall (px, with the gap below it), so only the rows in view need to be in the DOM. */
const ROW_STRIDE = 236;
/** Rows rendered above and below the visible ones, so scrolling shows no gaps. */
const OVERSCAN = 4;
/** A list up to this long is drawn whole (cheap, and every row can be found in the page); longer ones only around the view. */
const WHOLE_LIST_MAX = 100;

type SortOrder = 'added' | 'confidence-desc' | 'confidence-asc' | 'class';

const ResultCard = memo(function ResultCard({ photo, selected }: { photo: PhotoResult; selected: boolean }) {
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
});

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  const s = Math.round(seconds);
  return s >= 60 ? `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s` : `${s} s`;
}

/** done / total, photos per second, time left; pause, resume and cancel. */
function BatchBar({ batch }: { batch: BatchProgress }) {
  const paused = batch.pausedAt !== null;
  const rate = batchRate(batch, performance.now());
  return (
    <div className="batch" data-testid="batch" data-paused={paused}>
      <progress max={batch.total} value={batch.done} aria-label="Photos classified" />
      <span>
        {batch.done} of {batch.total}
      </span>
      <span className="muted" data-testid="batch.rate">
        {paused ? 'Paused' : rate ? `${rate.perSecond.toFixed(1)} photos/s · ${duration(rate.secondsLeft)} left` : 'starting…'}
      </span>
      {paused ? (
        <button type="button" data-testid="batch.resume" onClick={() => photoQueue.resume()}>
          Resume
        </button>
      ) : (
        <button type="button" data-testid="batch.pause" onClick={() => photoQueue.pause()}>
          Pause
        </button>
      )}
      <button type="button" data-testid="batch.cancel" onClick={() => photoQueue.cancelPending()}>
        Cancel
      </button>
    </div>
  );
}

/**
 * The photos matching the filter, in the chosen order. The filter looks at the top-1 class (name or WordNet
 * id), or whether it is in one of `groupClasses` (the classes of the groups the query names: "dog", "vehicle").
 */
export function shownPhotos(
  photos: PhotoResult[],
  labels: ClassLabel[],
  query: string,
  uncertainBelow: number | null,
  order: SortOrder,
  groupClasses: ReadonlySet<number> = new Set(),
): PhotoResult[] {
  const q = query.trim().toLowerCase();
  const top1 = (p: PhotoResult) => (p.state === 'done' ? p.top[0] : undefined);
  let shown = photos;
  if (q) {
    shown = shown.filter((p) => {
      const label = labels[top1(p)?.index ?? -1];
      if (label === undefined) return false;
      return label.label.toLowerCase().includes(q) || label.name.toLowerCase().includes(q) || label.wnid.toLowerCase().startsWith(q) || groupClasses.has(label.index);
    });
  }
  if (uncertainBelow !== null) shown = shown.filter((p) => (top1(p)?.prob ?? 1) < uncertainBelow);
  if (order === 'added') return shown;
  const confidence = (p: PhotoResult) => top1(p)?.prob ?? -1;
  const className = (p: PhotoResult) => labels[top1(p)?.index ?? -1]?.label ?? '\uffff';
  const compare: Record<Exclude<SortOrder, 'added'>, (a: PhotoResult, b: PhotoResult) => number> = {
    'confidence-desc': (a, b) => confidence(b) - confidence(a),
    'confidence-asc': (a, b) => (confidence(a) < 0 ? 1 : confidence(b) < 0 ? -1 : confidence(a) - confidence(b)),
    class: (a, b) => className(a).localeCompare(className(b)),
  };
  return [...shown].sort(compare[order]);
}

/** Only the rows in view (and a few around them) are rendered; the list keeps its full scroll height. */
function VirtualResults({ photos, selectedId }: { photos: PhotoResult[]; selectedId: string | null }) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const { height } = useElementSize(scroller);
  const viewport = height || window.innerHeight;
  const whole = photos.length <= WHOLE_LIST_MAX;
  const first = whole ? 0 : Math.max(0, Math.floor(scrollTop / ROW_STRIDE) - OVERSCAN);
  const last = whole ? photos.length : Math.min(photos.length, Math.ceil((scrollTop + viewport) / ROW_STRIDE) + OVERSCAN);
  return (
    <div
      className="results-scroll"
      ref={scroller}
      data-testid="results.scroll"
      style={{ height: `min(75vh, ${photos.length * ROW_STRIDE}px)` }}
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
    >
      <ul className="results" style={{ height: photos.length * ROW_STRIDE, paddingTop: first * ROW_STRIDE }}>
        {photos.slice(first, last).map((photo) => (
          <ResultCard key={photo.id} photo={photo} selected={photo.id === selectedId} />
        ))}
      </ul>
    </div>
  );
}

/** All photos and their top-5, newest last; find, sort and export them; progress of the batch. */
export function Gallery() {
  const { photos, selectedId, batch, labels, threshold } = useAppStore(
    useShallow((s) => ({ photos: s.photos, selectedId: s.selectedId, batch: s.batch, labels: s.labels, threshold: s.threshold })),
  );
  const [query, setQuery] = useState('');
  const [order, setOrder] = useState<SortOrder>('added');
  const [uncertainOnly, setUncertainOnly] = useState(false);
  const { hierarchy } = useHierarchy();
  const groupClasses = useMemo(() => (hierarchy ? classesInGroups(hierarchy, query) : undefined), [hierarchy, query]);
  const shown = useMemo(
    () => shownPhotos(photos, labels, query, uncertainOnly ? threshold : null, order, groupClasses),
    [photos, labels, query, uncertainOnly, threshold, order, groupClasses],
  );
  const finished = photos.filter((p) => p.state !== 'pending').length;
  const done = photos.some((p) => p.state === 'done');
  return (
    <section className="panel gallery" aria-labelledby="gallery-title" data-testid="results" data-total={photos.length} data-done={finished} data-shown={shown.length}>
      <div className="panel-head">
        <h2 id="gallery-title">Results {photos.length > 0 && <span className="muted">({finished}/{photos.length})</span>}</h2>
        <div className="actions">
          <button type="button" disabled={!done} onClick={() => void exportResultsCsv()} data-testid="results.export.csv">
            CSV
          </button>
          <button type="button" disabled={!done} onClick={() => void exportResultsJson()} data-testid="results.export.json">
            JSON
          </button>
          <button type="button" disabled={!done} onClick={() => void exportAllHeatmapsZip()} data-testid="export.zip">
            Heatmaps (zip)
          </button>
          <button type="button" disabled={photos.length === 0} onClick={() => photoQueue.removePhotos(photos.map((p) => p.id))}>
            Clear
          </button>
        </div>
      </div>
      {batch && <BatchBar batch={batch} />}
      {photos.length === 0 ? (
        <p className="empty">No photos yet. Choose, drop or paste some to see what the model finds in them.</p>
      ) : (
        <>
          <div className="controls results-find">
            <label className="field">
              <span>Find a class or group (top-1)</span>
              <input type="search" data-testid="results.filter" placeholder="e.g. tabby, n02123045, dog, vehicle" value={query} onChange={(e) => setQuery(e.target.value)} />
            </label>
            <label className="field">
              <span>Sort</span>
              <select data-testid="results.sort" value={order} onChange={(e) => setOrder(e.target.value as SortOrder)}>
                <option value="added">As added</option>
                <option value="confidence-desc">Most confident first</option>
                <option value="confidence-asc">Least confident first</option>
                <option value="class">Class name</option>
              </select>
            </label>
            <label className="field inline">
              <input type="checkbox" data-testid="results.uncertain" checked={uncertainOnly} onChange={(e) => setUncertainOnly(e.target.checked)} />
              <span>Only top-1 below {Math.round(threshold * 100)}%</span>
            </label>
            {shown.length !== photos.length && (
              <span className="muted" role="status">
                {shown.length} of {photos.length} shown
              </span>
            )}
          </div>
          <VirtualResults photos={shown} selectedId={selectedId} />
        </>
      )}
    </section>
  );
}
