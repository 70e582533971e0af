import type { ReactNode } from 'react';
import {
  Badge,
  CursorFooter,
  cursorPaging,
  EmptyState,
  QueryLoadFailed,
  QueryTable,
  type QueryTableColumn,
  Skeleton,
  Table,
  useCursorList,
} from '../../components';
import {
  BanIcon,
  GaugeAlertIcon,
  GlobeIcon,
  ShieldAlertIcon,
  ShieldIcon,
  UndoIcon,
} from '../../components/icons';
import { formatCount, formatInstant } from '../../lib/format';
import { Link } from '../../lib/router';
import { type RouterOutputs, trpc } from '../../lib/trpc';
import { QUOTA_WINDOW_LABEL } from '../api-keys/key-display';
import { RelativeTime, useNow } from '../api-keys/key-parts';
import { organizationPath } from '../organization/organization-preference';
import { describeSecurityEvent, eventKeyName, type SecurityTab } from './security-display';

type SecurityEvent = RouterOutputs['security']['list']['items'][number];
type EventKind = SecurityEvent['kind'];

const KIND_OF_TAB: Partial<Record<SecurityTab, EventKind>> = { quota: 'quota_exceeded', 'new-ips': 'new_ip' };

const KIND_ICON: Record<EventKind, ReactNode> = {
  quota_exceeded: <GaugeAlertIcon size={16} />,
  new_ip: <GlobeIcon size={16} />,
  ip_blocked: <BanIcon size={16} />,
  ip_unblocked: <UndoIcon size={16} />,
  failed_auth: <ShieldIcon size={16} />,
  key_leaked: <ShieldAlertIcon size={16} />,
};

/**
 * Where a leaked key was found. A link only when a verified secret scanner reported it: anyone
 * may send an unsigned report, and its URL is shown as text, not offered as a link to follow.
 */
function LeakLocation({ details }: { details: Record<string, unknown> }): ReactNode {
  const url = typeof details.url === 'string' ? details.url : null;
  if (!url) return null;
  const trusted = details.reported_by === 'secret_scanner' && url.startsWith('https://');
  return (
    <>
      <span aria-hidden="true">·</span>
      <span className="leak-location">
        found at{' '}
        {trusted ? (
          <a href={url} target="_blank" rel="noopener noreferrer nofollow" className="mono" title={url}>
            {url}
          </a>
        ) : (
          <span className="mono" title={url}>
            {url}
          </span>
        )}
      </span>
    </>
  );
}

function isQuotaWindow(value: unknown): value is keyof typeof QUOTA_WINDOW_LABEL {
  return typeof value === 'string' && value in QUOTA_WINDOW_LABEL;
}

