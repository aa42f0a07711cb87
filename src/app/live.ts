/**
 * Live sources (webcam, video file) → frame loop → worker → live bus. One frame in flight; the video
 * plays at its own rate and the overlay follows at inference rate. Slow state goes to the store,
 * per-frame results to the live bus.
 */
import { blendMaps, normaliseMap } from '../cam/cam';
import { centreCrop } from '../models/crop';
import { getModel, MODELS } from '../models/registry';
import { FrameRecords } from '../results/frame-records';
import { ProbabilitySmoother } from '../results/smoothing';
import type { ResultRow } from '../results/format';
import { cropToInput } from '../sources/photo-decode';
import { attachVideoFile, VideoFileError } from '../sources/video-file';
import { listCameras, openWebcam, stopStream, WebcamError, WEBCAM_MESSAGES, type WebcamStream } from '../sources/webcam';
import { useAppStore } from '../store';
import { FrameLoop } from '../video/frame-loop';
import { addBitmap, inferenceClient } from './engine';
import { liveBus, type LiveStats } from './live-bus';

const store = useAppStore;
/** Weight of the past in the moving averages when smoothing is on. */
const SMOOTHING_KEEP = 0.6;
/** Per-frame top-5 kept for export (about an hour at 15 fps). */
const MAX_RECORDS = 60_000;
const MODEL_NAMES = MODELS.map((m) => m.displayName);

let video: HTMLVideoElement | null = null;
let webcam: WebcamStream | null = null;
/** Frees the open video file's object URL. */
let releaseVideo: (() => void) | null = null;
let videoFile: File | null = null;
let loop: FrameLoop | null = null;
let smoothedMap: Float32Array | null = null;
const smoother = new ProbabilitySmoother(SMOOTHING_KEEP);
const records = new FrameRecords(MAX_RECORDS, 5);
let fps = 0;
let lastResultAt = 0;
let session = 0;
let lastShownClass = -1;

/** The one <video> element for live sources; the live view mounts it into the page. */
export function liveVideo(): HTMLVideoElement {
  if (!video) {
    video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.setAttribute('data-testid', 'live.video');
    video.className = 'live-video';
  }
  return video;
}

function stats(): LiveStats {
  const s = loop?.stats ?? { presented: 0, processed: 0, dropped: 0 };
  return { ...liveBus.stats, fps, frames: liveBus.stats.frames, dropped: s.dropped, presented: s.presented };
}

function resetLiveResults() {
  smoother.reset();
  smoothedMap = null;
  lastShownClass = -1;
  records.clear();
  fps = 0;
  lastResultAt = 0;
  liveBus.publish(null, { fps: 0, inferMs: 0, frames: 0, dropped: 0, presented: 0, numTensors: liveBus.stats.numTensors });
}

async function processFrame(source: HTMLVideoElement, mediaTime: number): Promise<void> {
  const mySession = session;
  const { videoWidth, videoHeight } = source;
  if (videoWidth === 0 || videoHeight === 0) return;
  const { modelId, smoothing, pinnedClass } = store.getState();
  const spec = getModel(modelId);
  const crop = centreCrop(videoWidth, videoHeight);
  const bitmap = await cropToInput(source, crop, spec.inputSize);
  const followed = pinnedClass ?? (smoothing ? (smoother.top(1)[0]?.index ?? null) : null);
  const reply = await inferenceClient().predict(bitmap, { topK: 5, camClass: followed, method: 'cam', keepAs: null, allProbs: true, camForTop: true });
  if (mySession !== session || !reply.probs) return;
  smoother.keep = smoothing ? SMOOTHING_KEEP : 0;
  smoother.push(reply.probs);
  const top = smoother.top(5);
  // The heatmap shows the class the HUD shows: the pinned one, or the top-1 after this frame.
  const shown = pinnedClass ?? top[0]?.index ?? reply.cam.classIndex;
  const cam = [reply.cam, ...reply.topCams].find((c) => c.classIndex === shown) ?? reply.cam;
  if (cam.classIndex !== lastShownClass) smoothedMap = null;
  lastShownClass = cam.classIndex;
  const normalised = normaliseMap(cam).data;
  smoothedMap = blendMaps(smoothedMap, normalised, smoothing ? SMOOTHING_KEEP : 0);
  const now = performance.now();
  if (lastResultAt > 0) {
    const instant = 1000 / Math.max(1, now - lastResultAt);
    fps = fps === 0 ? instant : fps * 0.8 + instant * 0.2;
  }
  lastResultAt = now;
  records.push(mediaTime, reply.top, MODELS.findIndex((m) => m.id === modelId));
  const frames = liveBus.stats.frames + 1;
  liveBus.publish(
    { top, heatmap: { data: smoothedMap, width: cam.width, height: cam.height }, classIndex: cam.classIndex, crop, videoWidth, videoHeight, mediaTime },
    { ...stats(), frames, inferMs: reply.timings.totalMs, numTensors: reply.numTensors },
  );
}

