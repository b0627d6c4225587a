/** Latency samples and their summary: throughput and nearest-rank percentiles. */

export class Latencies {
  private samples: number[] = [];
  private busyMs = 0;
  private cpuMicros = 0;

  /** Adds the process CPU time (user + system, all threads: GC included) spent on some of the calls. */
  addCpu(usage: NodeJS.CpuUsage): void {
    this.cpuMicros += usage.user + usage.system;
  }

  /** Calls per second of CPU time: what one core sustains, whatever else the machine runs. */
  get perCpuSecond(): number {
    return this.cpuMicros > 0 ? (this.samples.length * 1e6) / this.cpuMicros : 0;
  }

  /** Adds one call's latency in ms. */
  add(ms: number): void {
    this.samples.push(ms);
    this.busyMs += ms;
  }

  get count(): number {
    return this.samples.length;
  }

  /** Calls per second over the (wall-clock) time spent in the calls. */
  get perSecond(): number {
    return this.busyMs > 0 ? (this.samples.length * 1000) / this.busyMs : 0;
  }

  /** The q-quantile (0 < q ≤ 1) in µs, nearest rank. */
  percentileMicros(q: number): number {
    if (this.samples.length === 0) return Number.NaN;
    const sorted = Float64Array.from(this.samples).sort();
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] * 1000;
  }
}

const group = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** A number for a table: thousands grouped; small numbers with one or two decimals. */
export function show(n: number): string {
  if (!Number.isFinite(n)) return '—';
  if (n >= 100) return group(Math.round(n));
  return group(n, n >= 10 ? 1 : 2);
}

/** A Markdown table. */
export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
