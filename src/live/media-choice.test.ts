import { describe, expect, test } from 'vitest';
import { chooseMedia, chooseRecorder, chooseRenderer, RECORDER_TYPES, type EncoderCapability, type RecorderCapability } from './media-choice';

const recorder = (over: Partial<RecorderCapability>): RecorderCapability => ({
  mediaRecorder: true,
  canvasCapture: true,
  supportedTypes: [...RECORDER_TYPES],
  producesVideo: true,
  ...over,
});
const encoder = (codecs: EncoderCapability['codecs'], webCodecs = true): EncoderCapability => ({ webCodecs, codecs });

describe('chooseRecorder', () => {
  test('WebM with VP9 where the browser records everything (Chromium)', () => {
    expect(chooseRecorder(recorder({}), true)).toEqual({ ok: true, container: 'webm', mimeType: 'video/webm;codecs=vp9', extension: 'webm' });
  });

  test('WebM with VP8 where VP9 is not offered (Firefox)', () => {
    expect(chooseRecorder(recorder({ supportedTypes: ['video/webm;codecs=vp8', 'video/webm'] }), true)).toMatchObject({ ok: true, mimeType: 'video/webm;codecs=vp8', extension: 'webm' });
  });

  test('MP4 with H.264, named .mp4, where only MP4 is offered (Safari, WebKitGTK)', () => {
    expect(chooseRecorder(recorder({ supportedTypes: ['video/mp4;codecs=avc1', 'video/mp4'] }), true)).toEqual({ ok: true, container: 'mp4', mimeType: 'video/mp4;codecs=avc1', extension: 'mp4' });
    expect(chooseRecorder(recorder({ supportedTypes: ['video/mp4'] }), true)).toMatchObject({ ok: true, mimeType: 'video/mp4', extension: 'mp4' });
  });

  test('not tried yet is no reason to refuse', () => {
    expect(chooseRecorder(recorder({ producesVideo: null }), true)).toMatchObject({ ok: true });
  });

  test('a recorder that claims MP4 but wrote an empty file is refused, saying so and what to use instead', () => {
    const verdict = chooseRecorder(recorder({ supportedTypes: ['video/mp4;codecs=avc1'], producesVideo: false }), true);
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.reason).toMatch(/says it writes MP4 but produced an empty file/);
    expect(verdict.reason).toMatch(/Render heatmap video.*Frames CSV/);
  });

  test.each<[Partial<RecorderCapability>, RegExp]>([
    [{ mediaRecorder: false, supportedTypes: [] }, /cannot record video \(it has no MediaRecorder\)/],
    [{ canvasCapture: false }, /cannot capture a canvas/],
    [{ supportedTypes: ['video/x-matroska'] }, /neither WebM nor MP4/],
  ])('refused with a plain reason: %j', (over, reason) => {
    const verdict = chooseRecorder(recorder(over), true);
    expect(verdict).toMatchObject({ ok: false, reason: expect.stringMatching(reason) });
  });
});

describe('chooseRenderer', () => {
  test('VP9 in WebM first, then VP8 in WebM, then H.264 in MP4', () => {
    expect(chooseRenderer(encoder({ vp9: true, vp8: true, avc: true }), true)).toEqual({ ok: true, codec: 'vp9', container: 'webm', mimeType: 'video/webm', extension: 'webm' });
    expect(chooseRenderer(encoder({ vp9: false, vp8: true, avc: true }), true)).toMatchObject({ ok: true, codec: 'vp8', container: 'webm' });
    expect(chooseRenderer(encoder({ vp9: false, vp8: false, avc: true }), true)).toEqual({ ok: true, codec: 'avc', container: 'mp4', mimeType: 'video/mp4', extension: 'mp4' });
  });

  test('no WebCodecs: the reason offers Record where Record works, else only the CSV', () => {
    const withRecord = chooseRenderer(encoder({}, false), true);
    expect(withRecord).toMatchObject({ ok: false, reason: expect.stringMatching(/^This browser cannot encode video \(it has no WebCodecs encoder\): use “Record”.*“Frames CSV”/) });
    const without = chooseRenderer(encoder({}, false), false);
    expect(without).toMatchObject({ ok: false, reason: expect.not.stringMatching(/Record/) });
    expect(without).toMatchObject({ reason: expect.stringMatching(/“Frames CSV”/) });
  });

  test('WebCodecs without any of the three codecs is refused, naming them', () => {
    expect(chooseRenderer(encoder({ vp9: false, vp8: false, avc: false }), true)).toMatchObject({ ok: false, reason: expect.stringMatching(/none of VP9, VP8 or H\.264/) });
  });
});

describe('chooseMedia', () => {
  const firefox = { recorder: recorder({ supportedTypes: ['video/webm;codecs=vp8', 'video/webm'] }), encoder: encoder({ vp9: true, vp8: true, avc: true }) };

  test('both offered where both work', () => {
    const { record, render } = chooseMedia(firefox.recorder, firefox.encoder);
    expect(record).toMatchObject({ ok: true, mimeType: 'video/webm;codecs=vp8' });
    expect(render).toMatchObject({ ok: true, codec: 'vp9' });
  });

  test('an empty-file recorder points to render mode, which works', () => {
    const { record, render } = chooseMedia(recorder({ supportedTypes: ['video/mp4;codecs=avc1'], producesVideo: false }), firefox.encoder);
    expect(render.ok).toBe(true);
    expect(record).toMatchObject({ ok: false, reason: expect.stringMatching(/use “Render heatmap video”/) });
  });

  test('neither works: each reason offers only the per-frame CSV, never the other missing feature', () => {
    const { record, render } = chooseMedia(recorder({ mediaRecorder: false, supportedTypes: [] }), encoder({}, false));
    expect(record).toMatchObject({ ok: false, reason: expect.stringMatching(/“Frames CSV”/) });
    expect(render).toMatchObject({ ok: false, reason: expect.stringMatching(/“Frames CSV”/) });
    expect(record).toMatchObject({ reason: expect.not.stringMatching(/Render heatmap video/) });
    expect(render).toMatchObject({ reason: expect.not.stringMatching(/Record/) });
  });
});
