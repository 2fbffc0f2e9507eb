/** API requests counted per endpoint and answer ("200", "401", "429", "dropped"...). */
export interface StatsSnapshot {
  total: number;
  byEndpoint: Record<string, Record<string, number>>;
}

export class RequestStats {
  private total = 0;
  private byEndpoint = new Map<string, Map<string, number>>();

  record(endpoint: string, outcome: number | "dropped"): void {
    this.total += 1;
    let counts = this.byEndpoint.get(endpoint);
    if (counts === undefined) {
      counts = new Map();
      this.byEndpoint.set(endpoint, counts);
    }
    const key = String(outcome);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }

  snapshot(): StatsSnapshot {
    const byEndpoint: Record<string, Record<string, number>> = {};
    for (const [endpoint, counts] of this.byEndpoint) byEndpoint[endpoint] = Object.fromEntries(counts);
    return { total: this.total, byEndpoint };
  }

  reset(): void {
    this.total = 0;
    this.byEndpoint = new Map();
  }
}
