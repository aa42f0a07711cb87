/**
 * "Record": captures the live video with its heatmap overlay and caption with MediaRecorder, in the
 * format this browser really writes (WebM, else MP4; see media-choice.ts), named by that format. A
 * composite canvas is redrawn on every animation frame from the video and the latest live result, so
 * the recording runs at video rate while the heatmap updates at inference rate.
 */
import { heatmapImage, drawFrameWithHeatmap } from '../render/heatmap';
import { classCaption } from '../results/caption';
import { useAppStore } from '../store';
import { liveBus } from './live-bus';
import { chooseRecorder, mimeTypeOf } from './media-choice';
import { saveVideo } from './saved-video';
import { liveVideo } from './video-element';

let recorder: MediaRecorder | null = null;
let frameHandle = 0;

/** The recorder made nothing: say so, and keep Record off with the reason from now on. */
function recorderFailed(detail: string): void {
  const store = useAppStore.getState();
  const report = store.recordSupport;
  if (report) {
    const capability = { ...report.capability, producesVideo: false };
    store.mediaSupportFound({ record: { capability, verdict: chooseRecorder(capability, store.renderSupport?.verdict.ok ?? false) } });
  }
  store.notify('error', `Recording failed: ${detail}. Nothing was lost: the live view goes on; for a video file use “Render heatmap video”, and “Frames CSV” saves the per-frame results.`);
}

export function startRecording(): void {
  const video = liveVideo();
  const verdict = useAppStore.getState().recordSupport?.verdict;
  if (recorder || video.videoWidth === 0 || !verdict?.ok) return;
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  const context = canvas.getContext('2d');
  if (!context) {
    recorderFailed('this browser gave no 2D canvas to draw the recording on');
    return;
  }
  const draw = () => {
    const frame = liveBus.frame;
    const { colormap, opacity, labels } = useAppStore.getState();
    const image = frame ? heatmapImage(frame.heatmap, colormap, frame.crop, { width: frame.videoWidth, height: frame.videoHeight }).image : null;
    const best = frame?.top[0];
    const label = best ? classCaption(best.prob, best.index, labels) : null;
    drawFrameWithHeatmap(context, video, image, frame?.crop ?? { x: 0, y: 0, width: 0, height: 0 }, { opacity, label });
    frameHandle = requestAnimationFrame(draw);
  };
  draw();
  const chunks: Blob[] = [];
  const stream = canvas.captureStream(30);
  let active: MediaRecorder;
  try {
    active = new MediaRecorder(stream, { mimeType: verdict.mimeType, videoBitsPerSecond: 4_000_000 });
  } catch (error) {
    cancelAnimationFrame(frameHandle);
    stream.getTracks().forEach((track) => track.stop());
    recorderFailed(`this browser's recorder would not start (${error instanceof Error ? error.message : String(error)})`);
    return;
  }
  active.ondataavailable = (event) => {
    if (event.data.size > 0) chunks.push(event.data);
  };
  let error: string | null = null;
  active.onerror = (event) => {
    error = (event as Event & { error?: DOMException }).error?.message || 'the recorder stopped with an error';
  };
  active.onstop = () => {
    cancelAnimationFrame(frameHandle);
    if (chunks.length === 0) {
      recorderFailed(error ?? `this browser's recorder produced an empty ${verdict.container.toUpperCase()} file`);
      return;
    }
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    saveVideo(new Blob(chunks, { type: mimeTypeOf(verdict.container) }), `heatmap-recording-${stamp}.${verdict.extension}`);
  };
  active.start(1000);
  recorder = active;
  useAppStore.getState().recordingChanged(true);
}

export function stopRecording(): void {
  if (!recorder) return;
  recorder.stop();
  recorder.stream.getTracks().forEach((track) => track.stop());
  recorder = null;
  useAppStore.getState().recordingChanged(false);
}
