import { useQuery } from '@tanstack/react-query';
import { Fragment, type ReactNode, useState } from 'react';
import {
  Avatar,
  Button,
  CursorFooter,
  cursorPaging,
  EmptyState,
  FilterBar,
  FilterInput,
  hiddenLabel,
  QueryTable,
  type QueryTableColumn,
  Select,
  Skeleton,
  Table,
  TimeRangeField,
  useCursorList,
} from '../../components';
import {
  ChevronDownIcon,
  ChevronRightIcon,
  DownloadIcon,
  KeyIcon,
  ScrollTextIcon,
  SettingsIcon,
} from '../../components/icons';
import { classNames } from '../../lib/class-names';
import { formatInstant } from '../../lib/format';
import { Link } from '../../lib/router';
import { resolveTimeRange, type TimeRange, type TimeRangePreset, timeRange } from '../../lib/time-range';
import { type RouterOutputs, trpc, trpcClient } from '../../lib/trpc';
import { useCsvExport } from '../../lib/use-csv-export';
import { useDebouncedValue } from '../../lib/use-debounced-value';
import { RelativeTime, useNow } from '../api-keys/key-parts';
import { seesOrganizationMonitoring } from '../organization/monitoring-access';
import { useCurrentOrganization } from '../organization/organization-context';
import { organizationPath } from '../organization/organization-preference';
import { PageIntro } from '../shell/page';
import { RestrictedSection } from '../shell/restricted-section';
import {
  ACTION_FILTERS,
  actionLabel,
  actionTone,
  auditDiff,
  fieldLabel,
  formatAuditValue,
  TARGET_TYPE_LABEL,
  targetSection,
} from './audit-display';
import './audit-log.css';

type AuditEvent = RouterOutputs['audit']['list']['items'][number];
type Member = RouterOutputs['member']['list'][number];

const PRESETS: readonly TimeRangePreset[] = ['24h', '7d', '30d', 'all', 'custom'];
const PAGE_SIZE = 30;

interface AuditFilters {
  actorId: string;
  action: string;
  targetId: string;
  range: TimeRange;
}

function initialFilters(): AuditFilters {
  return { actorId: '', action: '', targetId: '', range: timeRange('all', Date.now()) };
}

/** Who changed what, and when: the organization's audit trail. Owners and admins. */
export function AuditLogPage(): ReactNode {
  const { organization } = useCurrentOrganization();
  if (!seesOrganizationMonitoring(organization.role)) {
    return (
      <div className="stack stack--lg">
        <PageIntro description="A permanent record of changes to keys, spaces, members and settings." />
        <RestrictedSection what="Audit events" />
      </div>
    );
  }
  return <AuditLog />;
}

