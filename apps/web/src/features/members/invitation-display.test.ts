import { describe, expect, it } from 'vitest';
import { type Invitation, invitationTimeline, relativeSpan, sortInvitations } from './invitation-display';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const DAY = 86_400_000;
const iso = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();

function invitation(overrides: Partial<Invitation>): Invitation {
  return {
    id: 'inv_1',
    email: 'grace@example.test',
    role: 'member',
    status: 'pending',
    invitedBy: null,
    createdAt: iso(0),
    expiresAt: iso(7 * DAY),
    acceptedAt: null,
    revokedAt: null,
    ...overrides,
  };
}

describe('relativeSpan', () => {
  it.each([
    [7 * DAY, 'in 7 days'],
    [7 * DAY - 60_000, 'in 7 days'],
    [DAY, 'in 1 day'],
    [5 * 3_600_000, 'in 5 hours'],
    [90_000, 'in 2 minutes'],
    [30_000, 'in less than a minute'],
    [-30_000, 'just now'],
    [-2 * DAY, '2 days ago'],
    [-3_600_000, '1 hour ago'],
  ])('%i ms → %s', (offset, expected) => {
    expect(relativeSpan(iso(offset), NOW)).toBe(expected);
  });
});

describe('invitationTimeline', () => {
  it('says when a pending invitation expires, and what happened to the others', () => {
    expect(invitationTimeline(invitation({}), NOW)).toBe('Expires in 7 days');
    expect(invitationTimeline(invitation({ status: 'expired', expiresAt: iso(-DAY) }), NOW)).toBe(
      'Expired 1 day ago',
    );
    expect(invitationTimeline(invitation({ status: 'accepted', acceptedAt: iso(-3 * DAY) }), NOW)).toBe(
      'Accepted 3 days ago',
    );
    expect(invitationTimeline(invitation({ status: 'revoked', revokedAt: iso(-60 * 60_000) }), NOW)).toBe(
      'Revoked 1 hour ago',
    );
  });
});

describe('sortInvitations', () => {
  it('puts pending first, soonest expiry first, then the rest newest first', () => {
    const list = [
      invitation({ id: 'old-revoked', status: 'revoked', createdAt: iso(-5 * DAY) }),
      invitation({ id: 'late', expiresAt: iso(6 * DAY) }),
      invitation({ id: 'new-accepted', status: 'accepted', createdAt: iso(-DAY) }),
      invitation({ id: 'soon', expiresAt: iso(DAY) }),
    ];
    expect(sortInvitations(list).map((i) => i.id)).toEqual(['soon', 'late', 'new-accepted', 'old-revoked']);
  });
});
