import { describe, expect, it } from 'vitest';
import { buildPath, isPathActive, matchPath, matchRoutes, safeRedirectPath } from './route-matching';

describe('matchPath', () => {
  it.each([
    ['/', '/', {}],
    ['/sign-in', '/sign-in', {}],
    ['/sign-in', '/sign-in/', {}],
    ['/o/:orgSlug', '/o/acme', { orgSlug: 'acme' }],
    ['/o/:orgSlug/keys', '/o/acme/keys', { orgSlug: 'acme' }],
    ['/o/:orgSlug/keys/:keyId', '/o/acme/keys/key_1', { orgSlug: 'acme', keyId: 'key_1' }],
    ['/o/:orgSlug/*', '/o/acme', { orgSlug: 'acme', '*': '' }],
    ['/o/:orgSlug/*', '/o/acme/keys/key_1', { orgSlug: 'acme', '*': 'keys/key_1' }],
    ['/o/:orgSlug', '/o/caf%C3%A9', { orgSlug: 'café' }],
  ])('%s matches %s', (pattern, pathname, params) => {
    expect(matchPath(pattern, pathname)).toEqual(params);
  });

  it.each([
    ['/sign-in', '/sign-up'],
    ['/o/:orgSlug', '/o'],
    ['/o/:orgSlug', '/o/acme/keys'],
    ['/o/:orgSlug/keys', '/o/acme/spaces'],
    ['/', '/anything'],
    ['/Sign-in', '/sign-in'],
    ['/o/:orgSlug', '/o/%E0%A4%A'],
  ])('%s does not match %s', (pattern, pathname) => {
    expect(matchPath(pattern, pathname)).toBeNull();
  });

  it('refuses a splat that is not last', () => {
    expect(() => matchPath('/a/*/b', '/a/x/b')).toThrow(/last segment/);
  });
});

describe('matchRoutes', () => {
  const routes = [
    { path: '/o/:orgSlug/keys', value: 'keys' },
    { path: '/o/:orgSlug/*', value: 'shell' },
    { path: '/', value: 'home' },
  ];

  it('returns the first route that matches, in declaration order', () => {
    expect(matchRoutes(routes, '/o/acme/keys')).toEqual({
      path: '/o/:orgSlug/keys',
      value: 'keys',
      params: { orgSlug: 'acme' },
    });
    expect(matchRoutes(routes, '/o/acme/members')?.value).toBe('shell');
    expect(matchRoutes(routes, '/')?.value).toBe('home');
  });

  it('returns null when nothing matches', () => {
    expect(matchRoutes(routes, '/nowhere')).toBeNull();
  });
});

describe('buildPath', () => {
  it('fills and encodes parameters', () => {
    expect(buildPath('/o/:orgSlug/keys', { orgSlug: 'a b' })).toBe('/o/a%20b/keys');
    expect(buildPath('/')).toBe('/');
  });

  it('throws on a missing parameter', () => {
    expect(() => buildPath('/o/:orgSlug')).toThrow(/orgSlug/);
  });
});

describe('isPathActive', () => {
  it('matches exactly, or below the target with prefix', () => {
    expect(isPathActive('/o/acme', '/o/acme/', false)).toBe(true);
    expect(isPathActive('/o/acme', '/o/acme/keys', false)).toBe(false);
    expect(isPathActive('/o/acme/keys', '/o/acme/keys/key_1', true)).toBe(true);
    expect(isPathActive('/o/acme/keys', '/o/acme/keysmith', true)).toBe(false);
  });
});

describe('safeRedirectPath', () => {
  it.each([
    ['/o/acme/keys?page=2', '/o/acme/keys?page=2'],
    [null, '/'],
    ['', '/'],
    ['https://evil.example', '/'],
    ['//evil.example/path', '/'],
    ['/\\evil.example', '/'],
    ['javascript:alert(1)', '/'],
  ])('%s → %s', (input, expected) => {
    expect(safeRedirectPath(input)).toBe(expected);
  });
});
