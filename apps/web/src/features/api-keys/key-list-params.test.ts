import { describe, expect, it } from 'vitest';
import {
  clearFilters,
  DEFAULT_LIST_STATE,
  isFiltered,
  listInput,
  listStateToSearch,
  pageCount,
  parseListState,
  rangeLabel,
} from './key-list-params';

const format = (n: number) => new Intl.NumberFormat('en-US').format(n);

describe('key list URL state', () => {
  it('parses an empty query to the defaults and writes them back as nothing', () => {
    const state = parseListState(new URLSearchParams(''));
    expect(state).toEqual(DEFAULT_LIST_STATE);
    expect(listStateToSearch(state)).toBe('');
  });

  it('round-trips every parameter', () => {
    const search =
      '?q=pay+ments&space=spc_1&category=staging&env=test&status=revoked&sort=lastUsed&order=asc&page=3&per=50';
    const state = parseListState(new URLSearchParams(search));
    expect(state).toEqual({
      search: 'pay ments',
      spaceId: 'spc_1',
      category: 'staging',
      environment: 'test',
      status: 'revoked',
      sort: 'lastUsed',
      order: 'asc',
      page: 3,
      perPage: 50,
    });
    expect(parseListState(new URLSearchParams(listStateToSearch(state)))).toEqual(state);
  });

  it('ignores values it does not know instead of failing', () => {
    const state = parseListState(
      new URLSearchParams('?env=prod&status=gone&sort=name&page=-2&per=7&order=sideways&space=%20'),
    );
    expect(state).toEqual(DEFAULT_LIST_STATE);
  });

  it('builds the list input, leaving out what is not set', () => {
    expect(listInput(DEFAULT_LIST_STATE)).toEqual({ sort: 'created', order: 'desc', page: 1, perPage: 25 });
    expect(listInput({ ...DEFAULT_LIST_STATE, search: '  pay ', environment: 'live' })).toEqual({
      search: 'pay',
      environment: 'live',
      sort: 'created',
      order: 'desc',
      page: 1,
      perPage: 25,
    });
  });

  it('knows when the view is filtered and clears filters but keeps preferences', () => {
    const state = {
      ...DEFAULT_LIST_STATE,
      search: 'x',
      status: 'active' as const,
      perPage: 50 as const,
      page: 4,
    };
    expect(isFiltered(state)).toBe(true);
    const cleared = clearFilters(state);
    expect(isFiltered(cleared)).toBe(false);
    expect(cleared.perPage).toBe(50);
    expect(cleared.page).toBe(1);
  });

  it('labels ranges and counts pages', () => {
    expect(rangeLabel(1, 25, 1234, format)).toBe('1–25 of 1,234');
    expect(rangeLabel(50, 25, 1234, format)).toBe('1,226–1,234 of 1,234');
    expect(rangeLabel(1, 25, 0, format)).toBe('0 of 0');
    expect(pageCount(25, 0)).toBe(1);
    expect(pageCount(25, 26)).toBe(2);
  });
});
