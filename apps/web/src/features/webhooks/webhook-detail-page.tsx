import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  ButtonLink,
  Card,
  CardHeader,
  ConfirmDialog,
  CursorFooter,
  Dialog,
  DropdownMenu,
  DropdownMenuItem,
  DropdownMenuSeparator,
  EmptyState,
  LoadFailedState,
  SegmentedControl,
  Skeleton,
  Table,
  useToast,
} from '../../components';
import {
  MoreHorizontalIcon,
  PencilIcon,
  PowerIcon,
  RotateIcon,
  SendIcon,
  TrashIcon,
} from '../../components/icons';
import { describeError } from '../../lib/api-errors';
import { useDocumentTitle } from '../../lib/document-title';
import { formatInstant } from '../../lib/format';
import { navigate } from '../../lib/router';
import { trpc } from '../../lib/trpc';
import { SegmentedField } from '../api-keys/form-controls';
import { RelativeTime, useNow } from '../api-keys/key-parts';
import { useCurrentOrganization } from '../organization/organization-context';
import { organizationPath } from '../organization/organization-preference';
import { BackLink, DetailLoadError, DetailLoading, DetailNotFound } from '../shell/detail-states';
import { statusTone } from '../usage/log-display';
import { VerifySignaturesPanel } from './verify-signatures-panel';
import {
  DELIVERY_STATUS_LABEL,
  DELIVERY_STATUS_TONE,
  type DeliveryStatus,
  deliveryEventLabel,
  displayUrl,
  WEBHOOK_EVENT_INFO,
  type WebhookDelivery,
  type WebhookEndpoint,
} from './webhook-display';
import { type IssuedSecret, WebhookFormDialog } from './webhook-form-dialog';
import { WebhookSecretDialog } from './webhook-secret-dialog';

type StatusFilter = 'all' | DeliveryStatus;