function startLoop(element: HTMLVideoElement) {
  loop?.stop();
  loop = new FrameLoop(element, processFrame, () => store.getState().modelState === 'ready');
  loop.start();
}

/** Stops whatever live source runs, releases the camera and closes the video. */
export function stopLive(): void {
  session++;
  resetLiveResults();
  loop?.stop();
  loop = null;
  if (webcam) stopStream(webcam.stream);
  webcam = null;
  const element = video;
  if (element) {
    element.pause();
    element.srcObject = null;
    element.removeAttribute('src');
    element.load();
  }
  releaseVideo?.();
  releaseVideo = null;
  videoFile = null;
  store.setState({ liveKind: null, liveStatus: 'idle', liveMessage: null, videoName: null, pinnedClass: null });
}

/** Starts the webcam (a given camera, or the default front camera). */
export async function startWebcam(deviceId?: string): Promise<void> {
  stopLive();
  const mySession = session;
  store.setState({ liveKind: 'webcam', liveStatus: 'requesting', liveMessage: 'Waiting for camera permission…' });
  try {
    const opened = await openWebcam(deviceId);
    if (mySession !== session) {
      stopStream(opened.stream);
      return;
    }
    webcam = opened;
    const element = liveVideo();
    element.controls = false;
    element.srcObject = opened.stream;
    opened.track.addEventListener('ended', () => {
      if (webcam?.track !== opened.track) return;
      loop?.stop();
      stopStream(opened.stream);
      store.setState({ liveStatus: 'disconnected', liveMessage: WEBCAM_MESSAGES.disconnected });
    });
    await element.play();
    resetLiveResults();
    startLoop(element);
    const cameras = await listCameras();
    store.setState({ liveStatus: 'live', liveMessage: null, cameras, cameraId: opened.deviceId, facesUser: opened.facesUser });
  } catch (error) {
    if (mySession !== session) return;
    if (webcam) stopStream(webcam.stream);
    webcam = null;
    const failure = error instanceof WebcamError ? error.failure : 'error';
    const message = error instanceof Error ? error.message : String(error);
    store.setState({ liveKind: 'webcam', liveStatus: failure, liveMessage: message, cameras: await listCameras().catch(() => []) });
  }
}

/** Plays a video file with the live overlay (play, pause and seek with the video's own controls). */
export async function openVideoFile(file: File): Promise<void> {
  stopLive();
  const mySession = session;
  const element = liveVideo();
  if (file.type && element.canPlayType(file.type) === '') {
    store.setState({ liveKind: 'video', liveStatus: 'error', videoName: file.name, liveMessage: `${file.name}: this browser cannot play ${file.type} video. Try WebM (VP8/VP9/AV1) or MP4 (H.264).` });
    return;
  }
  videoFile = file;
  store.setState({ liveKind: 'video', liveStatus: 'requesting', liveMessage: `Opening ${file.name}…`, videoName: file.name });
  element.srcObject = null;
  element.controls = true;
  element.loop = false;
  try {
    const attached = await attachVideoFile(element, file);
    if (mySession !== session) {
      attached.release();
      return;
    }
    releaseVideo = attached.release;
    resetLiveResults();
    startLoop(element);
    store.setState({ liveStatus: 'live', liveMessage: null, facesUser: false });
    await element.play().catch(() => undefined);
  } catch (error) {
    if (mySession !== session) return;
    const why = error instanceof VideoFileError ? error.message : 'the file is damaged or its codec is not supported by this browser';
    store.setState({ liveStatus: 'error', liveMessage: `${file.name} could not be played: ${why}.` });
  }
}

/** The video file being shown, for render mode. */
export function currentVideoFile(): File | null {
  return videoFile;
}

/**
 * Pause on the current frame and hand it to the photo tools (choose any class, export PNG): the frame
 * becomes a photo in the gallery. A video file pauses; the webcam keeps running.
 */
export async function snapshotToGallery(): Promise<void> {
  const element = video;
  if (!element || element.videoWidth === 0) return;
  if (store.getState().liveKind === 'video') element.pause();
  const bitmap = await createImageBitmap(element);
  const { liveKind, videoName } = store.getState();
  const name =
    liveKind === 'video' && videoName
      ? `${videoName} @ ${element.currentTime.toFixed(2)} s`
      : `webcam ${new Date().toLocaleTimeString()}`;
  await addBitmap(name, bitmap, ['Frame from live video']);
}

/** The per-frame top-5 of this live session (for CSV/JSON export). */
export function liveRecords(): ResultRow[] {
  return records.toRows(store.getState().videoName ?? 'webcam', MODEL_NAMES);
}

export function pinClass(classIndex: number | null): void {
  store.setState({ pinnedClass: classIndex });
  smoothedMap = null;
}
