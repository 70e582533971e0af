import { monitorEventLoopDelay } from 'node:perf_hooks';

/** A monotonically increasing count. */
export interface MetricCounter {
  inc(by?: number): void;
  readonly value: number;
}

interface CounterEntry {
  help: string;
  value: number;
}

interface GaugeEntry {
  help: string;
  read: () => number;
}

/**
 * The process's operational figures (rows written, set aside or dropped, buffers, event-loop
 * delay), rendered in the Prometheus text format at `GET /metrics`. Counters are plain numbers
 * bumped on the hot path (no allocation); gauges are read when scraped. No tenant data, no labels
 * that could carry one.
 */
export class Metrics {
  private readonly counters = new Map<string, CounterEntry>();
  private readonly gauges = new Map<string, GaugeEntry>();

  /** The counter `name` (created on first use; the same object for the same name). */
  counter(name: string, help: string): MetricCounter {
    let entry = this.counters.get(name);
    if (!entry) {
      entry = { help, value: 0 };
      this.counters.set(name, entry);
    }
    const counter = entry;
    return {
      inc(by = 1) {
        counter.value += by;
      },
      get value() {
        return counter.value;
      },
    };
  }

  /** A value read when the metrics are scraped (buffer sizes, delays). */
  gauge(name: string, help: string, read: () => number): void {
    this.gauges.set(name, { help, read });
  }

  /** The current value of a counter or gauge (tests, health details); 0 when unknown. */
  value(name: string): number {
    return this.counters.get(name)?.value ?? this.gauges.get(name)?.read() ?? 0;
  }

  /** Prometheus text exposition format 0.0.4. */
  render(): string {
    const lines: string[] = [];
    for (const [name, { help, value }] of this.counters) {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`, `${name} ${value}`);
    }
    for (const [name, { help, read }] of this.gauges) {
      let value: number;
      try {
        value = read();
      } catch {
        value = Number.NaN;
      }
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${value}`);
    }
    return `${lines.join('\n')}\n`;
  }
}

/**
 * The request thread's event-loop delay (how late timers fire: how long something ran without
 * yielding), as gauges over the span since the last scrape: p99 and max in ms. The figure to
 * watch for stalls, since an average hides them (issue 10).
 */
export function watchEventLoop(metrics: Metrics): { stop(): void } {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let p99 = 0;
  let max = 0;
  let taken = false;
  const take = () => {
    if (taken) return;
    taken = true;
    p99 = histogram.percentile(99) / 1e6;
    max = histogram.max / 1e6;
    histogram.reset();
    // Both gauges are read in the same scrape; the next one measures a new span.
    queueMicrotask(() => {
      taken = false;
    });
  };
  metrics.gauge('keysmith_event_loop_delay_p99_ms', 'Event-loop delay p99 since the last scrape (ms)', () => {
    take();
    return p99;
  });
  metrics.gauge('keysmith_event_loop_delay_max_ms', 'Event-loop delay max since the last scrape (ms)', () => {
    take();
    return max;
  });
  return { stop: () => histogram.disable() };
}
