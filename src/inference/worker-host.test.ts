import { describe, expect, it } from 'vitest';
import { WorkerCrashedError, type InferenceClient } from '../worker/client';
import { WorkerHost } from './worker-host';

/** Clients as the host sees them: each can be made to crash, and knows whether it was terminated. */
function fakeClients() {
  const made: { crash(): void; terminated: boolean }[] = [];
  const spawn = (onCrash: (error: WorkerCrashedError) => void) => {
    const client = { terminated: false, terminate: () => (client.terminated = true) };
    made.push({ crash: () => onCrash(new WorkerCrashedError('boom')), get terminated() { return client.terminated; } });
    return client as unknown as InferenceClient;
  };
  return { made, spawn };
}

describe('WorkerHost', () => {
  it('terminates the old worker when it starts a new one, and hands out the new one', () => {
    const { made, spawn } = fakeClients();
    const host = new WorkerHost(spawn);
    expect(() => host.client).toThrow(/not started/);
    const first = host.restart(() => undefined);
    const second = host.restart(() => undefined);
    expect(made[0].terminated).toBe(true);
    expect(made[1].terminated).toBe(false);
    expect(host.client).toBe(second);
    expect(host.client).not.toBe(first);
  });

  it('allows three restarts a minute and refuses the fourth; after a quiet minute it allows again', () => {
    const { made, spawn } = fakeClients();
    let now = 0;
    const host = new WorkerHost(spawn, () => now);
    const verdicts: boolean[] = [];
    const onCrash = (_error: WorkerCrashedError, restartable: boolean) => verdicts.push(restartable);
    for (let i = 0; i < 4; i++) {
      host.restart(onCrash);
      now += 1_000;
      made[made.length - 1].crash();
    }
    expect(verdicts).toEqual([true, true, true, false]);
    now += 61_000;
    host.restart(onCrash);
    made[made.length - 1].crash();
    expect(verdicts.at(-1)).toBe(true);
  });

  it('ignores a crash report from a worker it has already replaced', () => {
    const { made, spawn } = fakeClients();
    const host = new WorkerHost(spawn);
    const crashes: boolean[] = [];
    host.restart((_e, restartable) => crashes.push(restartable));
    host.restart((_e, restartable) => crashes.push(restartable));
    made[0].crash();
    expect(crashes).toEqual([]);
  });
});
