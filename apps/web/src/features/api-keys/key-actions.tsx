import { useMutation } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import {
  Button,
  ConfirmDialog,
  copyToClipboard,
  DropdownMenu,
  DropdownMenuItem,
  DropdownMenuSeparator,
  IconButton,
  useToast,
} from '../../components';
import {
  BanSmallIcon,
  CopyIcon,
  EyeIcon,
  MoreHorizontalIcon,
  MoreVerticalIcon,
  PauseIcon,
  PencilSimpleIcon,
  PlayIcon,
  RotateIcon,
  TrashSimpleIcon,
} from '../../components/icons';
import { navigate } from '../../lib/router';
import { trpc } from '../../lib/trpc';
import { organizationPath } from '../organization/organization-preference';
import { keyDisplayName } from './key-display';
import type { KeyRecord } from './key-types';
import { useKeyCacheUpdates } from './use-key-data';

export type KeyDialog = 'edit' | 'roll' | 'deactivate' | 'revoke' | 'delete' | null;

export interface KeyActionsProps {
  orgId: string;
  orgSlug: string;
  record: KeyRecord;
  /** Whether the user may change this key (§4); otherwise only "copy preview" is offered. */
  canManage: boolean;
  /**
   * Opens the edit or roll dialog, which the detail page owns (they lead to the one-time
   * reveal). Without it (a table row) the menu offers "View details" instead.
   */
  onOpen?: (dialog: 'edit' | 'roll') => void;
}

/**
 * The key's actions menu (copy masked preview, edit, roll, deactivate or reactivate, revoke,
 * delete when unused) and the confirmations of the destructive ones.
 */
export function KeyActions({ orgId, orgSlug, record, canManage, onOpen }: KeyActionsProps): ReactNode {
  const inRow = onOpen === undefined;
  const toast = useToast();
  const [dialog, setDialog] = useState<KeyDialog>(null);
  const { storeRecord, refreshLists, forget } = useKeyCacheUpdates(orgId);
  const name = keyDisplayName(record);
  const revoked = record.status === 'revoked';
  const rolled = record.rolledToId !== null;

  const onChanged = (updated: KeyRecord) => {
    storeRecord(updated);
    void refreshLists();
  };
  const deactivate = useMutation(trpc.key.deactivate.mutationOptions({ onSuccess: onChanged }));
  const reactivate = useMutation(trpc.key.reactivate.mutationOptions({ onSuccess: onChanged }));
  const revoke = useMutation(trpc.key.revoke.mutationOptions({ onSuccess: onChanged }));
  const remove = useMutation(trpc.key.delete.mutationOptions());

  const copyPreview = () =>
    copyToClipboard(record.preview).then(
      () => toast({ title: 'Masked preview copied', description: record.preview }),
      () =>
        toast({ title: 'Could not copy', description: 'Select the preview and copy it.', tone: 'danger' }),
    );

  const runReactivate = () =>
    reactivate.mutate(
      { orgId, keyId: record.id },
      {
        onSuccess: () => toast({ title: `${name} is active again` }),
        onError: (error) =>
          toast({ title: 'Could not reactivate the key', description: error.message, tone: 'danger' }),
      },
    );

  return (
    <>
      <DropdownMenu
        label={`Actions for ${name}`}
        align="end"
        width={272}
        trigger={(props, open) =>
          inRow ? (
            <IconButton {...props} label={`Actions for ${name}`} size="sm" data-open={open || undefined}>
              <MoreVerticalIcon size={16} />
            </IconButton>
          ) : (
            <Button
              {...props}
              variant="secondary"
              icon={<MoreHorizontalIcon size={16} />}
              data-open={open || undefined}
            >
              Actions
            </Button>
          )
        }
      >
        <DropdownMenuItem icon={<CopyIcon size={16} />} onSelect={copyPreview}>
          Copy masked preview
        </DropdownMenuItem>
        {inRow ? (
          <DropdownMenuItem
            icon={<EyeIcon size={16} />}
            onSelect={() => navigate(organizationPath(orgSlug, `keys/${record.id}`))}
          >
            View details
          </DropdownMenuItem>
        ) : null}
        {canManage && !revoked ? (
          <>
            {onOpen ? (
              <DropdownMenuItem icon={<PencilSimpleIcon size={16} />} onSelect={() => onOpen('edit')}>
                Edit settings
              </DropdownMenuItem>
            ) : null}
            {onOpen && !rolled ? (
              <DropdownMenuItem icon={<RotateIcon size={16} />} onSelect={() => onOpen('roll')}>
                Roll key…
              </DropdownMenuItem>
            ) : null}
            {record.active ? (
              <DropdownMenuItem icon={<PauseIcon size={16} />} onSelect={() => setDialog('deactivate')}>
                Deactivate…
              </DropdownMenuItem>
            ) : (
              <DropdownMenuItem icon={<PlayIcon size={16} />} onSelect={runReactivate}>
                Reactivate
              </DropdownMenuItem>
            )}
          </>
        ) : null}
        {canManage ? (
          <>
            <DropdownMenuSeparator />
            {!revoked ? (
              <DropdownMenuItem icon={<BanSmallIcon size={16} />} danger onSelect={() => setDialog('revoke')}>
                Revoke…
              </DropdownMenuItem>
            ) : null}
            {record.used ? (
              <DropdownMenuItem icon={<TrashSimpleIcon size={16} />} disabled onSelect={() => undefined}>
                <span className="menu-item-stack">
                  <span>Delete</span>
                  <span className="menu-item-stack__hint">
                    This key has been used: it can only be deactivated or revoked, so its history is kept.
                  </span>
                </span>
              </DropdownMenuItem>
            ) : (
              <DropdownMenuItem
                icon={<TrashSimpleIcon size={16} />}
                danger
                onSelect={() => setDialog('delete')}
              >
                Delete…
              </DropdownMenuItem>
            )}
          </>
        ) : null}
      </DropdownMenu>

      <ConfirmDialog
        open={dialog === 'deactivate'}
        onClose={() => setDialog(null)}
        tone="primary"
        title={`Deactivate ${name}?`}
        description="Calls with this key are refused with 401 Inactive API Key within a second, until you reactivate it. Nothing else changes."
        confirmLabel="Deactivate key"
        onConfirm={async () => {
          await deactivate.mutateAsync({ orgId, keyId: record.id });
          toast({ title: `${name} is deactivated`, description: 'Reactivate it from the actions menu.' });
        }}
      />
      <ConfirmDialog
        open={dialog === 'revoke'}
        onClose={() => setDialog(null)}
        title={`Revoke ${name}?`}
        description="The key stops working within a second, permanently: it answers 401 Revoked API Key. Its record and request history are kept. This cannot be undone."
        confirmLabel="Revoke key"
        confirmText={name}
        onConfirm={async () => {
          await revoke.mutateAsync({ orgId, keyId: record.id });
          toast({ title: `${name} is revoked` });
        }}
      />
      <ConfirmDialog
        open={dialog === 'delete'}
        onClose={() => setDialog(null)}
        title={`Delete ${name}?`}
        description="The key has never been used, so it can be deleted without a trace in request logs. The audit log keeps a record of the deletion."
        confirmLabel="Delete key"
        confirmText={name}
        onConfirm={async () => {
          await remove.mutateAsync({ orgId, keyId: record.id });
          forget(record.id);
          void refreshLists();
          toast({ title: `${name} is deleted` });
          if (!inRow) navigate(organizationPath(orgSlug, 'keys'));
        }}
      />
    </>
  );
}
