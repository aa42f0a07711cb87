/**
 * What "Record" and "Render heatmap video" can make in this browser: given what the browser answered
 * (MediaRecorder types, canvas capture, WebCodecs encoders), the container and codec to use and the
 * file's real extension — or, when it cannot, a reason in plain words and what works instead.
 * Pure: the answers are gathered by media-probe.ts.
 */

export type Container = 'webm' | 'mp4';
export type EncoderCodec = 'vp9' | 'vp8' | 'avc';

/** MediaRecorder types in order of preference: WebM (VP9, VP8, any), then MP4 (H.264, any). */
export const RECORDER_TYPES = ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm', 'video/mp4;codecs=avc1', 'video/mp4'] as const;

/** Render encoders in order of preference, each with the container it is written into. */
export const RENDER_CODECS: readonly { codec: EncoderCodec; container: Container }[] = [
  { codec: 'vp9', container: 'webm' },
  { codec: 'vp8', container: 'webm' },
  { codec: 'avc', container: 'mp4' },
];

export interface RecorderCapability {
  mediaRecorder: boolean;
  /** `canvas.captureStream()` exists (the recording is of a canvas with the overlay drawn in). */
  canvasCapture: boolean;
  /** The RECORDER_TYPES `MediaRecorder.isTypeSupported` said yes to. */
  supportedTypes: string[];
  /** A short test recording produced bytes: null until tried (or when there was nothing to try). */
  producesVideo: boolean | null;
}

export interface EncoderCapability {
  /** `VideoEncoder`, `VideoDecoder` and `OffscreenCanvas` exist. */
  webCodecs: boolean;
  /** Which codecs the browser said it can encode (at the size asked). */
  codecs: Partial<Record<EncoderCodec, boolean>>;
}

export interface VideoFormat {
  container: Container;
  /** The MIME type of the file made (and, for Record, the one asked of MediaRecorder). */
  mimeType: string;
  extension: Container;
}

export type Verdict<T> = ({ ok: true } & T) | { ok: false; reason: string };
export type RecordVerdict = Verdict<VideoFormat>;
export type RenderVerdict = Verdict<VideoFormat & { codec: EncoderCodec }>;

const containerOf = (mimeType: string): Container => (mimeType.startsWith('video/mp4') ? 'mp4' : 'webm');

/** The recorder format to use, or why Record cannot work here (`renderWorks`: whether to offer render mode instead). */
export function chooseRecorder(capability: RecorderCapability, renderWorks: boolean): RecordVerdict {
  const instead = renderWorks
    ? 'for a video file use “Render heatmap video”; the per-frame results can still be saved with “Frames CSV”.'
    : 'the per-frame results can still be saved with “Frames CSV”.';
  if (!capability.mediaRecorder) return { ok: false, reason: `This browser cannot record video (it has no MediaRecorder): ${instead}` };
  if (!capability.canvasCapture) return { ok: false, reason: `This browser cannot record the heatmap view (it cannot capture a canvas): ${instead}` };
  const mimeType = RECORDER_TYPES.find((type) => capability.supportedTypes.includes(type));
  if (!mimeType) return { ok: false, reason: `This browser's recorder writes neither WebM nor MP4: ${instead}` };
  const container = containerOf(mimeType);
  if (capability.producesVideo === false) {
    return { ok: false, reason: `This browser's recorder says it writes ${container.toUpperCase()} but produced an empty file when tried: ${instead}` };
  }
  return { ok: true, container, mimeType, extension: container };
}

/** The encoder and container for render mode, or why it cannot work here (`recordWorks`: whether to offer Record instead). */
export function chooseRenderer(capability: EncoderCapability, recordWorks: boolean): RenderVerdict {
  const instead = recordWorks ? 'use “Record” while the video plays, or save the per-frame results with “Frames CSV”.' : 'save the per-frame results with “Frames CSV” instead.';
  if (!capability.webCodecs) return { ok: false, reason: `This browser cannot encode video (it has no WebCodecs encoder): ${instead}` };
  const pick = RENDER_CODECS.find(({ codec }) => capability.codecs[codec]);
  if (!pick) return { ok: false, reason: `This browser's video encoder offers none of VP9, VP8 or H.264: ${instead}` };
  return { ok: true, codec: pick.codec, container: pick.container, mimeType: mimeTypeOf(pick.container), extension: pick.container };
}

/** The MIME type of a file in `container` (a recorder's answer may carry codecs; the file is named by its container). */
export function mimeTypeOf(container: Container): string {
  return `video/${container}`;
}

/** Both verdicts, each offering the other feature as the way out only where it works. */
export function chooseMedia(recorder: RecorderCapability, encoder: EncoderCapability): { record: RecordVerdict; render: RenderVerdict } {
  const recordWorks = chooseRecorder(recorder, false).ok;
  const renderWorks = chooseRenderer(encoder, false).ok;
  return { record: chooseRecorder(recorder, renderWorks), render: chooseRenderer(encoder, recordWorks) };
}
