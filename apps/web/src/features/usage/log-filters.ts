import { resolveTimeRange, type TimeBounds, type TimeRange, timeRange } from '../../lib/time-range';
import { isLogCode } from './log-display';
import type { LogCode } from './usage-types';

/**
 * The request-log filters as the toolbar holds them (strings from inputs and selects), and
 * their translation into `log.list` / `log.exportCsv` input: empty fields are left out, not
 * sent as empty strings, so "any" means no condition at all.
 */
export interface LogFilterState {
  /** An HTTP status as text (`"401"`), or `""` for any. */
  status: string;
  /** An outcome code, or `""` for any. */
  code: string;
  ip: string;
  /** A prefix of the endpoint (`/v1/api-keys`). */
  endpoint: string;
  range: TimeRange;
  /** One key of the space or organization, or `""` for all of them (space and org-wide logs). */
  keyId?: string;
  /** One space, or `""` for every readable space (org-wide logs). */
  spaceId?: string;
}

export function initialLogFilters(now: number): LogFilterState {
  return { status: '', code: '', ip: '', endpoint: '', keyId: '', spaceId: '', range: timeRange('all', now) };
}

export interface LogQueryFilters extends TimeBounds {
  status?: number;
  code?: LogCode;
  ip?: string;
  endpoint?: string;
  keyId?: string;
  spaceId?: string;
}

/** The filters the server understands, or `null` while the custom time range is not valid. */
export function logQueryFilters(state: LogFilterState): LogQueryFilters | null {
  const range = resolveTimeRange(state.range);
  if (!range.ok) return null;
  const filters: LogQueryFilters = { ...range.bounds };
  const status = Number(state.status);
  if (state.status && Number.isInteger(status)) filters.status = status;
  if (isLogCode(state.code)) filters.code = state.code;
  const ip = state.ip.trim();
  if (ip) filters.ip = ip;
  const endpoint = state.endpoint.trim();
  if (endpoint) filters.endpoint = endpoint;
  if (state.keyId) filters.keyId = state.keyId;
  else if (state.spaceId) filters.spaceId = state.spaceId;
  return filters;
}

/** Whether anything narrows the rows (so an empty result says "no match", not "no requests yet"). */
export function isLogFiltered(state: LogFilterState): boolean {
  return (
    state.status !== '' ||
    state.code !== '' ||
    state.ip.trim() !== '' ||
    state.endpoint.trim() !== '' ||
    Boolean(state.keyId) ||
    Boolean(state.spaceId) ||
    state.range.preset !== 'all'
  );
}
