import type { ReactNode } from 'react';
import {
  Badge,
  Card,
  CardHeader,
  CopyButton,
  Logo,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeaderCell,
  TableRow,
} from '../../components';
import { CheckIcon } from '../../components/icons';
import type { Plan } from '../../lib/trpc';
import { useCurrentOrganization } from '../organization/organization-context';
import { formatDate, PLAN_LABEL, PLAN_TONE, ROLE_LABEL } from '../organization/organization-labels';

/** §3's plan table: account-wide rate limits and what each plan includes. */
const PLANS: ReadonlyArray<{ plan: Plan; perSecond: number; perMinute: number; apiKeys: string }> = [
  { plan: 'free', perSecond: 5, perMinute: 60, apiKeys: 'Not included' },
  { plan: 'pro', perSecond: 20, perMinute: 300, apiKeys: 'Included' },
  { plan: 'team', perSecond: 50, perMinute: 600, apiKeys: 'Included' },
  { plan: 'enterprise', perSecond: 200, perMinute: 3000, apiKeys: 'Included, with auto-renew' },
];

const number = new Intl.NumberFormat();

/** The organization's details and its plan. */
export function SettingsPage(): ReactNode {
  const { organization } = useCurrentOrganization();
  const url = `${window.location.origin}/o/${organization.slug}`;
  return (
    <div className="stack stack--xl">
      <Card>
        <CardHeader title="Organization" description="How this organization appears across Keysmith." />
        <dl className="detail-list">
          <div className="detail-list__row">
            <dt>Name</dt>
            <dd>
              <span className="inline-flex">
                <Logo name={organization.name} seed={organization.slug} size="sm" />
                {organization.name}
              </span>
            </dd>
          </div>
          <div className="detail-list__row">
            <dt>URL</dt>
            <dd>
              <span className="inline-flex">
                <span className="mono">{url}</span>
                <CopyButton value={url} label="Copy organization URL" />
              </span>
            </dd>
          </div>
          <div className="detail-list__row">
            <dt>Key prefix</dt>
            <dd>
              <span className="mono">{organization.keyPrefix}</span>
              <span className="text-muted">
                {' '}
                — every key starts with <span className="mono">{organization.keyPrefix}_live_</span> or{' '}
                <span className="mono">{organization.keyPrefix}_test_</span>
              </span>
            </dd>
          </div>
          <div className="detail-list__row">
            <dt>Organization ID</dt>
            <dd>
              <span className="inline-flex">
                <span className="mono">{organization.id}</span>
                <CopyButton value={organization.id} label="Copy organization ID" />
              </span>
            </dd>
          </div>
          <div className="detail-list__row">
            <dt>Created</dt>
            <dd>{formatDate(organization.createdAt)}</dd>
          </div>
          <div className="detail-list__row">
            <dt>Your role</dt>
            <dd>{ROLE_LABEL[organization.role]}</dd>
          </div>
        </dl>
      </Card>

      <Card>
        <CardHeader
          title="Plan"
          description="Rate limits apply across all keys of the organization; a key may carry a stricter limit of its own."
          actions={<Badge tone={PLAN_TONE[organization.plan]}>{PLAN_LABEL[organization.plan]} plan</Badge>}
        />
        <Table caption="Plans and their limits" className="table--flush">
          <TableHead>
            <TableRow>
              <TableHeaderCell>Plan</TableHeaderCell>
              <TableHeaderCell align="end">Requests / second</TableHeaderCell>
              <TableHeaderCell align="end">Requests / minute</TableHeaderCell>
              <TableHeaderCell>API keys</TableHeaderCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {PLANS.map((row) => {
              const current = row.plan === organization.plan;
              return (
                <TableRow
                  key={row.plan}
                  className={current ? 'table__row--current' : undefined}
                  aria-current={current || undefined}
                >
                  <TableCell>
                    <span className="inline-flex">
                      <strong>{PLAN_LABEL[row.plan]}</strong>
                      {current ? (
                        <Badge tone="accent">
                          <CheckIcon size={12} /> Current
                        </Badge>
                      ) : null}
                    </span>
                  </TableCell>
                  <TableCell align="end" className="tabular">
                    {number.format(row.perSecond)}
                  </TableCell>
                  <TableCell align="end" className="tabular">
                    {number.format(row.perMinute)}
                  </TableCell>
                  <TableCell muted={row.plan === 'free'}>{row.apiKeys}</TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
        <p className="card__footnote">
          Plans are assigned by whoever operates this Keysmith installation; ask them to change yours.
        </p>
      </Card>
    </div>
  );
}
