import pino from 'pino';
import { Poller } from './poller';

const log = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('Poller', () => {
  it('polls each queue in order every interval, after the last poll ended, and goes on past a failing queue', async () => {
    const p = new Poller({ name: 'test', intervalMs: 10, log });
    const seen: string[] = [];
    p.queues.push(
      { name: 'a', poll: async () => void seen.push('a') },
      {
        name: 'b',
        poll: async () => {
          seen.push('b');
          throw new Error('b failed');
        },
      },
      { name: 'c', poll: async () => void seen.push('c') },
    );
    p.start();
    await sleep(60);
    await p.stop();
    expect(seen.length).toBeGreaterThanOrEqual(6);
    expect(seen.slice(0, 6)).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
    const after = seen.length;
    await sleep(30);
    expect(seen.length).toBe(after); // stopped: no further polls
  });

  it('never polls on its own with interval 0; pollOnce drives it, and one asked for during a poll is that poll', async () => {
    const p = new Poller({ name: 'test', intervalMs: 0, log });
    const gate = deferred();
    let polls = 0;
    p.queues.push({
      name: 'q',
      poll: async () => {
        polls++;
        await gate.promise;
      },
    });
    p.start();
    await sleep(20);
    expect(polls).toBe(0);
    const first = p.pollOnce();
    const second = p.pollOnce();
    expect(second).toBe(first);
    gate.resolve();
    await first;
    expect(polls).toBe(1);
    await p.pollOnce();
    expect(polls).toBe(2);
  });

  it('runs exclusive work one after the other, behind a poll under way', async () => {
    const p = new Poller({ name: 'test', intervalMs: 0, log });
    const gate = deferred();
    const order: string[] = [];
    p.queues.push({
      name: 'q',
      poll: async () => {
        order.push('poll start');
        await gate.promise;
        order.push('poll end');
      },
    });
    const poll = p.pollOnce();
    const tick = p.runExclusive(async () => {
      order.push('tick');
      return 7;
    });
    await sleep(5);
    expect(order).toEqual(['poll start']);
    gate.resolve();
    expect(await tick).toBe(7);
    await poll;
    expect(order).toEqual(['poll start', 'poll end', 'tick']);
    // A failed run does not block the next.
    await expect(p.runExclusive(async () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(await p.runExclusive(async () => 8)).toBe(8);
  });

  it('stops gracefully: the poll under way finishes, then each queue drains in order, and nothing polls after', async () => {
    const p = new Poller({ name: 'test', intervalMs: 5, log });
    const gate = deferred();
    const order: string[] = [];
    let polls = 0;
    p.queues.push(
      {
        name: 'a',
        poll: async () => {
          polls++;
          if (polls === 1) {
            order.push('poll under way');
            await gate.promise;
            order.push('poll finished');
          }
        },
        drain: async () => void order.push('a drained'),
      },
      { name: 'b', poll: async () => undefined, drain: async () => void order.push('b drained') },
    );
    p.start();
    await sleep(20);
    const stopped = p.stop();
    await sleep(5);
    expect(order).toEqual(['poll under way']);
    gate.resolve();
    await stopped;
    expect(order).toEqual(['poll under way', 'poll finished', 'a drained', 'b drained']);
    const n = polls;
    await p.pollOnce(); // after stop, driven by hand again
    expect(polls).toBe(n + 1);
  });

  it('wakes for an early poll only while running, and coalesces wake-ups', async () => {
    const p = new Poller({ name: 'test', intervalMs: 60_000, log });
    let polls = 0;
    p.queues.push({ name: 'q', poll: async () => void polls++ });
    p.wake();
    await sleep(10);
    expect(polls).toBe(0); // not started
    p.start();
    p.wake();
    p.wake();
    await sleep(10);
    expect(polls).toBe(1);
    await p.stop();
    p.wake();
    await sleep(10);
    expect(polls).toBe(1);
  });
});
