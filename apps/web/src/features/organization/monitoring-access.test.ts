import { describe, expect, it } from 'vitest';
import { seesOrganizationMonitoring } from './monitoring-access';

describe('seesOrganizationMonitoring', () => {
  it('matches audit.read, security.* and webhook.* of the policy table', () => {
    expect(seesOrganizationMonitoring('owner')).toBe(true);
    expect(seesOrganizationMonitoring('admin')).toBe(true);
    expect(seesOrganizationMonitoring('member')).toBe(false);
  });
});
