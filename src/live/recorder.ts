/**
 * "Record": captures the live video with its heatmap overlay and caption into a WebM with
 * MediaRecorder. A composite canvas is redrawn on every animation frame from the video and the latest
 * live result, so the recording runs at video rate while the heatmap updates at inference rate.
 */
import { heatmapImage, drawFrameWithHeatmap } from '../render/heatmap';
import { classCaption } from '../results/caption';
import { useAppStore } from '../store';
import { download } from '../results/download';
import { liveBus } from './live-bus';
import { liveVideo } from './video-element';

let recorder: MediaRecorder | null = null;
let frameHandle = 0;

function pickMimeType(): string {
  const candidates = ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'];
  return candidates.find((type) => MediaRecorder.isTypeSupported(type)) ?? '';
}

export function startRecording(): void {
  const video = liveVideo();
  if (recorder || video.videoWidth === 0) return;
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This browser cannot record (no 2D canvas)');
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
  const mimeType = pickMimeType();
  const active = new MediaRecorder(canvas.captureStream(30), mimeType ? { mimeType, videoBitsPerSecond: 4_000_000 } : undefined);
  active.ondataavailable = (event) => {
    if (event.data.size > 0) chunks.push(event.data);
  };
  active.onstop = () => {
    cancelAnimationFrame(frameHandle);
    download(new Blob(chunks, { type: 'video/webm' }), `heatmap-recording-${new Date().toISOString().replace(/[:.]/g, '-')}.webm`);
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