function AuditLog(): ReactNode {
  const { organization } = useCurrentOrganization();
  const orgId = organization.id;
  const clock = useNow();
  const [filters, setFilters] = useState<AuditFilters>(initialFilters);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const csv = useCsvExport('audit-log', ['event', 'events']);
  const targetId = useDebouncedValue(filters.targetId.trim(), 350);
  const members = useQuery({ ...trpc.member.list.queryOptions({ orgId }), staleTime: 60_000 });

  const range = resolveTimeRange(filters.range);
  const input = {
    orgId,
    limit: PAGE_SIZE,
    ...(range.ok ? range.bounds : {}),
    ...(filters.actorId ? { actorId: filters.actorId } : {}),
    ...(filters.action ? { action: filters.action } : {}),
    ...(targetId ? { targetId } : {}),
  };
  const { query: events, rows } = useCursorList({
    ...trpc.audit.list.infiniteQueryOptions(input, cursorPaging),
    enabled: range.ok,
  });

  const now = Math.max(clock, events.dataUpdatedAt);
  const memberById = new Map((members.data ?? []).map((member) => [member.userId, member]));
  const filtered =
    filters.actorId !== '' ||
    filters.action !== '' ||
    filters.targetId.trim() !== '' ||
    filters.range.preset !== 'all';
  const update = (patch: Partial<AuditFilters>) => setFilters((current) => ({ ...current, ...patch }));

  const toggle = (id: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const exportCsv = () => {
    const { from: _from, to: _to, limit: _limit, ...rest } = input;
    void csv.exportCsv(filters.range, (bounds) => trpcClient.audit.exportCsv.query({ ...rest, ...bounds }));
  };

  // An actor picked from a row may be a key or a former member: keep it choosable in the select.
  const actorOptions = [
    { value: '', label: 'Anyone' },
    ...(members.data ?? []).map((member) => ({ value: member.userId, label: member.displayName })),
  ];
  if (filters.actorId && !memberById.has(filters.actorId)) {
    const label = rows.find((row) => row.actor.id === filters.actorId)?.actor.label ?? filters.actorId;
    actorOptions.push({ value: filters.actorId, label });
  }

  return (
    <div className="stack stack--lg audit-page">
      <PageIntro
        description="A permanent record of changes to keys, spaces, members and settings: who, what, from where."
        actions={
          <Button
            icon={<DownloadIcon size={16} />}
            onClick={exportCsv}
            loading={csv.exporting}
            disabled={!range.ok}
          >
            Export CSV
          </Button>
        }
      />

      <FilterBar label="Filter audit events" filtered={filtered} onClear={() => setFilters(initialFilters())}>
        <TimeRangeField
          value={filters.range}
          onChange={(value) => update({ range: value })}
          presets={PRESETS}
        />
        <Select
          label="Actor"
          hideLabel
          value={filters.actorId}
          onChange={(event) => update({ actorId: event.target.value })}
          options={actorOptions}
          fieldClassName="toolbar-select"
        />
        <Select
          label="Action"
          hideLabel
          value={filters.action}
          onChange={(event) => update({ action: event.target.value })}
          options={[
            { value: '', label: 'All actions' },
            ...ACTION_FILTERS,
            ...(filters.action && !ACTION_FILTERS.some((option) => option.value === filters.action)
              ? [{ value: filters.action, label: actionLabel(filters.action) }]
              : []),
          ]}
          fieldClassName="toolbar-select"
        />
        <FilterInput
          label="Target ID"
          placeholder="Target ID"
          value={filters.targetId}
          onChange={(targetId) => update({ targetId })}
          className="filter-input--mono filter-input--target"
          searchIcon
        />
      </FilterBar>

      <QueryTable
        query={events}
        rowCount={rows.length}
        caption="Audit events"
        columns={COLUMNS}
        className="audit-table-container"
        tableClassName="audit-table"
        skeletonRows={8}
        errorTitle="Couldn't load the audit log"
        filtered={filtered}
        empty={
          <EmptyState
            icon={<ScrollTextIcon size={22} />}
            title="No audit events yet"
            description="When someone creates, changes or revokes anything in this organization, the event is recorded here with who did it, from where, and what changed."
          />
        }
        noMatch={{
          title: 'No events match',
          description: 'Nothing in the audit log matches these filters.',
          onClear: () => setFilters(initialFilters()),
        }}
        footer={<CursorFooter query={events} shown={rows.length} noun={['event', 'events']} />}
      >
        {rows.map((event) => (
          <AuditRow
            key={event.id}
            event={event}
            member={event.actor.id ? memberById.get(event.actor.id) : undefined}
            now={now}
            orgSlug={organization.slug}
            open={expanded.has(event.id)}
            onToggle={() => toggle(event.id)}
            onFilterActor={(actorId) => update({ actorId })}
            onFilterTarget={(id) => update({ targetId: id })}
          />
        ))}
      </QueryTable>
    </div>
  );
}

const stacked = (top: number, bottom: number): ReactNode => (
  <span className="stack stack--xs">
    <Skeleton width={top} height={12} />
    <Skeleton width={bottom} height={10} />
  </span>
);

const COLUMNS: QueryTableColumn[] = [
  {
    label: hiddenLabel('Details'),
    className: 'audit-table__toggle-col',
    skeleton: <Skeleton width={14} height={14} />,
  },
  { label: 'Time', skeleton: 80 },
  {
    label: 'Actor',
    skeleton: (
      <span className="actor">
        <Skeleton width={28} height={28} radius={999} />
        {stacked(110, 130)}
      </span>
    ),
  },
  { label: 'Action', skeleton: stacked(120, 80) },
  { label: 'Target', skeleton: stacked(100, 140) },
  { label: 'IP', skeleton: 80 },
];

function ActorCell({
  event,
  member,
  onFilter,
}: {
  event: AuditEvent;
  member: Member | undefined;
  onFilter: (actorId: string) => void;
}): ReactNode {
  const { actor } = event;
  const icon =
    actor.type === 'user' ? (
      <Avatar
        name={member?.displayName ?? actor.label}
        initials={member?.initials}
        color={member?.avatarColor}
        seed={actor.id ?? actor.label}
        size="sm"
      />
    ) : (
      <span className={`actor-icon actor-icon--${actor.type}`} aria-hidden="true">
        {actor.type === 'key' ? <KeyIcon size={14} /> : <SettingsIcon size={14} />}
      </span>
    );
  const name = actor.type === 'user' ? (member?.displayName ?? actor.label) : actor.label;
  const sub =
    actor.type === 'user'
      ? member
        ? actor.label
        : 'Former member'
      : actor.type === 'key'
        ? 'API key'
        : 'Keysmith';
  return (
    <span className="actor">
      {icon}
      <span className="actor__text">
        {actor.id ? (
          <button
            type="button"
            className="link-button actor__name"
            title="Show only this actor's events"
            onClick={() => onFilter(actor.id ?? '')}
          >
            {name}
          </button>
        ) : (
          <span className="actor__name">{name}</span>
        )}
        <span className="actor__sub">{sub}</span>
      </span>
    </span>
  );
}

function AuditRow({
  event,
  member,
  now,
  orgSlug,
  open,
  onToggle,
  onFilterActor,
  onFilterTarget,
}: {
  event: AuditEvent;
  member: Member | undefined;
  now: number;
  orgSlug: string;
  open: boolean;
  onToggle: () => void;
  onFilterActor: (actorId: string) => void;
  onFilterTarget: (targetId: string) => void;
}): ReactNode {
  const section = targetSection(event.target.type, event.target.id);
  const detailId = `audit-${event.id}`;
  const targetName = event.target.label ?? event.target.id ?? TARGET_TYPE_LABEL[event.target.type] ?? '—';
  return (
    <Fragment>
      <Table.Row className={classNames('audit-row', open && 'is-open')}>
        <Table.Cell className="audit-table__toggle-col">
          <button
            type="button"
            className="row-toggle"
            aria-expanded={open}
            aria-controls={detailId}
            aria-label={open ? 'Hide changes' : 'Show changes'}
            onClick={onToggle}
          >
            {open ? <ChevronDownIcon size={16} /> : <ChevronRightIcon size={16} />}
          </button>
        </Table.Cell>
        <Table.Cell className="audit-table__time">
          <RelativeTime iso={event.createdAt} now={now} />
        </Table.Cell>
        <Table.Cell>
          <ActorCell event={event} member={member} onFilter={onFilterActor} />
        </Table.Cell>
        <Table.Cell>
          <span className="audit-action" data-tone={actionTone(event.action)}>
            <span className="audit-action__label">{actionLabel(event.action)}</span>
            <code className="audit-action__code">{event.action}</code>
          </span>
        </Table.Cell>
        <Table.Cell>
          <span className="audit-target">
            {section ? (
              <Link to={organizationPath(orgSlug, section)} className="audit-target__name">
                {targetName}
              </Link>
            ) : (
              <span className="audit-target__name">{targetName}</span>
            )}
            <span className="audit-target__sub">
              {TARGET_TYPE_LABEL[event.target.type] ?? event.target.type}
              {event.target.id ? (
                <button
                  type="button"
                  className="link-button mono"
                  title="Show only events about this target"
                  onClick={() => onFilterTarget(event.target.id ?? '')}
                >
                  {event.target.id}
                </button>
              ) : null}
            </span>
          </span>
        </Table.Cell>
        <Table.Cell mono muted className="audit-table__ip">
          {event.ip ?? '—'}
        </Table.Cell>
      </Table.Row>
      {open ? (
        <tr className="audit-detail-row" id={detailId}>
          <td colSpan={6}>
            <AuditChanges event={event} />
          </td>
        </tr>
      ) : null}
    </Fragment>
  );
}

/** The before/after of one event: a diff for changes, the values for creations and deletions. */
function AuditChanges({ event }: { event: AuditEvent }): ReactNode {
  const rows = auditDiff(event.before, event.after);
  const mode = event.before === null ? 'created' : event.after === null ? 'deleted' : 'changed';
  return (
    <div className="audit-detail">
      <div className="audit-detail__changes">
        {rows.length === 0 ? (
          <p className="text-muted">No field values were recorded for this event.</p>
        ) : (
          <table className="diff-table">
            <caption className="sr-only">Changed fields</caption>
            <thead>
              <tr>
                <th scope="col">Field</th>
                {mode === 'changed' ? (
                  <>
                    <th scope="col">Before</th>
                    <th scope="col">After</th>
                  </>
                ) : (
                  <th scope="col">{mode === 'created' ? 'Value' : 'Last value'}</th>
                )}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.field} data-kind={row.kind}>
                  <th scope="row">{fieldLabel(row.field)}</th>
                  {mode === 'changed' ? (
                    <>
                      <td>
                        <span className="diff-value diff-value--before">{formatAuditValue(row.before)}</span>
                      </td>
                      <td>
                        <span className="diff-value diff-value--after">{formatAuditValue(row.after)}</span>
                      </td>
                    </>
                  ) : (
                    <td>
                      <span className={`diff-value diff-value--${mode === 'created' ? 'after' : 'before'}`}>
                        {formatAuditValue(mode === 'created' ? row.after : row.before)}
                      </span>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <dl className="audit-detail__facts">
        <div>
          <dt>When</dt>
          <dd>{formatInstant(event.createdAt)}</dd>
        </div>
        <div>
          <dt>Event</dt>
          <dd className="mono">{event.id}</dd>
        </div>
        {event.actor.id ? (
          <div>
            <dt>Actor ID</dt>
            <dd className="mono">{event.actor.id}</dd>
          </div>
        ) : null}
        <div>
          <dt>From IP</dt>
          <dd className="mono">{event.ip ?? '—'}</dd>
        </div>
      </dl>
    </div>
  );
}
