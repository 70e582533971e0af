import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type MouseEvent, type ReactNode, useId, useState } from 'react';
import { Badge, Button, EmptyState, LoadFailedState, Skeleton, Table, useToast } from '../../components';
import { ChevronRightIcon, PlusIcon, WebhookIcon } from '../../components/icons';
import { describeError } from '../../lib/api-errors';
import { formatDay, formatInstant } from '../../lib/format';
import { Link, matchPath, navigate, useLocation } from '../../lib/router';
import { trpc } from '../../lib/trpc';
import { seesOrganizationMonitoring } from '../organization/monitoring-access';
import { useCurrentOrganization } from '../organization/organization-context';
import { organizationPath } from '../organization/organization-preference';
import { PageIntro } from '../shell/page';
import { PageNotFound } from '../shell/page-not-found';
import { RestrictedSection } from '../shell/restricted-section';
import { VerifySignaturesPanel } from './verify-signatures-panel';
import { WebhookDetailPage } from './webhook-detail-page';
import { displayUrl, WEBHOOK_EVENT_INFO, type WebhookEndpoint } from './webhook-display';
import { type IssuedSecret, WebhookFormDialog } from './webhook-form-dialog';
import { WebhookSecretDialog } from './webhook-secret-dialog';
import './webhooks.css';

const DESCRIPTION = 'Send signed notifications to your systems when something happens to your keys.';

/**
 * The Webhooks section: the endpoint list at `/o/:slug/webhooks` and one endpoint with its
 * delivery log at `/o/:slug/webhooks/:endpointId`. Owners and admins.
 */
export function WebhooksPage(): ReactNode {
  const { organization } = useCurrentOrganization();
  const { pathname } = useLocation();
  if (!seesOrganizationMonitoring(organization.role)) {
    return (
      <div className="stack stack--lg">
        <PageIntro description={DESCRIPTION} />
        <RestrictedSection what="Webhook endpoints" />
      </div>
    );
  }
  const detail = matchPath('/o/:orgSlug/webhooks/:endpointId', pathname);
  if (detail?.endpointId) return <WebhookDetailPage key={detail.endpointId} endpointId={detail.endpointId} />;
  if (!matchPath('/o/:orgSlug/webhooks', pathname)) {
    return (
      <PageNotFound backTo={organizationPath(organization.slug, 'webhooks')} backLabel="All endpoints" />
    );
  }
  return <WebhookList />;
}

