/** Small statistics helpers for latency samples and repeated timings. */

/** The q-quantile (0..1) of `sorted` (ascending), nearest-rank. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

/** Median of unsorted values. */
export function median(values: readonly number[]): number {
  return quantile(Float64Array.from(values).sort(), 0.5);
}

/** Growable buffer of latency samples in milliseconds. */
export class Samples {
  private data = new Float64Array(1024);
  private size = 0;

  /** Adds one sample. */
  add(value: number): void {
    if (this.size === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.size++] = value;
  }

  /** Number of samples. */
  get count(): number {
    return this.size;
  }

  /** p50 and p99 of the samples. */
  percentiles(): { p50: number; p99: number } {
    const sorted = this.data.slice(0, this.size).sort();
    return { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99) };
  }
}
