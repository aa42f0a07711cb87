import { describe, expect, it, vi } from 'vitest';

/** The live module, as the lazy entry sees it: a session whose calls settle when the test says. */
const session = vi.hoisted(() => {
  let finish: () => void = () => undefined;
  return {
    startWebcam: vi.fn(() => new Promise<void>((resolve) => (finish = resolve))),
    openVideoFile: vi.fn(() => new Promise<void>((resolve) => (finish = resolve))),
    finish: () => finish(),
  };
});
vi.mock('./index', () => ({ liveSession: session }));

const { openVideoLazily, startWebcamLazily } = await import('./lazy');

async function settlesOnlyAfterTheSession(call: () => Promise<void>, reached: () => boolean) {
  let settled = false;
  const started = call().then(() => (settled = true));
  await vi.waitFor(() => expect(reached()).toBe(true));
  await new Promise((resolve) => setTimeout(resolve, 10));
  expect(settled).toBe(false);
  session.finish();
  await started;
  expect(settled).toBe(true);
}

describe('lazy live entry', () => {
  it('starting the webcam settles when the session has started it (or failed), not before', async () => {
    await settlesOnlyAfterTheSession(() => startWebcamLazily({ facing: 'environment' }), () => session.startWebcam.mock.calls.length > 0);
    expect(session.startWebcam).toHaveBeenCalledWith({ facing: 'environment' });
  });

  it('opening a video file likewise', async () => {
    const file = new File([new Uint8Array(4)], 'clip.webm', { type: 'video/webm' });
    await settlesOnlyAfterTheSession(() => openVideoLazily(file), () => session.openVideoFile.mock.calls.length > 0);
    expect(session.openVideoFile).toHaveBeenCalledWith(file);
  });
});