function WebhookList(): ReactNode {
  const { organization } = useCurrentOrganization();
  const orgId = organization.id;
  const toast = useToast();
  const queryClient = useQueryClient();
  const endpoints = useQuery(trpc.webhook.list.queryOptions({ orgId }));
  const [creating, setCreating] = useState(false);
  const [issued, setIssued] = useState<IssuedSecret | null>(null);
  const eventsId = useId();

  const addButton = (
    <Button variant="primary" icon={<PlusIcon size={16} />} onClick={() => setCreating(true)}>
      Add endpoint
    </Button>
  );
  const empty = endpoints.isSuccess && endpoints.data.length === 0;

  return (
    <div className="stack stack--lg webhooks-page">
      <PageIntro description={DESCRIPTION} actions={empty ? null : addButton} />

      {endpoints.isError ? (
        <Table.Container>
          <LoadFailedState
            title="Couldn't load webhook endpoints"
            description={describeError(endpoints.error).message}
            retrying={endpoints.isFetching}
            onRetry={() => void endpoints.refetch()}
          />
        </Table.Container>
      ) : empty ? (
        <EmptyState
          icon={<WebhookIcon size={22} />}
          title="No webhook endpoints"
          description="Registered HTTPS endpoints receive an HMAC-SHA256-signed request for each event, retried with back-off for about a day until they answer."
          actions={addButton}
        >
          <p className="empty-state__caption" id={eventsId}>
            Events you can subscribe to
          </p>
          <ul className="chip-row" aria-labelledby={eventsId}>
            {Object.values(WEBHOOK_EVENT_INFO).map((info) => (
              <li key={info.label} className="chip">
                {info.label}
              </li>
            ))}
          </ul>
        </EmptyState>
      ) : (
        <Table.Container aria-busy={endpoints.isPending || undefined}>
          <Table caption="Webhook endpoints" className="webhooks-table table--flush">
            <Table.Head>
              <Table.Row>
                <Table.HeaderCell>Endpoint</Table.HeaderCell>
                <Table.HeaderCell>Events</Table.HeaderCell>
                <Table.HeaderCell>Status</Table.HeaderCell>
                <Table.HeaderCell>Secret</Table.HeaderCell>
                <Table.HeaderCell>Added</Table.HeaderCell>
                <Table.HeaderCell>
                  <span className="sr-only">Open</span>
                </Table.HeaderCell>
              </Table.Row>
            </Table.Head>
            <Table.Body>
              {endpoints.data
                ? endpoints.data.map((endpoint) => (
                    <EndpointRow key={endpoint.id} endpoint={endpoint} orgSlug={organization.slug} />
                  ))
                : Array.from({ length: 2 }, (_, i) => (
                    <tr key={i} className="skeleton-row">
                      <td>
                        <span className="stack stack--xs">
                          <Skeleton width={260} height={13} />
                          <Skeleton width={160} height={11} />
                        </span>
                      </td>
                      <td>
                        <Skeleton width={180} height={20} radius={6} />
                      </td>
                      <td>
                        <Skeleton width={70} height={20} radius={999} />
                      </td>
                      <td>
                        <Skeleton width={90} height={12} />
                      </td>
                      <td>
                        <Skeleton width={80} height={12} />
                      </td>
                      <td />
                    </tr>
                  ))}
            </Table.Body>
          </Table>
          <p className="table-footnote">
            Up to 16 endpoints per organization. Open one to see its delivery log.
          </p>
        </Table.Container>
      )}

      {endpoints.isSuccess ? (
        <VerifySignaturesPanel key={empty ? 'empty' : 'list'} defaultOpen={empty} />
      ) : null}

      <WebhookFormDialog
        mode="create"
        open={creating}
        orgId={orgId}
        onClose={() => setCreating(false)}
        onCreated={(result) => {
          setCreating(false);
          setIssued(result);
          void queryClient.invalidateQueries(trpc.webhook.list.pathFilter());
        }}
      />
      <WebhookSecretDialog
        issued={issued}
        rotated={false}
        onClose={() => {
          const endpoint = issued?.endpoint;
          setIssued(null);
          if (endpoint) {
            toast({ title: 'Endpoint added', description: `Events go to ${displayUrl(endpoint.url)}.` });
            navigate(organizationPath(organization.slug, `webhooks/${endpoint.id}`));
          }
        }}
      />
    </div>
  );
}

function EndpointRow({ endpoint, orgSlug }: { endpoint: WebhookEndpoint; orgSlug: string }): ReactNode {
  const to = organizationPath(orgSlug, `webhooks/${endpoint.id}`);
  const open = (event: MouseEvent<HTMLTableRowElement>) => {
    const target = event.target;
    if (target instanceof Element && target.closest('a, button')) return;
    navigate(to);
  };
  const shown = endpoint.events.slice(0, 3);
  return (
    <Table.Row interactive onClick={open}>
      <Table.Cell className="webhooks-table__endpoint">
        <Link to={to} className="webhooks-table__url" title={endpoint.url}>
          {displayUrl(endpoint.url)}
        </Link>
        {endpoint.description ? (
          <span className="webhooks-table__description">{endpoint.description}</span>
        ) : null}
      </Table.Cell>
      <Table.Cell>
        <span className="event-chips">
          {shown.map((type) => (
            <span key={type} className="chip chip--sm">
              {WEBHOOK_EVENT_INFO[type].label}
            </span>
          ))}
          {endpoint.events.length > shown.length ? (
            <span className="chip chip--sm chip--more">+{endpoint.events.length - shown.length}</span>
          ) : null}
        </span>
      </Table.Cell>
      <Table.Cell>
        {endpoint.active ? (
          <Badge tone="success" dot>
            Enabled
          </Badge>
        ) : (
          <Badge tone="neutral" dot>
            Disabled
          </Badge>
        )}
      </Table.Cell>
      <Table.Cell mono muted className="webhooks-table__secret">
        {endpoint.secretHint}
      </Table.Cell>
      <Table.Cell muted>
        <time dateTime={endpoint.createdAt} title={formatInstant(endpoint.createdAt)}>
          {formatDay(endpoint.createdAt)}
        </time>
      </Table.Cell>
      <Table.Cell align="end" className="webhooks-table__chevron">
        <ChevronRightIcon size={16} />
      </Table.Cell>
    </Table.Row>
  );
}