/** One endpoint: its settings, lifecycle actions and delivery log with redelivery. */
export function WebhookDetailPage({ endpointId }: { endpointId: string }): ReactNode {
  const { organization } = useCurrentOrganization();
  const orgId = organization.id;
  const listPath = organizationPath(organization.slug, 'webhooks');
  const toast = useToast();
  const queryClient = useQueryClient();
  const clock = useNow();
  // There is no `webhook.byId`: the list is small (≤ 16) and already cached from the list page.
  const endpoints = useQuery(trpc.webhook.list.queryOptions({ orgId }));
  const endpoint = endpoints.data?.find((candidate) => candidate.id === endpointId);
  const now = Math.max(clock, endpoints.dataUpdatedAt);
  useDocumentTitle(endpoint ? displayUrl(endpoint.url) : 'Webhook endpoint', organization.name);

  const update = useMutation(trpc.webhook.update.mutationOptions());
  const remove = useMutation(trpc.webhook.delete.mutationOptions());
  const [open, setOpen] = useState<'edit' | 'disable' | 'delete' | 'rotate' | null>(null);
  const [issued, setIssued] = useState<IssuedSecret | null>(null);

  const refreshEndpoints = () => queryClient.invalidateQueries(trpc.webhook.list.pathFilter());
  const storeEndpoint = (saved: WebhookEndpoint) =>
    queryClient.setQueryData(trpc.webhook.list.queryKey({ orgId }), (list) =>
      list?.map((candidate) => (candidate.id === saved.id ? saved : candidate)),
    );

  const back = <BackLink to={listPath}>Webhooks</BackLink>;

  if (endpoints.isPending) {
    return (
      <DetailLoading back={back} label="Loading the endpoint…">
        <Card className="webhook-header">
          <Skeleton width={360} height={20} />
          <Skeleton width={240} height={13} />
        </Card>
        <Skeleton height={280} radius={12} />
      </DetailLoading>
    );
  }

  if (endpoints.isError) {
    return <DetailLoadError back={back} title="This endpoint could not be loaded" query={endpoints} />;
  }

  if (!endpoint) {
    return (
      <DetailNotFound
        back={back}
        title="Webhook endpoint not found"
        description="It may have been deleted, or belong to another organization."
        actions={
          <ButtonLink to={listPath} variant="primary">
            All endpoints
          </ButtonLink>
        }
      />
    );
  }

  const setActive = async (active: boolean) => {
    const saved = await update.mutateAsync({ orgId, endpointId: endpoint.id, active });
    storeEndpoint(saved);
    void queryClient.invalidateQueries(trpc.webhook.deliveries.pathFilter());
    toast({
      title: active ? 'Endpoint enabled' : 'Endpoint disabled',
      description: active
        ? 'It receives the next events it is subscribed to.'
        : 'It receives nothing until you enable it again.',
    });
  };

  return (
    <div className="stack stack--lg webhook-detail">
      {back}
      <Card className="webhook-header">
        <div className="webhook-header__main">
          <div className="webhook-header__title-row">
            <h2 className="webhook-header__url">{endpoint.url}</h2>
            {endpoint.active ? (
              <Badge tone="success" dot>
                Enabled
              </Badge>
            ) : (
              <Badge tone="neutral" dot>
                Disabled
              </Badge>
            )}
          </div>
          {endpoint.description ? (
            <p className="webhook-header__description">{endpoint.description}</p>
          ) : null}
          <dl className="webhook-header__facts">
            <div>
              <dt>Signing secret</dt>
              <dd className="mono">{endpoint.secretHint}</dd>
            </div>
            <div>
              <dt>Added</dt>
              <dd>
                <RelativeTime iso={endpoint.createdAt} now={now} />
              </dd>
            </div>
            <div>
              <dt>Events</dt>
              <dd className="event-chips">
                {endpoint.events.map((type) => (
                  <span key={type} className="chip chip--sm" title={WEBHOOK_EVENT_INFO[type].description}>
                    {WEBHOOK_EVENT_INFO[type].label}
                  </span>
                ))}
              </dd>
            </div>
          </dl>
        </div>
        <div className="webhook-header__actions">
          <Button icon={<PencilIcon size={15} />} onClick={() => setOpen('edit')}>
            Edit
          </Button>
          {endpoint.active ? (
            <Button icon={<PowerIcon size={15} />} onClick={() => setOpen('disable')}>
              Disable
            </Button>
          ) : (
            <Button
              icon={<PowerIcon size={15} />}
              loading={update.isPending}
              onClick={() =>
                void setActive(true).catch((error: unknown) =>
                  toast({
                    title: 'Could not enable',
                    description: describeError(error).message,
                    tone: 'danger',
                  }),
                )
              }
            >
              Enable
            </Button>
          )}
          <DropdownMenu
            label="Endpoint actions"
            align="end"
            trigger={(props, isOpen) => (
              <button
                {...props}
                type="button"
                className="btn btn--secondary btn--md"
                data-open={isOpen || undefined}
                aria-label="More actions"
              >
                <MoreHorizontalIcon size={16} />
              </button>
            )}
          >
            <DropdownMenuItem icon={<RotateIcon size={16} />} onSelect={() => setOpen('rotate')}>
              Rotate signing secret…
            </DropdownMenuItem>
            <DropdownMenuSeparator />
            <DropdownMenuItem icon={<TrashIcon size={16} />} danger onSelect={() => setOpen('delete')}>
              Delete endpoint…
            </DropdownMenuItem>
          </DropdownMenu>
        </div>
      </Card>

      {endpoint.previousSecretExpiresAt && new Date(endpoint.previousSecretExpiresAt).getTime() > now ? (
        <Alert tone="info" title="Secret rotation in progress">
          The previous signing secret keeps signing beside the new one until{' '}
          {formatInstant(endpoint.previousSecretExpiresAt)} (
          <RelativeTime iso={endpoint.previousSecretExpiresAt} now={now} />
          ).
        </Alert>
      ) : null}
      {!endpoint.active ? (
        <Alert tone="warning" title="This endpoint is disabled">
          Events are not delivered to it. Enable it to receive the next ones; earlier events can be sent again
          with Redeliver.
        </Alert>
      ) : null}

      <DeliveriesCard orgId={orgId} endpointId={endpoint.id} active={endpoint.active} now={now} />
      <VerifySignaturesPanel />

      <WebhookFormDialog
        mode="edit"
        open={open === 'edit'}
        orgId={orgId}
        endpoint={endpoint}
        onClose={() => setOpen(null)}
        onSaved={(saved) => {
          storeEndpoint(saved);
          void refreshEndpoints();
          setOpen(null);
          toast({ title: 'Endpoint saved', description: displayUrl(saved.url) });
        }}
      />
      <ConfirmDialog
        open={open === 'disable'}
        onClose={() => setOpen(null)}
        title="Disable this endpoint?"
        description="It receives nothing until you enable it again, and deliveries still pending to it fail now. You can redeliver them later."
        confirmLabel="Disable endpoint"
        onConfirm={() => setActive(false)}
      />
      <ConfirmDialog
        open={open === 'delete'}
        onClose={() => setOpen(null)}
        title="Delete this endpoint?"
        description={
          <>
            <span className="mono">{displayUrl(endpoint.url)}</span> and its delivery log are removed, and
            events stop at once. This cannot be undone.
          </>
        }
        confirmLabel="Delete endpoint"
        onConfirm={async () => {
          await remove.mutateAsync({ orgId, endpointId: endpoint.id });
          queryClient.setQueryData(trpc.webhook.list.queryKey({ orgId }), (list) =>
            list?.filter((candidate) => candidate.id !== endpoint.id),
          );
          void refreshEndpoints();
          toast({ title: 'Endpoint deleted', description: displayUrl(endpoint.url) });
          navigate(listPath);
        }}
      />
      <RotateSecretDialog
        open={open === 'rotate'}
        orgId={orgId}
        endpoint={endpoint}
        onClose={() => setOpen(null)}
        onRotated={(result) => {
          setOpen(null);
          storeEndpoint(result.endpoint);
          setIssued(result);
        }}
      />
      <WebhookSecretDialog
        issued={issued}
        rotated
        onClose={() => {
          setIssued(null);
          toast({ title: 'Signing secret rotated' });
        }}
      />
    </div>
  );
}

