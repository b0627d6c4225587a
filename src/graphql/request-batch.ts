/**
 * Per-request batching for field resolvers (a minimal DataLoader): the keys asked for while one
 * list is being resolved are loaded with a single call, once per request and loader name.
 */
interface Batch<K, V> {
  keys: Set<K>;
  result: Promise<Map<K, V>>;
}

const batches = new WeakMap<object, Map<string, Batch<unknown, unknown>>>();

export function loadBatched<K, V>(ctx: object, name: string, key: K, loadMany: (keys: K[]) => Promise<Map<K, V>>): Promise<V | undefined> {
  let byName = batches.get(ctx);
  if (!byName) batches.set(ctx, (byName = new Map()));
  let batch = byName.get(name) as Batch<K, V> | undefined;
  if (!batch) {
    const keys = new Set<K>();
    const result = new Promise<Map<K, V>>((resolve, reject) => {
      setImmediate(() => {
        byName!.delete(name); // later keys start a new batch
        loadMany([...keys]).then(resolve, reject);
      });
    });
    batch = { keys, result };
    byName.set(name, batch as Batch<unknown, unknown>);
  }
  batch.keys.add(key);
  return batch.result.then((m) => m.get(key));
}
