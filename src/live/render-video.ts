/**
 * Render mode: every frame of a video file through the model, drawn with its heatmap and caption, and
 * encoded into a WebM — the book's kitchen-output video, made in the browser. Not real time: frames
 * are decoded, classified and encoded one by one (mediabunny over WebCodecs), with progress and cancel.
 */
import { centreCrop } from '../models/crop';
import { camImage, drawFrameWithHeatmap } from '../render/heatmap';
import type { ResultRow } from '../results/format';
import { selectCurrentModel, useAppStore } from '../store';
import { classCaption } from '../results/caption';
import { cropToInput } from '../sources/photo-decode';
import { modelSession } from '../inference';
import { TOP_K } from '../models/topk';

export interface RenderResult {
  webm: Blob;
  frames: number;
  records: ResultRow[];
  msPerFrame: number;
}

export class RenderCancelledError extends Error {
  override name = 'AbortError';
}

/** Renders `file`; `onProgress(done, total)` after every frame. Rejects with an AbortError when `signal` aborts. */
export async function renderVideo(file: File, signal: AbortSignal, onProgress: (done: number, total: number) => void): Promise<RenderResult> {
  const { Input, ALL_FORMATS, BlobSource, CanvasSink, Output, WebMOutputFormat, BufferTarget, CanvasSource, canEncodeVideo } = await import('mediabunny');
  const input = new Input({ source: new BlobSource(file), formats: ALL_FORMATS });
  const track = await input.getPrimaryVideoTrack();
  if (!track) throw new Error(`${file.name} has no video track`);
  if (!(await track.canDecode())) throw new Error(`${file.name}: this browser cannot decode its ${track.codec ?? 'unknown'} video`);
  const width = track.displayWidth;
  const height = track.displayHeight;
  const stats = await track.computePacketStats();
  const total = stats.packetCount;
  const codec = (await canEncodeVideo('vp9', { width, height })) ? 'vp9' : 'vp8';

  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('No 2D canvas for rendering');
  const output = new Output({ format: new WebMOutputFormat(), target: new BufferTarget() });
  const source = new CanvasSource(canvas, { codec, bitrate: 4_000_000 });
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
  return { webm: new Blob([buffer], { type: 'video/webm' }), frames: done, records, msPerFrame: (performance.now() - started) / Math.max(1, done) };
}
