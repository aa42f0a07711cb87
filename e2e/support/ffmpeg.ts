/** ffmpeg and ffprobe, for making test inputs and checking the videos the app writes. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs ffmpeg (quiet, overwriting outputs) and returns what it wrote to stdout (`-` as output). */
export async function ffmpeg(args: string[]): Promise<Buffer> {
  const { stdout } = await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', ...args], {
    encoding: 'buffer',
    maxBuffer: 512 * 1024 * 1024,
  });
  return stdout;
}

async function ffprobe(args: string[]): Promise<string> {
  const { stdout } = await run('ffprobe', ['-v', 'error', ...args], { maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

/**
 * Raw pixels (rgb24, or rgb48be when `bits` is 16) of a picture, or of frame `frame` (0-based, in
 * decoding order) of a video, scaled to width×height.
 */
export async function rawPixels(file: string, width: number, height: number, options: { frame?: number; bits?: 8 | 16 } = {}): Promise<Buffer> {
  const { frame = 0, bits = 8 } = options;
  const select = frame > 0 ? `select=eq(n\\,${frame}),` : '';
  const pixels = await ffmpeg(['-i', file, '-vf', `${select}scale=${width}:${height}:flags=area`, '-fps_mode', 'passthrough', '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', bits === 16 ? 'rgb48be' : 'rgb24', '-']);
  const expected = width * height * 3 * (bits / 8);
  if (pixels.length !== expected) throw new Error(`frame ${frame} of ${file}: got ${pixels.length} bytes of pixels, expected ${expected}`);
  return pixels;
}

/** Every frame of a video as raw RGB (rgb24), scaled to width×height, in decoding order. */
export async function decodeFrames(file: string, width: number, height: number): Promise<Buffer[]> {
  const pixels = await ffmpeg(['-i', file, '-vf', `scale=${width}:${height}:flags=area`, '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
  const size = width * height * 3;
  if (pixels.length === 0 || pixels.length % size !== 0) throw new Error(`${file}: ${pixels.length} bytes of pixels is not a whole number of ${width}×${height} frames`);
  return Array.from({ length: pixels.length / size }, (_, i) => pixels.subarray(i * size, (i + 1) * size));
}

export interface ClipOptions {
  /** Exact number of frames to keep. */
  frames: number;
  /** Where to start in the source, in seconds. */
  start?: number;
  codec?: 'vp9' | 'vp8';
  /** Scale to this width (height follows, even). */
  width?: number;
  /** The source is a still image: repeat it (25 frames a second), losslessly with VP9 (every frame the same picture). */
  still?: boolean;
}

/** Cuts a short WebM clip (no audio) out of `source` (a video, or a still image) into `out`. Fast settings: it runs at test time on a busy machine. */
export async function makeClip(source: string, out: string, options: ClipOptions): Promise<string> {
  const codec = options.codec ?? 'vp9';
  await ffmpeg([
    ...(options.start ? ['-ss', String(options.start)] : []),
    ...(options.still ? ['-loop', '1', '-framerate', '25'] : []),
    '-i',
    source,
    '-frames:v',
    String(options.frames),
    ...(options.width ? ['-vf', `scale=${options.width}:-2`] : []),
    '-an',
    ...(codec === 'vp9'
      ? ['-c:v', 'libvpx-vp9', ...(options.still ? ['-lossless', '1'] : ['-b:v', '500k']), '-deadline', 'realtime', '-cpu-used', '8', '-row-mt', '1']
      : ['-c:v', 'libvpx', '-b:v', '500k', '-deadline', 'realtime', '-cpu-used', '8']),
    out,
  ]);
  return out;
}

/** Frames in the first video stream, by decoding all of them (`-count_frames`). */
export async function countFrames(file: string): Promise<number> {
  const out = await ffprobe(['-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file]);
  const n = Number.parseInt(out, 10);
  if (!Number.isFinite(n)) throw new Error(`ffprobe could not count the frames of ${file}: ${JSON.stringify(out)}`);
  return n;
}

/** The time (s) of every frame of the first video stream, decoding all of them: their number, and the span they cover. */
export async function frameTimes(file: string): Promise<number[]> {
  const out = await ffprobe(['-select_streams', 'v:0', '-show_entries', 'frame=best_effort_timestamp_time', '-of', 'csv=p=0', file]);
  return out.split('\n').map((line) => Number.parseFloat(line)).filter((t) => Number.isFinite(t));
}

export async function videoInfo(file: string): Promise<{ codec: string; width: number; height: number }> {
  const out = await ffprobe(['-select_streams', 'v:0', '-show_entries', 'stream=codec_name,width,height', '-of', 'json', file]);
  const stream = (JSON.parse(out) as { streams: { codec_name: string; width: number; height: number }[] }).streams[0];
  if (!stream) throw new Error(`${file} has no video stream`);
  return { codec: stream.codec_name, width: stream.width, height: stream.height };
}
