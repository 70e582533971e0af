/**
 * Where the accept screen sends people who must sign in or sign up first: the auth page with
 * the invited email filled in, and `next` bringing them back to the invitation afterwards.
 */

export function invitationPath(token: string): string {
  return `/invite/${encodeURIComponent(token)}`;
}

export function authPathForInvitation(page: 'sign-in' | 'sign-up', token: string, email: string): string {
  const params = new URLSearchParams({ email, next: invitationPath(token) });
  return `/${page}?${params.toString()}`;
}

/** Emails compare case-insensitively, as the server does. */
export function sameEmail(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
