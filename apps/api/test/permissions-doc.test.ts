/**
 * docs/permissions.md carries the role tables rendered from the policy module, between
 * markers. This test fails when they drift apart; `UPDATE_DOCS=1` rewrites the section.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Actor, can, ORG_ACTIONS, SPACE_ACTIONS, type TOrgAction } from '../src/auth/policy.js';
import { ORG_ROLES } from '../src/modules/membership/membership.entity.js';
import { SPACE_ROLES } from '../src/modules/space/space.entity.js';

const DOC = path.resolve(import.meta.dirname, '../../../docs/permissions.md');
const BEGIN = '<!-- policy:begin (generated from apps/api/src/auth/policy.ts; UPDATE_DOCS=1 to refresh) -->';
const END = '<!-- policy:end -->';

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function renderPolicy(): string {
  const orgRows = Object.entries(ORG_ACTIONS).map(([action, roles]) => [
    `\`${action}\``,
    ...ORG_ROLES.map((r) => ((roles as readonly string[]).includes(r) ? 'yes' : '—')),
  ]);
  const spaceRows = Object.entries(SPACE_ACTIONS).map(([action, roles]) => [
    `\`${action}\``,
    'yes',
    ...SPACE_ROLES.map((r) => ((roles as readonly string[]).includes(r) ? 'yes' : '—')),
  ]);
  return [
    BEGIN,
    '',
    '### Organization actions (`ORG_ACTIONS`)',
    '',
    table(['action', ...ORG_ROLES.map((r) => `org ${r}`)], orgRows),
    '',
    '### Space actions (`SPACE_ACTIONS`)',
    '',
    'Org owners and admins may do every space action in every space of their organization;',
    'an org `member` may do what their role in that space lists, and nothing in a space where',
    'they have no role.',
    '',
    table(['action', 'org owner / admin', ...SPACE_ROLES.map((r) => `space ${r}`)], spaceRows),
    '',
    END,
  ].join('\n');
}

describe('the policy', () => {
  const member = (spaceRoles: [string, 'admin' | 'developer' | 'viewer'][] = []): Actor => ({
    userId: 'usr_x',
    orgRole: 'member',
    spaceRoles: new Map(spaceRoles),
  });

  it('denies by default: unknown actions, and space actions without a space', () => {
    const owner: Actor = { userId: 'usr_o', orgRole: 'owner', spaceRoles: new Map() };
    expect(can(owner, 'org.nonexistent' as TOrgAction)).toBe(false);
    expect(can(owner, 'space.read' as TOrgAction)).toBe(false);
    expect(can(member([['spc_a', 'admin']]), 'space.update', { spaceId: 'spc_b' })).toBe(false);
    expect(can(member([['spc_a', 'viewer']]), 'space.update', { spaceId: 'spc_a' })).toBe(false);
    expect(can(member([['spc_a', 'admin']]), 'space.update', { spaceId: 'spc_a' })).toBe(true);
    expect(can(member([['spc_a', 'admin']]), 'space.delete', { spaceId: 'spc_a' })).toBe(false);
  });

  it('is what docs/permissions.md says', () => {
    const doc = readFileSync(DOC, 'utf8');
    const start = doc.indexOf(BEGIN);
    const end = doc.indexOf(END);
    expect(start, 'docs/permissions.md lacks the policy markers').toBeGreaterThanOrEqual(0);
    const rendered = renderPolicy();
    const current = doc.slice(start, end + END.length);
    if (current !== rendered && process.env.UPDATE_DOCS === '1') {
      writeFileSync(DOC, doc.slice(0, start) + rendered + doc.slice(end + END.length));
      return;
    }
    expect(current, 'docs/permissions.md is out of date: run with UPDATE_DOCS=1').toBe(rendered);
  });
});
