/**
 * A fake of the inference worker's boundary, for unit tests of the client in Node: it keeps what the
 * client posts (with the transfer lists) and the test drives every reply, error and crash. Like a real
 * worker, a terminated one ignores messages both ways.
 */
import type { WorkerPort } from '../worker/client';
import type { WorkerClock, WorkerRequest, WorkerResponse } from '../worker/protocol';

/** The worker clock of a fake prediction reply. */
export const FAKE_CLOCK: WorkerClock = { atMs: 0, idleMs: 0, predictions: 0, preprocessMs: 0, inferMs: 0, camMs: 0 };

export class FakeWorker implements WorkerPort {
  onmessage: WorkerPort['onmessage'] = null;
  onerror: WorkerPort['onerror'] = null;
  onmessageerror: WorkerPort['onmessageerror'] = null;
  readonly posted: { message: WorkerRequest; transfer: Transferable[] }[] = [];
  terminated = false;

  postMessage(message: WorkerRequest, transfer: Transferable[]): void {
    if (!this.terminated) this.posted.push({ message, transfer });
  }

  terminate(): void {
    this.terminated = true;
  }

  /** The last request of this type the client posted. */
  request<T extends WorkerRequest['type']>(type: T): Extract<WorkerRequest, { type: T }> {
    const found = this.posted.findLast((p) => p.message.type === type);
    if (!found) throw new Error(`the client posted no ${type} request`);
    return found.message as Extract<WorkerRequest, { type: T }>;
  }

  reply(message: WorkerResponse): void {
    if (!this.terminated) this.onmessage?.(new MessageEvent('message', { data: message }));
  }

  /** An uncaught error in the worker; returns whether the client kept it from the console (preventDefault). */
  throwUncaught(message: string): boolean {
    let prevented = false;
    const event = { message, preventDefault: () => (prevented = true) } as unknown as ErrorEvent;
    if (!this.terminated) this.onerror?.(event);
    return prevented;
  }

  /** A message that cannot be deserialised. */
  sendUnreadable(): void {
    if (!this.terminated) this.onmessageerror?.(new MessageEvent('messageerror'));
  }
}
