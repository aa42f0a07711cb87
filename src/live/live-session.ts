/**
 * Live sources (webcam, video file) → frame loop → worker → live results → live bus. One frame in
 * flight; the video plays at its own rate and the overlay follows at inference rate. Slow state goes
 * to the store as named actions, per-frame results to the live bus.
 */
import { centreCrop } from '../models/crop';
import { TOP_K } from '../models/topk';
import type { ModelSession } from '../inference/model-session';
import type { PhotoQueue } from '../photos/photo-queue';
import type { ResultRow } from '../results/format';
import { cropToInput } from '../sources/photo-decode';
import { attachVideoFile, VideoFileError } from '../sources/attach-video';
import { videoRefusal } from '../sources/video-file';
import { listCameras, openWebcam, stopStream, WebcamError, WEBCAM_MESSAGES, type CameraChoice, type WebcamStream } from '../sources/webcam';
import { selectCurrentModel, useAppStore } from '../store';
import { FrameLoop } from '../video/frame-loop';
import { liveBus } from './live-bus';
import { LiveResults } from './live-results';
import { liveVideo } from './video-element';

const NO_LOOP_STATS = { presented: 0, dropped: 0 };
type Store = typeof useAppStore;

export class LiveSession {
  private webcam: WebcamStream | null = null;
  /** Lets go of the open video file (its object URL, or its Media Source). */
  private releaseVideo: (() => void) | null = null;
  private videoFile: File | null = null;
  private loop: FrameLoop | null = null;
  /** Aborted when the source closes: its pending steps stop and its listeners go. */
  private source = new AbortController();
  /** Bumped by every source opened or closed: a file still being checked is dropped when another comes. */
  private attempts = 0;
  private readonly results = new LiveResults();
  /** Settles when the latest frame has been handed to the worker (or failed to be). */
  private handover: Promise<void> = Promise.resolve();

  constructor(
    private readonly model: Pick<ModelSession, 'client'>,
    private readonly photos: Pick<PhotoQueue, 'addBitmap'>,
    private readonly store: Store = useAppStore,
  ) {}

  /** Stops whatever live source runs, releases the camera and closes the video. */
  stop(): void {
    this.attempts++;
    this.source.abort();
    this.source = new AbortController();
    // The next source's frames need not wait for this one's last hand-over (its reply is dropped anyway).
    this.handover = Promise.resolve();
    this.clearResults();
    this.loop?.stop();
    this.loop = null;
    if (this.webcam) stopStream(this.webcam.stream);
    this.webcam = null;
    const element = liveVideo();
    element.pause();
    element.srcObject = null;
    element.removeAttribute('src');
    element.load();
    this.releaseVideo?.();
    this.releaseVideo = null;
    this.videoFile = null;
    this.store.getState().liveClosed();
  }

  /** Starts the webcam (a given camera or side, else the device's default side); settles when it runs or has failed. */
  async startWebcam(choice?: CameraChoice): Promise<void> {
    this.stop();
    const { signal } = this.source;
    this.store.getState().liveOpening('webcam', 'Waiting for camera permission…');
    try {
      const opened = await openWebcam(choice);
      if (signal.aborted) {
        stopStream(opened.stream);
        return;
      }
      this.webcam = opened;
      const element = liveVideo();
      element.controls = false;
      element.srcObject = opened.stream;
      opened.track.addEventListener('ended', () => this.onCameraLost(opened), { signal });
      await element.play();
      this.clearResults();
      this.startLoop(element);
      const cameras = await listCameras();
      if (!signal.aborted) this.store.getState().liveStarted({ cameras, cameraId: opened.deviceId, facesUser: opened.facesUser });
    } catch (error) {
      if (signal.aborted) return;
      if (this.webcam) stopStream(this.webcam.stream);
      this.webcam = null;
      const failure = error instanceof WebcamError ? error.failure : 'error';
      const message = error instanceof Error ? error.message : String(error);
      this.store.getState().liveFailed('webcam', failure, message, { cameras: await listCameras().catch(() => []) });
    }
  }

  /**
   * Plays a video file with the live overlay (play, pause and seek with the video's own controls). A
   * file not worth classifying (sound only, too small, a format this browser does not play) is refused
   * before the source in use is closed.
   */
  async openVideoFile(file: File): Promise<void> {
    const attempt = ++this.attempts;
    const refusal = await videoRefusal(file);
    if (attempt !== this.attempts) return;
    if (refusal) {
      this.refuse(file, refusal);
      return;
    }
    this.stop();
    const { signal } = this.source;
    const element = liveVideo();
    this.videoFile = file;
    this.store.getState().liveOpening('video', `Opening ${file.name}…`, file.name);
    element.srcObject = null;
    element.controls = true;
    element.loop = false;
    try {
      const attached = await attachVideoFile(element, file, signal);
      if (signal.aborted) {
        attached.release();
        return;
      }
      this.releaseVideo = attached.release;
    } catch (error) {
      if (signal.aborted) return;
      const why = error instanceof VideoFileError ? error.message : 'the file is damaged or its codec is not supported by this browser';
      this.store.getState().liveFailed('video', 'error', `${file.name} could not be played: ${why}.`, { videoName: file.name });
      return;
    }
    this.clearResults();
    this.startLoop(element);
    this.store.getState().liveStarted();
    await element.play().catch(() => undefined);
  }