const OVERLAPS: ReadonlyArray<{ value: string; label: string; seconds: number }> = [
  { value: 'now', label: 'Stop now', seconds: 0 },
  { value: '1h', label: '1 hour', seconds: 3600 },
  { value: '24h', label: '24 hours', seconds: 86_400 },
  { value: '7d', label: '7 days', seconds: 7 * 86_400 },
];

function RotateSecretDialog({
  open,
  orgId,
  endpoint,
  onClose,
  onRotated,
}: {
  open: boolean;
  orgId: string;
  endpoint: WebhookEndpoint;
  onClose: () => void;
  onRotated: (issued: IssuedSecret) => void;
}): ReactNode {
  const [overlap, setOverlap] = useState('now');
  const [error, setError] = useState<string | null>(null);
  const rotate = useMutation(trpc.webhook.rotateSecret.mutationOptions());
  const seconds = OVERLAPS.find((option) => option.value === overlap)?.seconds ?? 0;

  const submit = async () => {
    setError(null);
    try {
      const result = await rotate.mutateAsync({ orgId, endpointId: endpoint.id, overlapSeconds: seconds });
      onRotated({ ...result, previousUntil: result.endpoint.previousSecretExpiresAt });
      setOverlap('now');
    } catch (caught) {
      setError(describeError(caught).message);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={onClose}
      dismissible={!rotate.isPending}
      size="sm"
      title="Rotate signing secret"
      description="A new secret is issued and shown once. Choose how long the current one keeps signing beside it."
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={rotate.isPending}>
            Cancel
          </Button>
          <Button variant="primary" onClick={() => void submit()} loading={rotate.isPending}>
            Rotate secret
          </Button>
        </>
      }
    >
      <div className="stack stack--md">
        <SegmentedField
          legend="Current secret"
          name="overlap"
          value={overlap}
          onChange={setOverlap}
          options={OVERLAPS.map((option) => ({ value: option.value, label: option.label }))}
          hint={
            seconds === 0
              ? 'It stops signing at once: what a leaked secret needs. Update your receiver right away.'
              : 'Until then each request carries two v1 signatures, one per secret, so receivers can switch without dropping deliveries.'
          }
          className="segmented-field--wrap"
        />
        {error ? <Alert tone="danger">{error}</Alert> : null}
      </div>
    </Dialog>
  );
}

const STATUS_FILTERS: ReadonlyArray<{ value: StatusFilter; label: string }> = [
  { value: 'all', label: 'All' },
  { value: 'pending', label: 'Pending' },
  { value: 'delivered', label: 'Delivered' },
  { value: 'failed', label: 'Failed' },
];

