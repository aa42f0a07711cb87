/**
 * Asks this browser what Record and render mode can use (media-choice.ts decides from the answers).
 * Record's answer includes a short silent test recording, because a recorder can claim a format and
 * still write empty files (WebKitGTK without GStreamer's fMP4 muxer does): better to say so before the
 * user records than after.
 */
import { chooseMedia, chooseRecorder, RECORDER_TYPES, RENDER_CODECS, type EncoderCapability, type RecorderCapability, type RecordVerdict, type RenderVerdict } from './media-choice';

/** How long the test recording runs (a few frames of a small canvas). */
const TEST_RECORDING_MS = 600;
/** A test recording that does not stop within this time counts as not producing video. */
const TEST_RECORDING_TIMEOUT_MS = 5_000;

function recorderAnswers(): RecorderCapability {
  const mediaRecorder = typeof MediaRecorder !== 'undefined';
  return {
    mediaRecorder,
    canvasCapture: typeof HTMLCanvasElement !== 'undefined' && typeof HTMLCanvasElement.prototype.captureStream === 'function',
    supportedTypes: mediaRecorder ? RECORDER_TYPES.filter((type) => MediaRecorder.isTypeSupported(type)) : [],
    producesVideo: null,
  };
}

/** Records a small changing canvas for a moment; true when the recorder handed over any bytes. */
async function testRecording(mimeType: string): Promise<boolean> {
  const canvas = document.createElement('canvas');
  canvas.width = 64;
  canvas.height = 64;
  const context = canvas.getContext('2d');
  if (!context) return false;
  let n = 0;
  const paint = () => {
    context.fillStyle = `hsl(${(n++ * 40) % 360} 80% 50%)`;
    context.fillRect(0, 0, 64, 64);
  };
  paint();
  // A timer, not animation frames: the test must also run while the tab is in the background.
  const timer = setInterval(paint, 40);
  const stream = canvas.captureStream(25);
  let bytes = 0;
  try {
    const recorder = new MediaRecorder(stream, { mimeType });
    recorder.ondataavailable = (event) => (bytes += event.data.size);
    const stopped = new Promise<void>((resolve) => {
      recorder.onstop = () => resolve();
      recorder.onerror = () => resolve();
    });
    recorder.start();
    await new Promise((resolve) => setTimeout(resolve, TEST_RECORDING_MS));
    if (recorder.state !== 'inactive') recorder.stop();
    await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, TEST_RECORDING_TIMEOUT_MS))]);
  } catch {
    return false;
  } finally {
    clearInterval(timer);
    stream.getTracks().forEach((track) => track.stop());
  }
  return bytes > 0;
}

export interface RecorderReport {
  capability: RecorderCapability;
  verdict: RecordVerdict;
}

export interface RendererReport {
  capability: EncoderCapability;
  verdict: RenderVerdict;
}

/** What the recorder answers, with a test recording where it offers a format. */
async function recorderCapability(): Promise<RecorderCapability> {
  const capability = recorderAnswers();
  const first = chooseRecorder(capability, false);
  return first.ok ? { ...capability, producesVideo: await testRecording(first.mimeType) } : capability;
}

/** Which codecs WebCodecs can encode at `width`×`height` (mediabunny's check). */
export async function encoderCapability(size: { width: number; height: number }): Promise<EncoderCapability> {
  const webCodecs = typeof VideoEncoder !== 'undefined' && typeof VideoDecoder !== 'undefined' && typeof OffscreenCanvas !== 'undefined';
  const codecs: EncoderCapability['codecs'] = {};
  if (webCodecs) {
    const { canEncodeVideo } = await import('mediabunny');
    for (const { codec } of RENDER_CODECS) codecs[codec] = await canEncodeVideo(codec, size).catch(() => false);
  }
  return { webCodecs, codecs };
}

/** A typical size for the check made before any video is open (render mode checks again at the video's own size). */
const TYPICAL_SIZE = { width: 1280, height: 720 };
let checked: Promise<void> | null = null;

/** Asks once per page what Record and render mode can use, and hands both reports on (to the store). */
export function checkMediaSupport(found: (reports: { record: RecorderReport; render: RendererReport }) => void): Promise<void> {
  checked ??= (async () => {
    const [recorder, encoder] = [await recorderCapability(), await encoderCapability(TYPICAL_SIZE)];
    const verdicts = chooseMedia(recorder, encoder);
    found({ record: { capability: recorder, verdict: verdicts.record }, render: { capability: encoder, verdict: verdicts.render } });
  })();
  return checked;
}
