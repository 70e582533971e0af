import { BUILTIN_CATEGORIES } from '@keysmith/domain';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import {
  type KeyboardEvent,
  type MouseEvent,
  type ReactNode,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import {
  Button,
  ClearFiltersButton,
  CodeBlock,
  EmptyState,
  IconButton,
  LoadFailedState,
  NoMatchesState,
  Select,
  Skeleton,
  Table,
  useToast,
} from '../../components';
import {
  ArrowDownIcon,
  ArrowUpIcon,
  ChevronLeftIcon,
  ChevronRightIcon,
  ChevronsUpDownSmallIcon,
  KeyIcon,
  PlusIcon,
  SearchIcon,
  XIcon,
} from '../../components/icons';
import { describeError } from '../../lib/api-errors';
import { classNames } from '../../lib/class-names';
import { formatCount, formatInstant, formatShortDay } from '../../lib/format';
import { Link, navigate, useLocation, useSearchParams } from '../../lib/router';
import { trpc } from '../../lib/trpc';
import { KeyPolicyBadges } from '../key-policy/key-policy-status';
import { useCurrentOrganization } from '../organization/organization-context';
import { organizationPath } from '../organization/organization-preference';
import { PageIntro } from '../shell/page';
import { KeyActions } from './key-actions';
import { categoryLabel, keyDisplayName, STATUS_LABEL, verifySnippet } from './key-display';
import { KeyFormDialog } from './key-form-dialog';
import {
  clearFilters,
  EXPIRING_DAYS,
  isFiltered,
  type KeyListState,
  listInput,
  listStateToSearch,
  PER_PAGE_CHOICES,
  type PerPage,
  pageCount,
  parseListState,
  rangeLabel,
} from './key-list-params';
import {
  EnvironmentBadge,
  OwnerLabel,
  QuotaCell,
  RelativeTime,
  RolledNote,
  SpaceLabel,
  StatusBadge,
  useNow,
} from './key-parts';
import { KEY_SEARCH_ATTRIBUTE } from './key-paste';
import { canCreateIn, canManageKey } from './key-permissions';
import { type IssuedKey, KeyRevealDialog } from './key-reveal-dialog';
import type { KeyRecord, KeySort, KeyStatus } from './key-types';
import { KeysSectionTabs } from './keys-section-tabs';
import { UpgradePrompt } from './upgrade-prompt';
import { spaceRoleOf, useKeyCacheUpdates, useSpaces } from './use-key-data';

const SEARCH_DEBOUNCE_MS = 200;
/** The status select's extra choice: keys that still work and expire soon. */
const EXPIRING = 'expiring';

/** The keys table: search, filters, sort and pagination in the URL; the create dialog and one-time reveal. */
export function KeysListPage(): ReactNode {
  const { organization, user } = useCurrentOrganization();
  const orgId = organization.id;
  const { pathname } = useLocation();
  const params = useSearchParams();
  const state = useMemo(() => parseListState(params), [params]);
  const now = useNow();
  const toast = useToast();
  const { refreshLists, storeRecord } = useKeyCacheUpdates(orgId);

  const [creating, setCreating] = useState(false);
  const [issued, setIssued] = useState<IssuedKey | null>(null);

  const spaces = useSpaces(orgId);
  // Custom categories in use, so the filter offers them too (built-ins are always listed).
  const categories = useQuery({ ...trpc.key.categories.queryOptions({ orgId }), staleTime: 60_000 });
  const list = useQuery({
    ...trpc.key.list.queryOptions({ orgId, ...listInput(state) }),
    placeholderData: keepPreviousData,
  });

  const update = (next: KeyListState) => navigate(`${pathname}${listStateToSearch(next)}`, { replace: true });
  const updateAndPush = (next: KeyListState) => navigate(`${pathname}${listStateToSearch(next)}`);

  // Search as you type: the box updates at once, the URL (and so the query) after a short pause.
  const [searchText, setSearchText] = useState(state.search);
  const searchRef = useRef<HTMLInputElement>(null);
  useEffect(() => setSearchText(state.search), [state.search]);
  useEffect(() => {
    if (searchText === state.search) return;
    const timer = window.setTimeout(
      () => update({ ...state, search: searchText, page: 1 }),
      SEARCH_DEBOUNCE_MS,
    );
    return () => window.clearTimeout(timer);
  });

  const data = list.data;
  // A page past the end (after deleting the last keys of it) moves back to the last page.
  useEffect(() => {
    if (data && data.data.length === 0 && data.total > 0 && state.page > 1) {
      update({ ...state, page: pageCount(state.perPage, data.total) });
    }
  });

  const creatable = (spaces.data ?? []).filter((space) => canCreateIn(organization.role, space));
  const mayCreate = spaces.isSuccess && creatable.length > 0;
  const mayCreateAtAll = organization.role === 'owner' || organization.role === 'admin' || mayCreate;
  const newKeyButton = mayCreateAtAll ? (
    <Button variant="primary" icon={<PlusIcon size={16} />} onClick={() => setCreating(true)}>
      New API key
    </Button>
  ) : null;

  const listError = list.isError ? describeError(list.error) : null;
  if (listError?.code === 'PRECONDITION_FAILED') return <UpgradePrompt message={listError.message} />;

  const filtered = isFiltered(state);
  const showEmpty = data !== undefined && data.total === 0 && !filtered && !list.isPlaceholderData;
  const showNoResults = data !== undefined && data.total === 0 && filtered;

  const sortBy = (sort: KeySort) =>
    update({
      ...state,
      sort,
      order: state.sort === sort ? (state.order === 'desc' ? 'asc' : 'desc') : 'desc',
      page: 1,
    });

  const categoryOptions = [
    { value: '', label: 'All categories' },
    ...[...new Set([...BUILTIN_CATEGORIES, ...(categories.data?.categories ?? []), state.category ?? ''])]
      .filter(Boolean)
      .map((category) => ({ value: category, label: categoryLabel(category) })),
  ];

  return (
    <div className="stack stack--lg keys-page">
      <KeysSectionTabs current="keys" />
      <PageIntro
        description="Keys your API consumers call with, each with its scopes, expiry, quotas and rate limits."
        actions={showEmpty ? null : newKeyButton}
      />

      {showEmpty ? (
        <KeysEmptyState
          prefix={organization.keyPrefix}
          action={newKeyButton}
          hasSpaces={spaces.isSuccess ? creatable.length > 0 : true}
          spacesPath={organizationPath(organization.slug, 'spaces')}
        />
      ) : (
        <>
          <search className="keys-toolbar" aria-label="Search and filter keys">
            <div className="search-box">
              <SearchIcon size={16} className="search-box__icon" />
              <label className="sr-only" htmlFor="key-search">
                Search keys by name
              </label>
              <input
                id="key-search"
                ref={searchRef}
                type="search"
                className="search-box__input"
                placeholder="Search by name…"
                autoComplete="off"
                spellCheck={false}
                value={searchText}
                onChange={(event) => setSearchText(event.target.value)}
                onKeyDown={(event: KeyboardEvent<HTMLInputElement>) => {
                  if (event.key === 'Escape' && searchText) {
                    event.preventDefault();
                    setSearchText('');
                    update({ ...state, search: '', page: 1 });
                  }
                }}
                {...{ [KEY_SEARCH_ATTRIBUTE]: '' }}
              />
              {list.isFetching && list.isPlaceholderData ? (
                <span className="search-box__busy spinner spinner--sm" aria-hidden="true" />
              ) : null}
              {searchText ? (
                <button
                  type="button"
                  className="search-box__clear"
                  aria-label="Clear search"
                  title="Clear search"
                  onClick={() => {
                    setSearchText('');
                    update({ ...state, search: '', page: 1 });
                    searchRef.current?.focus();
                  }}
                >
                  <XIcon size={14} />
                </button>
              ) : null}
            </div>
            <div className="keys-toolbar__filters">
              <Select
                label="Space"
                hideLabel
                value={state.spaceId ?? ''}
                onChange={(event) => update({ ...state, spaceId: event.target.value || null, page: 1 })}
                options={[
                  { value: '', label: 'All spaces' },
                  ...(spaces.data ?? []).map((space) => ({
                    value: space.id,
                    label: space.archived ? `${space.name} (archived)` : space.name,
                  })),
                ]}
                fieldClassName="toolbar-select"
              />
              <Select
                label="Category"
                hideLabel
                value={state.category ?? ''}
                onChange={(event) => update({ ...state, category: event.target.value || null, page: 1 })}
                options={categoryOptions}
                fieldClassName="toolbar-select"
              />
              <Select
                label="Environment"
                hideLabel
                value={state.environment ?? ''}
                onChange={(event) =>
                  update({
                    ...state,
                    environment:
                      event.target.value === 'live' || event.target.value === 'test'
                        ? event.target.value
                        : null,
                    page: 1,
                  })
                }
                options={[
                  { value: '', label: 'All environments' },
                  { value: 'live', label: 'Live' },
                  { value: 'test', label: 'Test' },
                ]}
                fieldClassName="toolbar-select"
              />
              <Select
                label="Status"
                hideLabel
                value={state.expiring ? EXPIRING : (state.status ?? '')}
                onChange={(event) => {
                  const value = event.target.value;
                  update({
                    ...state,
                    status: value === EXPIRING ? null : ((value || null) as KeyStatus | null),
                    expiring: value === EXPIRING ? true : undefined,
                    page: 1,
                  });
                }}
                options={[
                  { value: '', label: 'Any status' },
                  ...(Object.keys(STATUS_LABEL) as KeyStatus[]).map((status) => ({
                    value: status,
                    label: STATUS_LABEL[status],
                  })),
                  { value: EXPIRING, label: `Expiring within ${EXPIRING_DAYS} days` },
                ]}
                fieldClassName="toolbar-select"
              />
              <ClearFiltersButton shown={filtered} onClear={() => update(clearFilters(state))} />
            </div>
          </search>

          {listError && !data ? (
            <Table.Container>
              <LoadFailedState
                title="Couldn't load API keys"
                description={listError.message}
                retrying={list.isFetching}
                onRetry={() => void list.refetch()}
              />
            </Table.Container>
          ) : showNoResults ? (
            <Table.Container>
              <NoMatchesState
                title="No keys match"
                description={
                  state.search.trim()
                    ? `No key named like “${state.search.trim()}” matches these filters.`
                    : 'No key matches these filters.'
                }
                onClear={() => update(clearFilters(state))}
              />
            </Table.Container>
          ) : (
            <Table.Container
              className={classNames('keys-table-container', list.isPlaceholderData && 'is-refreshing')}
              aria-busy={list.isPending || list.isPlaceholderData || undefined}
            >
              <Table caption="API keys" className="keys-table table--dense">
                <Table.Head>
                  <Table.Row>
                    <Table.HeaderCell className="col-name">Name</Table.HeaderCell>
                    <Table.HeaderCell className="col-space">Space and owner</Table.HeaderCell>
                    <Table.HeaderCell className="col-category">Category</Table.HeaderCell>
                    <Table.HeaderCell className="col-status">Status</Table.HeaderCell>
                    <SortHeader label="Created" sort="created" state={state} onSort={sortBy} />
                    <Table.HeaderCell className="col-date col-expires">Expires</Table.HeaderCell>
                    <SortHeader label="Last used" sort="lastUsed" state={state} onSort={sortBy} />
                    <Table.HeaderCell className="col-quota">Quota</Table.HeaderCell>
                    <Table.ActionsHeader className="col-actions" />
                  </Table.Row>
                </Table.Head>
                <Table.Body>
                  {data
                    ? data.data.map((record) => (
                        <KeyRow
                          key={record.id}
                          record={record}
                          now={now}
                          orgId={orgId}
                          orgSlug={organization.slug}
                          canManage={canManageKey(
                            organization.role,
                            spaceRoleOf(spaces.data, record.space.id) ?? null,
                            record,
                            user.id,
                          )}
                        />
                      ))
                    : Array.from({ length: 6 }, (_, i) => <SkeletonRow key={i} index={i} />)}
                </Table.Body>
              </Table>
              {data ? (
                <Pagination
                  state={state}
                  total={data.total}
                  onChange={updateAndPush}
                  onPerPage={(perPage) => update({ ...state, perPage, page: 1 })}
                />
              ) : (
                <div className="pagination" aria-hidden="true">
                  <Skeleton width={120} height={12} />
                </div>
              )}
            </Table.Container>
          )}
        </>
      )}

      <KeyFormDialog
        mode="create"
        open={creating}
        onClose={() => setCreating(false)}
        spaces={spaces.data ?? []}
        onCreated={(created) => {
          setCreating(false);
          storeRecord(created.record);
          void refreshLists();
          setIssued(created);
        }}
      />
      <KeyRevealDialog
        issued={issued}
        onClose={() => {
          const name = issued?.record.name;
          setIssued(null);
          if (name) toast({ title: 'API key created', description: `${name} is ready to use.` });
        }}
      />
    </div>
  );
}

function SortHeader({
  label,
  sort,
  state,
  onSort,
}: {
  label: string;
  sort: KeySort;
  state: KeyListState;
  onSort: (sort: KeySort) => void;
}): ReactNode {
  const active = state.sort === sort;
  const Icon = !active ? ChevronsUpDownSmallIcon : state.order === 'desc' ? ArrowDownIcon : ArrowUpIcon;
  return (
    <Table.HeaderCell
      className={classNames('col-date', active && 'is-sorted')}
      aria-sort={active ? (state.order === 'desc' ? 'descending' : 'ascending') : 'none'}
    >
      <button type="button" className="sort-button" onClick={() => onSort(sort)}>
        {label}
        <Icon size={13} />
      </button>
    </Table.HeaderCell>
  );
}

function KeyRow({
  record,
  now,
  orgId,
  orgSlug,
  canManage,
}: {
  record: KeyRecord;
  now: number;
  orgId: string;
  orgSlug: string;
  canManage: boolean;
}): ReactNode {
  const to = organizationPath(orgSlug, `keys/${record.id}`);
  const name = keyDisplayName(record);
  const open = (event: MouseEvent<HTMLTableRowElement>) => {
    const target = event.target;
    // Links, buttons, menus and selected text keep their own behaviour.
    if (target instanceof Element && target.closest('a, button, [role="menu"], [role="dialog"]')) return;
    if (window.getSelection()?.toString()) return;
    if (event.metaKey || event.ctrlKey) {
      window.open(to, '_blank', 'noopener');
      return;
    }
    navigate(to);
  };
  const category = categoryLabel(record.category);
  return (
    <Table.Row interactive onClick={open} className={classNames(record.status === 'revoked' && 'is-revoked')}>
      <Table.Cell className="col-name">
        <span className="key-name">
          <span className="key-name__line">
            <Link
              to={to}
              className="key-name__link"
              title={record.description ? `${name}: ${record.description}` : name}
            >
              {name}
            </Link>
          </span>
          <span className="key-name__meta">
            <code className="key-preview">{record.preview}</code>
            <EnvironmentBadge environment={record.environment} />
          </span>
        </span>
      </Table.Cell>
      <Table.Cell className="col-space">
        <span className="key-space" title={`${record.space.name}, owned by ${ownerName(record)}`}>
          <SpaceLabel space={record.space} />
          <span className="key-space__owner">
            <OwnerLabel record={record} />
          </span>
        </span>
      </Table.Cell>
      <Table.Cell className="col-category">
        <span className="cell-text" title={category}>
          {category}
        </span>
      </Table.Cell>
      <Table.Cell className="col-status">
        <span className="key-status">
          <StatusBadge status={record.status} />
          <KeyPolicyBadges status={record.policy} compact />
          <RolledNote record={record} now={now} orgSlug={orgSlug} />
        </span>
      </Table.Cell>
      <Table.Cell className="col-date col-created">
        <time dateTime={record.createdAt} title={formatInstant(record.createdAt)}>
          {formatShortDay(record.createdAt, now)}
        </time>
      </Table.Cell>
      <Table.Cell className="col-date col-expires">
        <ExpiryCell record={record} now={now} />
      </Table.Cell>
      <Table.Cell className="col-date col-last-used">
        {record.lastUsedAt ? (
          <RelativeTime iso={record.lastUsedAt} now={now} past />
        ) : (
          <span className="text-faint">Never</span>
        )}
      </Table.Cell>
      <Table.Cell className="col-quota">
        <QuotaCell quotas={record.quotas} usage={record.usage} />
      </Table.Cell>
      <Table.Cell className="col-actions">
        <KeyActions orgId={orgId} orgSlug={orgSlug} record={record} canManage={canManage} />
      </Table.Cell>
    </Table.Row>
  );
}

function ownerName(record: KeyRecord): string {
  return record.owner?.displayName ?? record.ownerKeyName ?? record.ownerKeyId ?? 'nobody';
}

/** "in 12 days" (amber within the 30-day notice), "3 days ago" (faint), or a dash for no expiry. */
function ExpiryCell({ record, now }: { record: KeyRecord; now: number }): ReactNode {
  if (!record.expiresAt) {
    return (
      <span className="text-faint" title="Never expires">
        —
      </span>
    );
  }
  const left = Date.parse(record.expiresAt) - now;
  const soon = left > 0 && left <= EXPIRING_DAYS * 86_400_000 && record.status !== 'revoked';
  return (
    <span className={classNames(soon && 'expiry--soon', left <= 0 && 'text-faint')}>
      <RelativeTime iso={record.expiresAt} now={now} />
    </span>
  );
}

const SKELETON_WIDTHS = [70, 55, 85, 60, 75, 50];

function SkeletonRow({ index }: { index: number }): ReactNode {
  const w = SKELETON_WIDTHS[index % SKELETON_WIDTHS.length] ?? 60;
  return (
    <tr className="skeleton-row">
      <td className="col-name">
        <span className="stack stack--xs">
          <Skeleton width={w + 60} height={12} />
          <Skeleton width={150} height={10} />
        </span>
      </td>
      <td className="col-space">
        <span className="stack stack--xs">
          <Skeleton width={w + 30} height={12} />
          <Skeleton width={w + 10} height={10} />
        </span>
      </td>
      {[64, 56, 70, 60, 60, 90, 16].map((width, i) => (
        <td key={i}>
          <Skeleton width={width} height={12} />
        </td>
      ))}
    </tr>
  );
}

function Pagination({
  state,
  total,
  onChange,
  onPerPage,
}: {
  state: KeyListState;
  total: number;
  onChange: (state: KeyListState) => void;
  onPerPage: (perPage: PerPage) => void;
}): ReactNode {
  const pages = pageCount(state.perPage, total);
  const page = Math.min(state.page, pages);
  return (
    <nav className="pagination" aria-label="Pagination">
      <p className="pagination__range" aria-live="polite">
        {rangeLabel(page, state.perPage, total, formatCount)}
      </p>
      <div className="pagination__controls">
        <Select
          label="Rows per page"
          value={String(state.perPage)}
          onChange={(event) => onPerPage(Number(event.target.value) as PerPage)}
          options={PER_PAGE_CHOICES.map((n) => ({ value: String(n), label: `${n} per page` }))}
          hideLabel
          fieldClassName="toolbar-select toolbar-select--compact"
        />
        <span className="pagination__page">
          Page {formatCount(page)} of {formatCount(pages)}
        </span>
        <IconButton
          label="Previous page"
          variant="secondary"
          size="sm"
          disabled={page <= 1}
          onClick={() => onChange({ ...state, page: page - 1 })}
        >
          <ChevronLeftIcon size={16} />
        </IconButton>
        <IconButton
          label="Next page"
          variant="secondary"
          size="sm"
          disabled={page >= pages}
          onClick={() => onChange({ ...state, page: page + 1 })}
        >
          <ChevronRightIcon size={16} />
        </IconButton>
      </div>
    </nav>
  );
}

/** No keys at all yet: what a key is, the prominent first action, and how verification works. */
function KeysEmptyState({
  prefix,
  action,
  hasSpaces,
  spacesPath,
}: {
  prefix: string;
  action: ReactNode;
  hasSpaces: boolean;
  spacesPath: string;
}): ReactNode {
  const snippet = verifySnippet(window.location.origin, prefix);
  return (
    <EmptyState
      tone="accent"
      icon={<KeyIcon size={22} />}
      title="No API keys yet"
      description="Issue a key for each consumer of your API: give it scopes, an expiry, quotas and a rate limit, and revoke it in a second if it leaks."
      actions={
        action ? (
          <span className="empty-actions">
            {action}
            {!hasSpaces ? (
              <Link to={spacesPath} className="empty-actions__link">
                First, create a space <ChevronRightIcon size={14} />
              </Link>
            ) : null}
          </span>
        ) : (
          <p className="empty-state__note">
            Ask an admin of this organization to give you a developer role in a space.
          </p>
        )
      }
    >
      <div className="quick-start">
        <p className="empty-state__caption">Quick start</p>
        <ol className="quick-start__steps">
          <li>
            <span className="quick-start__num">1</span>
            <span>
              <strong>Create a key</strong> and copy it: it looks like <code>{prefix}_live_7Hq2mX9a…</code>{' '}
              and is shown in full only once.
            </span>
          </li>
          <li>
            <span className="quick-start__num">2</span>
            <span>
              <strong>Hand it to your consumer.</strong> They send it as <code>Authorization: Bearer …</code>.
            </span>
          </li>
          <li>
            <span className="quick-start__num">3</span>
            <span>
              <strong>Verify each call from your backend</strong> with a key that holds{' '}
              <code>keys:verify</code>:
            </span>
          </li>
        </ol>
        <CodeBlock title="POST /v1/keys/verify" code={snippet} />
      </div>
    </EmptyState>
  );
}