/** Security events from `security.list`: all of them as a timeline, or one kind as a table. */
export function SecurityEventsTab({
  orgId,
  orgSlug,
  tab,
}: {
  orgId: string;
  orgSlug: string;
  tab: 'activity' | 'quota' | 'new-ips';
}): ReactNode {
  const clock = useNow();
  const kind = KIND_OF_TAB[tab];
  const { query: events, rows } = useCursorList({
    ...trpc.security.list.infiniteQueryOptions({ orgId, limit: 30, ...(kind ? { kind } : {}) }, cursorPaging),
    refetchInterval: 30_000,
  });
  const now = Math.max(clock, events.dataUpdatedAt);

  const empty =
    tab === 'quota' ? (
      <EmptyState
        tone="success"
        icon={<GaugeAlertIcon size={22} />}
        title="No key has run out of quota"
        description="When a request is refused because a quota window is full, it is recorded here (at most once an hour per key and window), and a key.quota_exceeded notification goes out."
      />
    ) : tab === 'new-ips' ? (
      <EmptyState
        tone="success"
        icon={<GlobeIcon size={22} />}
        title="No keys used from new IPs"
        description="When a key that has been used before is used from an IP address it never used, it is listed here. A key's very first IP is not an event."
      />
    ) : (
      <EmptyState
        tone="success"
        icon={<ShieldIcon size={22} />}
        title="All quiet"
        description="No security events so far. Failed authentication, blocked IP addresses, exceeded quotas, keys used from new IPs and keys reported leaked will be listed here."
      />
    );

  const footer = <CursorFooter query={events} shown={rows.length} noun={['event', 'events']} />;

  const keyLink = (event: SecurityEvent) =>
    event.keyId ? (
      <Link to={organizationPath(orgSlug, `keys/${event.keyId}`)} className="security-key-link">
        {eventKeyName(event)}
      </Link>
    ) : (
      <span className="text-faint">—</span>
    );

  if (tab === 'activity') {
    if (events.isError && !events.data) {
      return (
        <Table.Container>
          <QueryLoadFailed query={events} title={ERROR_TITLE} />
        </Table.Container>
      );
    }
    if (events.isSuccess && rows.length === 0) return empty;
    return (
      <div className="card security-timeline" aria-busy={events.isPending || undefined}>
        <ol className="timeline">
          {events.data
            ? rows.map((event) => {
                const sentence = describeSecurityEvent(event);
                return (
                  <li key={event.id} className="timeline__item" data-kind={event.kind}>
                    <span className="tone-icon tone-icon--ring" data-tone={sentence.tone} aria-hidden="true">
                      {KIND_ICON[event.kind]}
                    </span>
                    <div className="timeline__body">
                      <p className="timeline__title">{sentence.title}</p>
                      <p className="timeline__meta">
                        <RelativeTime iso={event.createdAt} now={now} />
                        {event.keyId ? (
                          <>
                            <span aria-hidden="true">·</span>
                            <Link to={organizationPath(orgSlug, `keys/${event.keyId}`)}>View key</Link>
                          </>
                        ) : null}
                        {event.kind === 'ip_blocked' && typeof event.details.until === 'string' ? (
                          <>
                            <span aria-hidden="true">·</span>
                            <span>until {formatInstant(event.details.until)}</span>
                          </>
                        ) : null}
                        {event.kind === 'key_leaked' ? <LeakLocation details={event.details} /> : null}
                        {event.ip && event.kind !== 'new_ip' && !event.kind.startsWith('ip_') ? (
                          <>
                            <span aria-hidden="true">·</span>
                            <span className="mono">{event.ip}</span>
                          </>
                        ) : null}
                      </p>
                    </div>
                  </li>
                );
              })
            : Array.from({ length: 5 }, (_, i) => (
                <li key={i} className="timeline__item">
                  <Skeleton width={32} height={32} radius={999} />
                  <span className="stack stack--xs" style={{ flex: 1 }}>
                    <Skeleton width={`${45 + ((i * 13) % 30)}%`} height={13} />
                    <Skeleton width={140} height={11} />
                  </span>
                </li>
              ))}
        </ol>
        {footer}
      </div>
    );
  }

  return (
    <QueryTable
      query={events}
      rowCount={rows.length}
      caption={tab === 'quota' ? 'Quota exceeded events' : 'Keys used from new IPs'}
      columns={tab === 'quota' ? QUOTA_COLUMNS : NEW_IP_COLUMNS}
      skeletonRows={4}
      errorTitle={ERROR_TITLE}
      empty={empty}
      footer={footer}
    >
      {rows.map((event) => (
        <Table.Row key={event.id}>
          <Table.Cell className="security-when">
            <RelativeTime iso={event.createdAt} now={now} />
          </Table.Cell>
          <Table.Cell>{keyLink(event)}</Table.Cell>
          {tab === 'quota' ? (
            <>
              <Table.Cell>
                <Badge tone="warning">
                  {isQuotaWindow(event.details.window)
                    ? QUOTA_WINDOW_LABEL[event.details.window]
                    : String(event.details.window ?? '—')}
                </Badge>
              </Table.Cell>
              <Table.Cell align="end" className="tabular">
                {typeof event.details.limit === 'number' ? formatCount(event.details.limit) : '—'}
              </Table.Cell>
              <Table.Cell mono muted>
                {event.ip ?? '—'}
              </Table.Cell>
            </>
          ) : (
            <>
              <Table.Cell mono>{event.ip ?? '—'}</Table.Cell>
              <Table.Cell muted>
                {typeof event.details.first_seen_at === 'string'
                  ? formatInstant(event.details.first_seen_at)
                  : '—'}
              </Table.Cell>
            </>
          )}
        </Table.Row>
      ))}
    </QueryTable>
  );
}

const ERROR_TITLE = "Couldn't load security events";

const QUOTA_COLUMNS: QueryTableColumn[] = [
  { label: 'When', skeleton: 90 },
  { label: 'Key', skeleton: 140 },
  { label: 'Window', skeleton: <Skeleton width={70} height={20} radius={999} /> },
  { label: 'Quota', align: 'end', skeleton: 50 },
  { label: 'Refused caller', skeleton: 90 },
];

const NEW_IP_COLUMNS: QueryTableColumn[] = [
  { label: 'When', skeleton: 90 },
  { label: 'Key', skeleton: 140 },
  { label: 'New IP', skeleton: 100 },
  { label: 'First seen', skeleton: 120 },
];
