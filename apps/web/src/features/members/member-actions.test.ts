import { describe, expect, it } from 'vitest';
import { leaveBlockedReason, memberRowActions } from './member-actions';

const owner = { userId: 'u_owner', role: 'owner' as const };
const admin = { userId: 'u_admin', role: 'admin' as const };
const member = { userId: 'u_member', role: 'member' as const };
const otherOwner = { userId: 'u_owner2', role: 'owner' as const };

describe('memberRowActions', () => {
  it('offers nothing on your own row: you leave instead', () => {
    expect(memberRowActions(owner, owner)).toMatchObject({
      isSelf: true,
      assignableRoles: [],
      canRemove: false,
    });
  });

  it('lets owners give every role, owner included, and remove anyone', () => {
    expect(memberRowActions(owner, member)).toMatchObject({
      assignableRoles: ['owner', 'admin', 'member'],
      canRemove: true,
    });
    expect(memberRowActions(owner, otherOwner).canRemove).toBe(true);
  });

  it('never shows admins the owner role, and locks owners for them', () => {
    expect(memberRowActions(admin, member).assignableRoles).toEqual(['admin', 'member']);
    const onOwner = memberRowActions(admin, owner);
    expect(onOwner).toMatchObject({ assignableRoles: [], canRemove: false });
    expect(onOwner.lockedReason).toMatch(/Only owners/);
  });

  it('gives members no actions on others', () => {
    expect(memberRowActions(member, admin)).toEqual({
      isSelf: false,
      assignableRoles: [],
      canRemove: false,
      lockedReason: null,
    });
  });
});

describe('leaveBlockedReason', () => {
  it('blocks the last owner only', () => {
    expect(leaveBlockedReason('owner', 1)).toMatch(/only owner/);
    expect(leaveBlockedReason('owner', 2)).toBeNull();
    expect(leaveBlockedReason('admin', 1)).toBeNull();
    expect(leaveBlockedReason('member', 0)).toBeNull();
  });
});
