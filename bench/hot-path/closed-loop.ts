/**
 * Closed-loop peak throughput with autocannon: a fixed number of keep-alive connections,
 * each sending its next request as soon as the previous answer arrives. The same settings
 * for the baseline and for the API, so their ratio compares servers, not load generators.
 * (The orchestrator records how busy each core was, so a saturated generator is visible.)
 */
import autocannon, { type AutocannonRequest } from 'autocannon';

export interface ClosedLoopResult {
  requestsPerSecond: number;
  total: number;
  durationSeconds: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
}

export interface ClosedLoopOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  requests?: AutocannonRequest[];
}

export async function closedLoop(options: ClosedLoopOptions): Promise<ClosedLoopResult> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSeconds,
    pipelining: 1,
    timeout: 10,
    ...(options.requests ? { requests: options.requests } : {}),
  });
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats)) statusCodes[code] = stat.count;
  return {
    requestsPerSecond: result.requests.total / result.duration,
    total: result.requests.total,
    durationSeconds: result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
  };
}
