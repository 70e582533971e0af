import { KEY_STATES } from '@keysmith/domain';
import type { KeyEnvironment, KeySort, KeyStatus, SortOrder } from './key-types';

/**
 * The keys table's state lives in the URL (`?q=pay&env=live&page=2`), so a filtered view can
 * be bookmarked, shared and restored with Back. This module is the one translation between
 * the query string and the `key.list` input; unknown or malformed values fall back to the
 * defaults instead of failing the page.
 */

export const PER_PAGE_CHOICES = [10, 25, 50, 100] as const;
export type PerPage = (typeof PER_PAGE_CHOICES)[number];
export const DEFAULT_PER_PAGE: PerPage = 25;
/** The "expiring soon" window: the same 30 days as the expiry notification (§2.2). */
export const EXPIRING_DAYS = 30;
const STATUSES: readonly KeyStatus[] = KEY_STATES;
const ENVIRONMENTS: readonly KeyEnvironment[] = ['live', 'test'];

export interface KeyListState {
  search: string;
  spaceId: string | null;
  category: string | null;
  environment: KeyEnvironment | null;
  status: KeyStatus | null;
  /** Only keys that still work and expire within {@link EXPIRING_DAYS} days (`?expiring=30`). */
  expiring?: true | undefined;
  sort: KeySort;
  order: SortOrder;
  page: number;
  perPage: PerPage;
}

export const DEFAULT_LIST_STATE: KeyListState = {
  search: '',
  spaceId: null,
  category: null,
  environment: null,
  status: null,
  sort: 'created',
  order: 'desc',
  page: 1,
  perPage: DEFAULT_PER_PAGE,
};

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | null {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : null;
}

function nonEmpty(value: string | null): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed.length > 0 ? trimmed : null;
}

export function parseListState(params: URLSearchParams): KeyListState {
  const page = Number(params.get('page'));
  const perPage = Number(params.get('per'));
  return {
    search: (params.get('q') ?? '').slice(0, 128),
    spaceId: nonEmpty(params.get('space')),
    category: nonEmpty(params.get('category'))?.slice(0, 32) ?? null,
    environment: oneOf(params.get('env'), ENVIRONMENTS),
    status: oneOf(params.get('status'), STATUSES),
    ...(params.get('expiring') === String(EXPIRING_DAYS) ? { expiring: true as const } : {}),
    sort: params.get('sort') === 'lastUsed' ? 'lastUsed' : 'created',
    order: params.get('order') === 'asc' ? 'asc' : 'desc',
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    perPage: (PER_PAGE_CHOICES as readonly number[]).includes(perPage)
      ? (perPage as PerPage)
      : DEFAULT_PER_PAGE,
  };
}

/** The query string for a state (`?q=…`), leaving defaults out so URLs stay short; `''` for the default view. */
export function listStateToSearch(state: KeyListState): string {
  const params = new URLSearchParams();
  if (state.search.trim()) params.set('q', state.search);
  if (state.spaceId) params.set('space', state.spaceId);
  if (state.category) params.set('category', state.category);
  if (state.environment) params.set('env', state.environment);
  if (state.status) params.set('status', state.status);
  if (state.expiring) params.set('expiring', String(EXPIRING_DAYS));
  if (state.sort !== DEFAULT_LIST_STATE.sort) params.set('sort', state.sort);
  if (state.order !== DEFAULT_LIST_STATE.order) params.set('order', state.order);
  if (state.page !== 1) params.set('page', String(state.page));
  if (state.perPage !== DEFAULT_PER_PAGE) params.set('per', String(state.perPage));
  const query = params.toString();
  return query ? `?${query}` : '';
}

/** Whether any filter or search narrows the list (the "no results" state offers to clear them). */
export function isFiltered(state: KeyListState): boolean {
  return Boolean(
    state.search.trim() ||
      state.spaceId ||
      state.category ||
      state.environment ||
      state.status ||
      state.expiring,
  );
}

/** The same view without search and filters (sort and page size are kept: they are preferences). */
export function clearFilters(state: KeyListState): KeyListState {
  return {
    ...state,
    search: '',
    spaceId: null,
    category: null,
    environment: null,
    status: null,
    expiring: undefined,
    page: 1,
  };
}

/** The `key.list` input (without `orgId`) for a state. */
export function listInput(state: KeyListState) {
  const search = state.search.trim();
  return {
    ...(search ? { search } : {}),
    ...(state.spaceId ? { spaceId: state.spaceId } : {}),
    ...(state.category ? { category: state.category } : {}),
    ...(state.environment ? { environment: state.environment } : {}),
    ...(state.status ? { status: state.status } : {}),
    ...(state.expiring ? { expiresWithinDays: EXPIRING_DAYS } : {}),
    sort: state.sort,
    order: state.order,
    page: state.page,
    perPage: state.perPage,
  };
}

/** "1–25 of 1,234"; "0 of 0" for an empty page. */
export function rangeLabel(
  page: number,
  perPage: number,
  total: number,
  format: (n: number) => string,
): string {
  if (total === 0) return '0 of 0';
  const first = Math.min((page - 1) * perPage + 1, total);
  const last = Math.min(page * perPage, total);
  return `${format(first)}–${format(last)} of ${format(total)}`;
}

/** Number of pages for a total (at least 1, so "Page 1 of 1" reads right for an empty list). */
export function pageCount(perPage: number, total: number): number {
  return Math.max(1, Math.ceil(total / perPage));
}
