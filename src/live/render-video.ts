/**
 * Render mode: every frame of a video file through the model, drawn with its heatmap and caption, and
 * encoded — the book's kitchen-output video, made in the browser. Not real time: frames are decoded,
 * classified and encoded one by one (mediabunny over WebCodecs), with progress and cancel. The file is
 * VP9 or VP8 in WebM, or H.264 in MP4, whichever this browser encodes (media-choice.ts).
 */
import { centreCrop } from '../models/crop';
import { camImage, drawFrameWithHeatmap } from '../render/heatmap';
import type { ResultRow } from '../results/format';
import { selectCurrentModel, useAppStore } from '../store';
import { classCaption } from '../results/caption';
import { cropToInput } from '../sources/photo-decode';
import { modelSession } from '../inference';
import { TOP_K } from '../models/topk';
import { chooseRenderer, type Container } from './media-choice';
import { encoderCapability } from './media-probe';

export interface RenderResult {
  video: Blob;
  container: Container;
  frames: number;
  records: ResultRow[];
  msPerFrame: number;
}

export class RenderCancelledError extends Error {
  override name = 'AbortError';
}

/** Renders `file`; `onProgress(done, total)` after every frame. Rejects with an AbortError when `signal` aborts. */
export async function renderVideo(file: File, signal: AbortSignal, onProgress: (done: number, total: number) => void): Promise<RenderResult> {
  const { Input, ALL_FORMATS, BlobSource, CanvasSink, Output, WebMOutputFormat, Mp4OutputFormat, BufferTarget, CanvasSource } = await import('mediabunny');
  const input = new Input({ source: new BlobSource(file), formats: ALL_FORMATS });
  const track = await input.getPrimaryVideoTrack();
  if (!track) throw new Error(`${file.name} has no video track`);
  if (!(await track.canDecode())) throw new Error(`${file.name}: this browser cannot decode its ${track.codec ?? 'unknown'} video`);
  const width = track.displayWidth;
  const height = track.displayHeight;
  const stats = await track.computePacketStats();
  const total = stats.packetCount;
  const verdict = chooseRenderer(await encoderCapability({ width, height }), useAppStore.getState().recordSupport?.verdict.ok ?? false);
  if (!verdict.ok) throw new Error(verdict.reason);

  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('No 2D canvas for rendering');
  const format = verdict.container === 'mp4' ? new Mp4OutputFormat() : new WebMOutputFormat();
  const output = new Output({ format, target: new BufferTarget() });
  const source = new CanvasSource(canvas, { codec: verdict.codec, bitrate: 4_000_000 });
  output.addVideoTrack(source, { frameRate: stats.averagePacketRate || undefined });
  await output.start();

  const { colormap, opacity, labels } = useAppStore.getState();
  const spec = selectCurrentModel(useAppStore.getState());
  if (!spec) throw new Error('No model is in use');
  const crop = centreCrop(width, height);
  const records: ResultRow[] = [];
  const started = performance.now();
  let done = 0;
  try {
    const sink = new CanvasSink(track, { poolSize: 2 });
    for await (const wrapped of sink.canvases()) {
      if (signal.aborted) throw new RenderCancelledError('Rendering cancelled');
      const frame = wrapped.canvas;
      const bitmap = await cropToInput(frame, crop, spec.inputSize);
      const reply = await modelSession.client.predict(bitmap, { topK: TOP_K, camClass: null, method: 'cam', keepAs: null, allProbs: false });
      const heatmap = camImage(reply.cam, colormap, crop, { width, height }).image;
      const best = reply.top[0];
      drawFrameWithHeatmap(context, frame, heatmap, crop, { opacity: Math.max(opacity, 0.4), label: classCaption(best.prob, best.index, labels) });
      await source.add(wrapped.timestamp, wrapped.duration);
      records.push({ source: file.name, model: spec.displayName, top: reply.top, time: wrapped.timestamp });
      done++;
      onProgress(done, Math.max(total, done));
    }
  } catch (error) {
    await output.cancel();
    throw error;
  }
  source.close();
  await output.finalize();
  const buffer = (output.target as InstanceType<typeof BufferTarget>).buffer;
  if (!buffer) throw new Error('The encoder produced no output');
  return { video: new Blob([buffer], { type: verdict.mimeType }), container: verdict.container, frames: done, records, msPerFrame: (performance.now() - started) / Math.max(1, done) };
}
