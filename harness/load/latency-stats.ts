// Per-endpoint latency summaries: exact percentiles over every recorded sample (nearest-rank).
export interface EndpointSummary {
  endpoint: string;
  requests: number;
  errors: number;
  retries: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export class LatencyRecorder {
  private samples = new Map<string, number[]>();
  private errorCounts = new Map<string, number>();
  private retryCounts = new Map<string, number>();
  readonly errorExamples: string[] = [];

  private taps = new Set<LatencyRecorder>();

  record(endpoint: string, ms: number): void {
    let s = this.samples.get(endpoint);
    if (!s) this.samples.set(endpoint, (s = []));
    s.push(ms);
    for (const tap of this.taps) tap.record(endpoint, ms);
  }

  /** Also records every sample that completes while `during` runs into `tap` (returned). */
  async tapWhile(during: () => Promise<void>, tap = new LatencyRecorder()): Promise<LatencyRecorder> {
    this.taps.add(tap);
    try {
      await during();
    } finally {
      this.taps.delete(tap);
    }
    return tap;
  }
  error(endpoint: string, what: string): void {
    this.errorCounts.set(endpoint, (this.errorCounts.get(endpoint) ?? 0) + 1);
    if (this.errorExamples.length < 20) this.errorExamples.push(`${endpoint}: ${what}`);
  }
  retry(endpoint: string): void {
    this.retryCounts.set(endpoint, (this.retryCounts.get(endpoint) ?? 0) + 1);
  }

  summarise(durationS: number): EndpointSummary[] {
    const names = new Set([...this.samples.keys(), ...this.errorCounts.keys()]);
    return [...names].sort().map((endpoint) => {
      const sorted = [...(this.samples.get(endpoint) ?? [])].sort((a, b) => a - b);
      const round = (x: number) => Math.round(x * 10) / 10;
      return {
        endpoint,
        requests: sorted.length,
        errors: this.errorCounts.get(endpoint) ?? 0,
        retries: this.retryCounts.get(endpoint) ?? 0,
        requestsPerSecond: round(sorted.length / durationS),
        p50: round(percentile(sorted, 50)),
        p95: round(percentile(sorted, 95)),
        p99: round(percentile(sorted, 99)),
        max: round(sorted[sorted.length - 1] ?? NaN),
        mean: round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)),
      };
    });
  }
}

export function formatTable(rows: EndpointSummary[]): string {
  const head = ["endpoint", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors", "retries"];
  const body = rows.map((r) =>
    [r.endpoint, r.requests, r.requestsPerSecond, r.p50, r.p95, r.p99, r.max, r.errors, r.retries].map(String),
  );
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}