function hasPending(pages: ReadonlyArray<{ data: WebhookDelivery[] }> | undefined): boolean {
  return (pages ?? []).some((page) => page.data.some((delivery) => delivery.status === 'pending'));
}

/** The endpoint's delivery log, newest first, refreshed quickly while deliveries are pending. */
function DeliveriesCard({
  orgId,
  endpointId,
  active,
  now: clock,
}: {
  orgId: string;
  endpointId: string;
  /** A disabled endpoint gets no test event (the server refuses it too). */
  active: boolean;
  now: number;
}): ReactNode {
  const toast = useToast();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<StatusFilter>('all');
  const deliveries = useInfiniteQuery({
    ...trpc.webhook.deliveries.infiniteQueryOptions(
      { orgId, endpointId, limit: 25, ...(status === 'all' ? {} : { status }) },
      { getNextPageParam: (page) => page.nextCursor },
    ),
    refetchInterval: (query) => (hasPending(query.state.data?.pages) ? 3000 : 30_000),
  });
  const redeliver = useMutation(trpc.webhook.redeliver.mutationOptions());
  const sendTest = useMutation(trpc.webhook.sendTest.mutationOptions());
  const [redelivering, setRedelivering] = useState<string | null>(null);

  const doSendTest = async () => {
    try {
      const delivery = await sendTest.mutateAsync({ orgId, endpointId });
      setStatus('all');
      await queryClient.invalidateQueries(trpc.webhook.deliveries.pathFilter());
      toast({
        title: 'Test event sent',
        description: `Event ${delivery.eventId} is on its way; its delivery shows below within a second or two.`,
      });
    } catch (error) {
      toast({
        title: 'Could not send a test event',
        description: describeError(error).message,
        tone: 'danger',
      });
    }
  };
  const testButton = (
    <Button
      size="sm"
      icon={<SendIcon size={14} />}
      onClick={() => void doSendTest()}
      loading={sendTest.isPending}
      disabled={!active}
      title={
        active ? 'Send a webhook.test event to this endpoint now' : 'Enable the endpoint to send a test event'
      }
    >
      Send test event
    </Button>
  );
  const rows = deliveries.data?.pages.flatMap((page) => page.data) ?? [];
  // Rows fetched after the clock last ticked must not read as "in a few seconds".
  const now = Math.max(clock, deliveries.dataUpdatedAt);

  const doRedeliver = async (delivery: WebhookDelivery) => {
    setRedelivering(delivery.id);
    try {
      await redeliver.mutateAsync({ orgId, deliveryId: delivery.id });
      await queryClient.invalidateQueries(trpc.webhook.deliveries.pathFilter());
      toast({
        title: 'Redelivery queued',
        description: `${deliveryEventLabel(delivery.eventType)} (${delivery.eventId}) is being sent again now.`,
      });
    } catch (error) {
      toast({ title: 'Could not redeliver', description: describeError(error).message, tone: 'danger' });
    } finally {
      setRedelivering(null);
    }
  };

  return (
    <Card className="deliveries-card">
      <CardHeader
        title="Deliveries"
        description="Each event sent to this endpoint: retried with back-off for about a day until it answers 2xx."
        actions={
          <>
            <SegmentedControl
              label="Delivery status"
              size="sm"
              value={status}
              onChange={setStatus}
              options={STATUS_FILTERS}
            />
            {testButton}
          </>
        }
      />
      {deliveries.isError && !deliveries.data ? (
        <LoadFailedState
          headingLevel={3}
          title="Couldn't load deliveries"
          description={describeError(deliveries.error).message}
          retrying={deliveries.isFetching}
          onRetry={() => void deliveries.refetch()}
          retryIcon={false}
        />
      ) : deliveries.isSuccess && rows.length === 0 ? (
        <EmptyState
          variant="plain"
          headingLevel={3}
          icon={<SendIcon size={22} />}
          title={
            status === 'all'
              ? 'No deliveries yet'
              : `No ${DELIVERY_STATUS_LABEL[status].toLowerCase()} deliveries`
          }
          description={
            status === 'all'
              ? 'When an event this endpoint subscribes to happens, its delivery shows up here within a second or two. Send a test event to try the endpoint now.'
              : 'Nothing with this status in the delivery log.'
          }
          actions={status === 'all' ? testButton : undefined}
        />
      ) : (
        <div className="deliveries-card__table" aria-busy={deliveries.isPending || undefined}>
          <Table caption="Deliveries" className="deliveries-table table--flush">
            <Table.Head>
              <Table.Row>
                <Table.HeaderCell>Event</Table.HeaderCell>
                <Table.HeaderCell>Status</Table.HeaderCell>
                <Table.HeaderCell align="end">Attempts</Table.HeaderCell>
                <Table.HeaderCell>Last answer</Table.HeaderCell>
                <Table.HeaderCell>Next attempt</Table.HeaderCell>
                <Table.HeaderCell>Created</Table.HeaderCell>
                <Table.ActionsHeader />
              </Table.Row>
            </Table.Head>
            <Table.Body>
              {deliveries.data
                ? rows.map((delivery) => (
                    <Table.Row key={delivery.id} data-status={delivery.status}>
                      <Table.Cell>
                        <span className="delivery-event">
                          <span className="delivery-event__type">
                            {deliveryEventLabel(delivery.eventType)}
                          </span>
                          <code className="delivery-event__id">{delivery.eventId}</code>
                        </span>
                      </Table.Cell>
                      <Table.Cell>
                        <Badge tone={DELIVERY_STATUS_TONE[delivery.status]} dot>
                          {DELIVERY_STATUS_LABEL[delivery.status]}
                        </Badge>
                      </Table.Cell>
                      <Table.Cell align="end" className="tabular">
                        {delivery.attempts}
                      </Table.Cell>
                      <Table.Cell className="delivery-answer">
                        <LastAnswer delivery={delivery} now={now} />
                      </Table.Cell>
                      <Table.Cell muted>
                        {delivery.status === 'pending' && delivery.nextAttemptAt ? (
                          <span title={formatInstant(delivery.nextAttemptAt)}>
                            <RelativeTime iso={delivery.nextAttemptAt} now={now} />
                          </span>
                        ) : (
                          '—'
                        )}
                      </Table.Cell>
                      <Table.Cell muted>
                        <RelativeTime iso={delivery.createdAt} now={now} />
                      </Table.Cell>
                      <Table.Cell align="end">
                        <Button
                          size="sm"
                          variant="ghost"
                          icon={<SendIcon size={14} />}
                          loading={redelivering === delivery.id}
                          onClick={() => void doRedeliver(delivery)}
                          aria-label={`Redeliver ${delivery.eventId}`}
                          title="Send this event to the endpoint again, as a new delivery"
                        >
                          Redeliver
                        </Button>
                      </Table.Cell>
                    </Table.Row>
                  ))
                : Array.from({ length: 3 }, (_, i) => (
                    <tr key={i} className="skeleton-row">
                      {[150, 80, 20, 140, 70, 70, 80].map((w, j) => (
                        <td key={j}>
                          <Skeleton width={w} height={12} />
                        </td>
                      ))}
                    </tr>
                  ))}
            </Table.Body>
          </Table>
          <CursorFooter query={deliveries} shown={rows.length} noun={['delivery', 'deliveries']} />
        </div>
      )}
    </Card>
  );
}

function LastAnswer({ delivery, now }: { delivery: WebhookDelivery; now: number }): ReactNode {
  if (delivery.attempts === 0 || !delivery.lastAttemptAt) {
    return <span className="text-faint">Not attempted yet</span>;
  }
  const error = delivery.lastError ? delivery.lastError.slice(0, 90) : null;
  return (
    <span className="last-answer">
      <span className="last-answer__line">
        {delivery.lastStatusCode !== null ? (
          <span className={`status-code status-code--${statusTone(delivery.lastStatusCode)}`}>
            {delivery.lastStatusCode}
          </span>
        ) : (
          <span className="status-code status-code--client">ERR</span>
        )}
        <span className="text-muted">
          <RelativeTime iso={delivery.lastAttemptAt} now={now} />
        </span>
      </span>
      {error ? (
        <span className="last-answer__error" title={delivery.lastError ?? undefined}>
          {error}
          {delivery.lastError && delivery.lastError.length > 90 ? '…' : ''}
        </span>
      ) : null}
    </span>
  );
}
