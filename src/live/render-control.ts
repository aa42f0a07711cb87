/** Starts/cancels render mode for the open video file and delivers the video (WebM or MP4) and per-frame results. */
import { useAppStore } from '../store';
import { resultsToCsv, resultsToJson, fileStem, type ResultRow } from '../results/format';
import { download } from '../results/download';
import { saveVideo } from './saved-video';
import { liveVideo } from './video-element';
import { renderVideo } from './render-video';

let controller: AbortController | null = null;
/** Per-frame results of the last finished render, with the file they belong to. */
let lastRender: { file: File; rows: ResultRow[] } | null = null;

/** Renders the video file open now (`file`), downloading the video when done. */
export async function startRender(file: File | null): Promise<void> {
  if (!file || controller) return;
  liveVideo().pause();
  controller = new AbortController();
  lastRender = null;
  const store = useAppStore;
  store.getState().renderStarted(performance.now());
  try {
    const result = await renderVideo(file, controller.signal, (done, total) => store.getState().renderProgressed(done, total));
    lastRender = { file, rows: result.records };
    saveVideo(result.video, `${fileStem(file.name)}-heatmap.${result.container}`);
    store.getState().notify('info', `Rendered ${result.frames} frames (${Math.round(result.msPerFrame)} ms per frame).`);
  } catch (error) {
    if (!(error instanceof Error && error.name === 'AbortError')) {
      store.getState().notify('error', `Rendering failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  } finally {
    controller = null;
    store.getState().renderFinished();
  }
}

export function cancelRender(): void {
  controller?.abort();
}

/** Per-frame top-5 of the last render, or of the live session when given. */
export function exportFrames(rows: ResultRow[], format: 'csv' | 'json', name: string): void {
  if (rows.length === 0) {
    useAppStore.getState().notify('info', 'There are no frame results to export yet.');
    return;
  }
  const labels = useAppStore.getState().labels;
  const text = format === 'csv' ? resultsToCsv(rows, labels) : resultsToJson(rows, labels);
  download(new Blob([text], { type: format === 'csv' ? 'text/csv' : 'application/json' }), `${fileStem(name)}-frames.${format}`);
}

/** Rows of the last render if it was of `file` (the video open now); none otherwise. */
export function lastRenderRecords(file: File | null): ResultRow[] {
  return lastRender && lastRender.file === file ? lastRender.rows : [];
}