  /** The video file being shown, for render mode. */
  get currentVideoFile(): File | null {
    return this.videoFile;
  }

  /**
   * Pause on the current frame and hand it to the photo tools (choose any class, export PNG): the frame
   * becomes a photo in the gallery. A video file pauses; the webcam keeps running.
   */
  async snapshotToGallery(): Promise<void> {
    const element = liveVideo();
    if (element.videoWidth === 0) return;
    const { liveKind, videoName } = this.store.getState();
    if (liveKind === 'video') element.pause();
    const bitmap = await createImageBitmap(element);
    const name = liveKind === 'video' && videoName ? `${videoName} @ ${element.currentTime.toFixed(2)} s` : `webcam ${new Date().toLocaleTimeString()}`;
    await this.photos.addBitmap(name, bitmap, ['Frame from live video']);
  }

  /** The per-frame top classes of this live session (for CSV/JSON export). */
  records(): ResultRow[] {
    return this.results.rows(this.store.getState().videoName ?? 'webcam', this.store.getState().models.map((m) => m.displayName));
  }

  pinClass(classIndex: number | null): void {
    this.store.getState().classPinned(classIndex);
    this.results.restartHeatmap();
    // A paused picture gets no new frames: infer it again for the new choice.
    if (liveVideo().paused) this.loop?.again();
  }

  /** A refused file: what plays goes on and a notice says why; with nothing playing, the live panel says it. */
  private refuse(file: File, message: string) {
    const { liveStatus, liveKind, videoName } = this.store.getState();
    if (liveStatus === 'live' || liveStatus === 'requesting') {
      const current = liveKind === 'webcam' ? 'The webcam keeps running.' : `${videoName ?? 'The video'} keeps playing.`;
      this.store.getState().notify('error', `${message} ${current}`);
      return;
    }
    this.stop();
    this.store.getState().liveFailed('video', 'error', message, { videoName: file.name });
  }

  private onCameraLost(opened: WebcamStream) {
    if (this.webcam?.track !== opened.track) return;
    this.loop?.stop();
    stopStream(opened.stream);
    this.store.getState().liveFailed('webcam', 'disconnected', WEBCAM_MESSAGES.disconnected);
  }

  private clearResults() {
    this.results.reset();
    liveBus.publish(null, this.results.stats(NO_LOOP_STATS));
  }

  private startLoop(element: HTMLVideoElement) {
    this.loop?.stop();
    const signal = this.source.signal;
    this.loop = new FrameLoop(element, (video, mediaTime) => this.processFrame(video, mediaTime, signal), () => this.store.getState().modelState === 'ready');
    this.loop.start();
  }

  /**
   * One frame: cropped, handed to the worker, its result published. The frame loop may start the next
   * frame while this one is with the worker: hand-overs stay in order (a crop that ends sooner does not
   * overtake), so results come back in order too.
   */
  private async processFrame(video: HTMLVideoElement, mediaTime: number, signal: AbortSignal): Promise<void> {
    const { videoWidth, videoHeight } = video;
    if (videoWidth === 0 || videoHeight === 0) return;
    const crop = centreCrop(videoWidth, videoHeight);
    const handover = this.handover.then(async () => {
      const state = this.store.getState();
      const spec = selectCurrentModel(state);
      if (!spec) return null;
      const { models, modelId, smoothing, pinnedClass } = state;
      const bitmap = await cropToInput(video, crop, spec.inputSize);
      const options = { topK: TOP_K, camClass: this.results.followedClass(pinnedClass, smoothing), method: 'cam', keepAs: null, allProbs: true, camForTop: true } as const;
      // Wrapped: the reply is awaited below, not by the next hand-over.
      return { reply: this.model.client.predict(bitmap, options), model: models.findIndex((m) => m.id === modelId), smoothing, pinnedClass };
    });
    this.handover = handover.then(
      () => undefined,
      () => undefined,
    );
    const sent = await handover;
    if (!sent) return;
    const reply = await sent.reply;
    // A class pinned (or let go) while this frame was with the worker: its heatmap is for the old choice.
    if (signal.aborted || !reply.probs || sent.pinnedClass !== this.store.getState().pinnedClass) return;
    const frame = this.results.accept(
      { probs: reply.probs, top: reply.top, cam: reply.cam, topCams: reply.topCams, totalMs: reply.timings.totalMs, numTensors: reply.numTensors },
      { crop, videoWidth, videoHeight, mediaTime, model: sent.model, smoothing: sent.smoothing, pinnedClass: sent.pinnedClass, now: performance.now() },
    );
    liveBus.publish(frame, this.results.stats(this.loop?.stats ?? NO_LOOP_STATS));
  }
}
