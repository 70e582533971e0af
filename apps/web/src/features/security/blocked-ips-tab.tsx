import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import {
  Button,
  ConfirmDialog,
  EmptyState,
  hiddenLabel,
  QueryTable,
  type QueryTableColumn,
  Table,
  useToast,
} from '../../components';
import { ShieldIcon, UndoIcon } from '../../components/icons';
import { formatCount, formatInstant } from '../../lib/format';
import { Link } from '../../lib/router';
import { type RouterOutputs, trpc } from '../../lib/trpc';
import { RelativeTime, useNow } from '../api-keys/key-parts';
import { organizationPath } from '../organization/organization-preference';

type BlockedIp = RouterOutputs['security']['blockedIps']['items'][number];

/**
 * IPs blocked right now after too many failed attempts with this organization's keys, with an
 * Unblock action (confirmed; the server records it in the audit log and as a security event).
 */
export function BlockedIpsTab({ orgId, orgSlug }: { orgId: string; orgSlug: string }): ReactNode {
  const clock = useNow(10_000);
  const toast = useToast();
  const queryClient = useQueryClient();
  const blocked = useQuery({ ...trpc.security.blockedIps.queryOptions({ orgId }), refetchInterval: 30_000 });
  const unblock = useMutation(trpc.security.unblockIp.mutationOptions());
  const [confirming, setConfirming] = useState<BlockedIp | null>(null);
  const now = Math.max(clock, blocked.dataUpdatedAt);
  // Blocks run out by themselves: hide those whose end has passed since the last read.
  const items = (blocked.data?.items ?? []).filter((item) => new Date(item.until).getTime() > now);

  const doUnblock = async (ip: string) => {
    await unblock.mutateAsync({ orgId, ip });
    await Promise.all([
      queryClient.invalidateQueries(trpc.security.blockedIps.pathFilter()),
      queryClient.invalidateQueries(trpc.security.list.pathFilter()),
    ]);
    toast({
      title: `${ip} is unblocked`,
      description: 'Its requests are accepted again. The unblock is in the audit log.',
    });
  };

  return (
    <>
      <QueryTable
        query={blocked}
        rowCount={items.length}
        caption="Blocked IPs"
        columns={COLUMNS}
        skeletonRows={2}
        retryIcon={false}
        errorTitle="Couldn't load blocked IPs"
        empty={
          <EmptyState
            tone="success"
            icon={<ShieldIcon size={22} />}
            title="No blocked IPs"
            description="An IP that sends 20 invalid or missing keys within 5 minutes is blocked for 15 minutes. Blocks caused by your keys are listed here while they last, with an Unblock action."
          />
        }
        footer={
          <p className="table-footnote">
            Blocks end by themselves. Unblock an IP you trust (a misconfigured backend you have fixed, say) to
            accept its requests at once.
          </p>
        }
      >
        {items.map((item) => (
          <Table.Row key={item.ip}>
            <Table.Cell mono>
              <span className="blocked-ip">
                <span className="blocked-ip__dot" aria-hidden="true" />
                {item.ip}
              </span>
            </Table.Cell>
            <Table.Cell muted>
              <RelativeTime iso={item.blockedAt} now={now} />
            </Table.Cell>
            <Table.Cell>
              <span title={formatInstant(item.until)}>
                <RelativeTime iso={item.until} now={now} />
              </span>
            </Table.Cell>
            <Table.Cell align="end" className="tabular">
              {item.failures === null ? '—' : formatCount(item.failures)}
            </Table.Cell>
            <Table.Cell>
              {item.keyId ? (
                <Link to={organizationPath(orgSlug, `keys/${item.keyId}`)} className="mono">
                  {item.keyId}
                </Link>
              ) : (
                <span className="text-faint" title="The failing requests named no key of this organization">
                  None (made-up keys)
                </span>
              )}
            </Table.Cell>
            <Table.Cell align="end">
              <Button size="sm" icon={<UndoIcon size={14} />} onClick={() => setConfirming(item)}>
                Unblock
              </Button>
            </Table.Cell>
          </Table.Row>
        ))}
      </QueryTable>
      <ConfirmDialog
        open={confirming !== null}
        onClose={() => setConfirming(null)}
        title={`Unblock ${confirming?.ip ?? ''}?`}
        description="Requests from this IP are accepted again at once, on every API node. If it keeps failing it is blocked again. The unblock is recorded in the audit log with your name."
        confirmLabel="Unblock IP"
        tone="primary"
        onConfirm={() => (confirming ? doUnblock(confirming.ip) : undefined)}
      />
    </>
  );
}

const COLUMNS: QueryTableColumn[] = [
  { label: 'IP address', skeleton: 120 },
  { label: 'Blocked' },
  { label: 'Unblocks' },
  { label: 'Failures', align: 'end', skeleton: 30 },
  { label: 'Key named', skeleton: 140 },
  { label: hiddenLabel('Actions'), align: 'end', skeleton: 70 },
];
