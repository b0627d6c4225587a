import { RequestState } from './request-state';

describe('RequestState', () => {
  it('expires once its time budget has passed, on the clock it is given, and throws REQUEST_TIMEOUT from then on', () => {
    let now = 1000;
    const state = new RequestState('127.0.0.1', 50, () => now);
    expect(state.expired()).toBe(false);
    now = 1050;
    expect(() => state.assertTime()).not.toThrow();
    now = 1051;
    expect(() => state.assertTime()).toThrow(expect.objectContaining({ code: 'REQUEST_TIMEOUT', extensions: { timeoutMs: 50 } }));
    now = 0; // once expired, stays expired
    expect(state.expired()).toBe(true);
  });

  it('never expires without a budget', () => {
    let now = 0;
    const state = new RequestState('127.0.0.1', 0, () => now);
    now = Number.MAX_SAFE_INTEGER;
    expect(state.expired()).toBe(false);
  });

  it('loads the keys asked for in one tick with one call, duplicates once, without caching across calls', async () => {
    const state = new RequestState('127.0.0.1', 0);
    const calls: number[][] = [];
    const load = (ids: number[]) => {
      calls.push(ids);
      return Promise.resolve(new Map(ids.map((id) => [id, id * 10])));
    };
    const loader = () => state.loader('x', load);
    expect(await Promise.all([loader().load(1), loader().load(2), loader().load(1)])).toEqual([10, 20, 10]);
    expect(calls).toEqual([[1, 2]]);
    await loader().load(1);
    expect(calls).toHaveLength(2);
  });
});
