import type { BadgeTone } from '../../components';
import type { RouterOutputs } from '../../lib/trpc';

export type Invitation = RouterOutputs['invitation']['list'][number];
export type InvitationStatus = Invitation['status'];

export const INVITATION_STATUS_LABEL: Record<InvitationStatus, string> = {
  pending: 'Pending',
  accepted: 'Accepted',
  expired: 'Expired',
  revoked: 'Revoked',
};

export const INVITATION_STATUS_TONE: Record<InvitationStatus, BadgeTone> = {
  pending: 'info',
  accepted: 'success',
  expired: 'warning',
  revoked: 'neutral',
};

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;

function amount(value: number, unit: string): string {
  return `${value} ${unit}${value === 1 ? '' : 's'}`;
}

/**
 * "in 7 days", "in 5 hours", "2 days ago": plain numbers rather than "next week", so an
 * invitation's seven days read as seven days. Rounded to the nearest unit.
 */
export function relativeSpan(target: string | Date, now: number): string {
  const diff = new Date(target).getTime() - now;
  const abs = Math.abs(diff);
  let text: string;
  if (abs >= DAY) text = amount(Math.round(abs / DAY), 'day');
  else if (abs >= HOUR) text = amount(Math.round(abs / HOUR), 'hour');
  else if (abs >= MINUTE) text = amount(Math.round(abs / MINUTE), 'minute');
  else return diff >= 0 ? 'in less than a minute' : 'just now';
  return diff >= 0 ? `in ${text}` : `${text} ago`;
}

/** The time column of an invitation: when it expires, expired, or was used or revoked. */
export function invitationTimeline(invitation: Invitation, now: number): string {
  switch (invitation.status) {
    case 'pending':
      return `Expires ${relativeSpan(invitation.expiresAt, now)}`;
    case 'expired':
      return `Expired ${relativeSpan(invitation.expiresAt, now)}`;
    case 'accepted':
      return invitation.acceptedAt ? `Accepted ${relativeSpan(invitation.acceptedAt, now)}` : 'Accepted';
    case 'revoked':
      return invitation.revokedAt ? `Revoked ${relativeSpan(invitation.revokedAt, now)}` : 'Revoked';
  }
}

/** Pending first (soonest to expire first), then the rest newest first. */
export function sortInvitations(invitations: readonly Invitation[]): Invitation[] {
  const time = (iso: string) => new Date(iso).getTime();
  return [...invitations].sort((a, b) => {
    const pa = a.status === 'pending' ? 0 : 1;
    const pb = b.status === 'pending' ? 0 : 1;
    if (pa !== pb) return pa - pb;
    if (pa === 0) return time(a.expiresAt) - time(b.expiresAt);
    return time(b.createdAt) - time(a.createdAt);
  });
}
