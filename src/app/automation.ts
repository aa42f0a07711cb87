/**
 * A small API on `window.whatsInThePicture` for the benchmark and outside tools (enabled with
 * `?automation` in the URL). It drives the same worker as the UI; it is not used by the app itself.
 */
import { useAppStore } from '../store';
import { modelSession } from '../inference';
import { liveBus } from '../live/live-bus';
import { photoPrep } from '../sources/photo-prep';
import { watchSavedVideos, type SavedVideo } from '../live/saved-video';
import type { WorkerClock } from '../worker/protocol';

export interface AutomationApi {
  /** Bare `model.predict()`+read vs the app's full per-frame pipeline (predict + feature map + CAM + readback), `runs` times each, interleaved. */
  benchPredict(runs: number): Promise<{ bareMs: number[]; fullMs: number[] }>;
  /** Slow-changing app state (model, backend, latency). */
  state(): ReturnType<typeof useAppStore.getState>;
  /** Latest live figures (fps, inference time, frames, dropped, tensors). */
  liveStats(): typeof liveBus.stats;
  /** The worker's own clock (idle time, time per stage; cumulative) as of its latest prediction; null before the first. */
  workerClock(): WorkerClock | null;
  /** Fault injection: lose the worker's WebGL context, or crash the worker. The app must recover. */
  injectFault(fault: 'lose-webgl-context' | 'crash'): void;
  /** What Record and render mode can make in this browser, as the page found out (null until checked). */
  mediaSupport(): { record: AppState['recordSupport']; render: AppState['renderSupport'] };
  /** Where photos are prepared (decode, thumbnail, crop): 'photo worker', or on the page and why; null before the first photo. */
  photosPreparedIn(): string | null;
  /** The last video Record or render mode saved (downloads cannot be read over every WebDriver): its bytes as base64. */
  lastSavedVideo(): Promise<{ name: string; type: string; size: number; base64: string } | null>;
}

type AppState = ReturnType<typeof useAppStore.getState>;

function base64(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('could not read the video'));
    reader.readAsDataURL(blob);
  });
}

function testFrame(size: number): ImageBitmap {
  const canvas = new OffscreenCanvas(size, size);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2d context');
  const gradient = context.createLinearGradient(0, 0, size, size);
  gradient.addColorStop(0, '#c33');
  gradient.addColorStop(0.5, '#3c3');
  gradient.addColorStop(1, '#33c');
  context.fillStyle = gradient;
  context.fillRect(0, 0, size, size);
  return canvas.transferToImageBitmap();
}

export function installAutomation(): void {
  if (!new URLSearchParams(location.search).has('automation')) return;
  let saved: SavedVideo | null = null;
  watchSavedVideos((video) => (saved = video));
  const api: AutomationApi = {
    async benchPredict(runs) {
      const reply = await modelSession.client.bench(testFrame(224), runs);
      return { bareMs: reply.bareMs, fullMs: reply.fullMs };
    },
    state: () => useAppStore.getState(),
    liveStats: () => liveBus.stats,
    workerClock: () => modelSession.client.clock,
    injectFault: (fault) => modelSession.client.injectFault(fault),
    photosPreparedIn: () => photoPrep.whereDone(),
    mediaSupport: () => ({ record: useAppStore.getState().recordSupport, render: useAppStore.getState().renderSupport }),
    async lastSavedVideo() {
      const video = saved;
      return video && { name: video.name, type: video.blob.type, size: video.blob.size, base64: await base64(video.blob) };
    },
  };
  (window as unknown as { whatsInThePicture: AutomationApi }).whatsInThePicture = api;
}
