import { AggregationTemporality, MetricReader, type DataPoint } from '@opentelemetry/sdk-metrics';

/** A pull metric reader for tests: metrics are collected when the test asks for a metric's points. */
export class TestReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  // A pull reader buffers nothing, so shutting down and flushing have nothing to do.
  protected async onShutdown(): Promise<void> {
    /* nothing buffered */
  }
  protected async onForceFlush(): Promise<void> {
    /* nothing buffered */
  }
  /** The data points recorded so far for the metric `name`. */
  async points(name: string): Promise<DataPoint<unknown>[]> {
    const { resourceMetrics } = await this.collect();
    return resourceMetrics.scopeMetrics
      .flatMap((s) => s.metrics)
      .filter((m) => m.descriptor.name === name)
      .flatMap((m) => m.dataPoints as DataPoint<unknown>[]);
  }
}
