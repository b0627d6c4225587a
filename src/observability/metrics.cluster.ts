import cluster from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import type { Metrics } from './metrics';

/**
 * /metrics under `WORKERS=n`: a scrape lands on any one worker, but must see the whole service.
 * The worker asks the primary, which collects every worker's registry over IPC with
 * prom-client's AggregatorRegistry (counters and histograms summed; gauges read from the
 * database taken from one worker, as they are the same in all) and answers with the text.
 * If the primary does not answer in time the worker serves its own figures, marked as such.
 */
type MetricsRequest = { triage: 'metrics-request'; id: number };
type MetricsAnswer = { triage: 'metrics'; id: number; text?: string; error?: string };

const ANSWER_TIMEOUT_MS = 6_000; // prom-client gives up on a silent worker after 5 s

function isMessage<T extends { triage: string }>(m: unknown, kind: T['triage']): m is T {
  return typeof m === 'object' && m !== null && (m as { triage?: unknown }).triage === kind;
}

/** In the primary: answers workers' requests with every worker's metrics, aggregated. */
export function aggregateWorkerMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message) => {
    if (!isMessage<MetricsRequest>(message, 'metrics-request')) return;
    const answer = (a: Omit<MetricsAnswer, 'triage' | 'id'>) => {
      if (worker.isConnected()) worker.send({ triage: 'metrics', id: message.id, ...a } satisfies MetricsAnswer);
    };
    aggregator.clusterMetrics().then(
      (text) => answer({ text }),
      (e: Error) => answer({ error: e.message }),
    );
  });
}

/** In a worker: report this registry to the primary, and serve scrapes with the aggregate. */
export function joinMetricsAggregation(metrics: Metrics): void {
  AggregatorRegistry.setRegistries([metrics.registry]);
  // prom-client answers the primary's requests only once an AggregatorRegistry exists in the worker.
  new AggregatorRegistry();
  const waiting = new Map<number, (text: string | null) => void>();
  let next = 0;
  process.on('message', (message) => {
    if (!isMessage<MetricsAnswer>(message, 'metrics')) return;
    waiting.get(message.id)?.(message.text ?? null);
  });
  metrics.exposition = async () => {
    const text = await new Promise<string | null>((resolve) => {
      const id = next++;
      const timer = setTimeout(() => settle(null), ANSWER_TIMEOUT_MS);
      function settle(t: string | null) {
        clearTimeout(timer);
        waiting.delete(id);
        resolve(t);
      }
      waiting.set(id, settle);
      if (process.connected && process.send) process.send({ triage: 'metrics-request', id } satisfies MetricsRequest);
      else settle(null);
    });
    return text ?? `# the primary did not answer: this worker's (pid ${process.pid}) figures only\n${await metrics.registry.metrics()}`;
  };
}
