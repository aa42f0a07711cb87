import { describe, expect, it } from 'vitest';
import { LiveMailbox } from './live-mailbox';

interface Frame {
  id: number;
  closed: boolean;
  frame: { close(): void };
}

function frame(id: number): Frame {
  const made: Frame = { id, closed: false, frame: { close: () => (made.closed = true) } };
  return made;
}

/** The worker's request queue, by hand: turns wait until the test runs them. */
function mailbox() {
  const turns: (() => Promise<void>)[] = [];
  const ran: number[] = [];
  const superseded: number[] = [];
  const box = new LiveMailbox<Frame>(
    (turn) => turns.push(turn),
    async (request) => {
      ran.push(request.id);
    },
    (request) => superseded.push(request.id),
  );
  const runNextTurn = async () => {
    const turn = turns.shift();
    if (!turn) throw new Error('no turn queued');
    await turn();
  };
  return { box, turns, ran, superseded, runNextTurn };
}

describe('LiveMailbox', () => {
  it('queues one turn for a frame, and that turn runs it', async () => {
    const { box, turns, ran, runNextTurn } = mailbox();
    box.offer(frame(1));
    expect(turns).toHaveLength(1);
    await runNextTurn();
    expect(ran).toEqual([1]);
  });

  it('a newer frame replaces the waiting one: the older is closed and answered as superseded, never run', async () => {
    const { box, turns, ran, superseded, runNextTurn } = mailbox();
    const older = frame(1);
    const middle = frame(2);
    box.offer(older);
    box.offer(middle);
    box.offer(frame(3));
    expect(turns).toHaveLength(1);
    expect(superseded).toEqual([1, 2]);
    expect([older.closed, middle.closed]).toEqual([true, true]);
    await runNextTurn();
    expect(ran).toEqual([3]);
  });

  it('once its turn has taken a frame, the next frame waits for a turn of its own (behind the requests before it)', async () => {
    const { box, turns, ran, superseded, runNextTurn } = mailbox();
    box.offer(frame(1));
    await runNextTurn();
    const next = frame(2);
    box.offer(next);
    expect(turns).toHaveLength(1);
    expect(superseded).toEqual([]);
    expect(next.closed).toBe(false);
    await runNextTurn();
    expect(ran).toEqual([1, 2]);
  });
});
