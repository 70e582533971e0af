import { describe, expect, it } from 'vitest';
import { safeRedirectPath } from '../../lib/route-matching';
import { authPathForInvitation, invitationPath, sameEmail } from './invitation-paths';

describe('invitation paths', () => {
  it('builds the invitation URL with the token encoded', () => {
    expect(invitationPath('abc-_123')).toBe('/invite/abc-_123');
    expect(invitationPath('a/b')).toBe('/invite/a%2Fb');
  });

  it('sends to sign-in or sign-up with the email prefilled and a safe way back', () => {
    const path = authPathForInvitation('sign-up', 'tok_1', 'grace+dev@example.test');
    const url = new URL(path, 'http://localhost');
    expect(url.pathname).toBe('/sign-up');
    expect(url.searchParams.get('email')).toBe('grace+dev@example.test');
    expect(safeRedirectPath(url.searchParams.get('next'))).toBe('/invite/tok_1');
  });

  it('compares emails like the server', () => {
    expect(sameEmail('Grace@Example.test', ' grace@example.test')).toBe(true);
    expect(sameEmail('grace@example.test', 'ada@example.test')).toBe(false);
  });
});
