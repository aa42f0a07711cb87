import { describe, expect, it } from 'vitest';
import { firstFrameLoaded, VideoDecodeError } from './video-file';

/** A media element stand-in that knows how many listeners are attached (honouring `signal` removal). */
class CountingTarget extends EventTarget {
  attached = 0;
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: AddEventListenerOptions | boolean): void {
    super.addEventListener(type, listener, options);
    this.attached++;
    const signal = typeof options === 'object' ? options.signal : undefined;
    signal?.addEventListener('abort', () => this.attached--, { once: true });
  }
}

describe('firstFrameLoaded', () => {
  it('resolves on loadeddata and leaves no listener behind', async () => {
    const element = new CountingTarget();
    const opened = firstFrameLoaded(element, new AbortController().signal);
    expect(element.attached).toBe(3);
    element.dispatchEvent(new Event('loadeddata'));
    await opened;
    expect(element.attached).toBe(0);
  });

  it('rejects on a media error and leaves no listener behind', async () => {
    const element = new CountingTarget();
    const opened = firstFrameLoaded(element, new AbortController().signal);
    element.dispatchEvent(new Event('error'));
    await expect(opened).rejects.toBeInstanceOf(VideoDecodeError);
    expect(element.attached).toBe(0);
  });

  it('rejects when the element stalls with nothing loaded (a player that cannot read the file), not when it stalls with data', async () => {
    const element = Object.assign(new CountingTarget(), { readyState: 2 });
    let settled = false;
    const opened = firstFrameLoaded(element, new AbortController().signal);
    void opened.catch(() => undefined).finally(() => (settled = true));
    element.dispatchEvent(new Event('stalled'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(settled).toBe(false);
    element.readyState = 0;
    element.dispatchEvent(new Event('stalled'));
    await expect(opened).rejects.toBeInstanceOf(VideoDecodeError);
    expect(element.attached).toBe(0);
  });

  it('gives up when its source is closed, and ten files opened in a row leave no listener behind', async () => {
    const element = new CountingTarget();
    for (let i = 0; i < 10; i++) {
      const source = new AbortController();
      const opened = firstFrameLoaded(element, source.signal);
      source.abort(new DOMException('closed', 'AbortError'));
      await expect(opened).rejects.toMatchObject({ name: 'AbortError' });
    }
    expect(element.attached).toBe(0);
  });
});
