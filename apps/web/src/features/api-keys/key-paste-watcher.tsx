import { useMutation, useQuery } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import { Alert, Button, Dialog, Spinner, useToast } from '../../components';
import { ClipboardIcon } from '../../components/icons';
import { describeError } from '../../lib/api-errors';
import { navigate } from '../../lib/router';
import { trpc } from '../../lib/trpc';
import { useCurrentOrganization } from '../organization/organization-context';
import { planIncludesApiKeys } from '../organization/organization-labels';
import { organizationPath } from '../organization/organization-preference';
import { keyDisplayName } from './key-display';
import { EnvironmentBadge, SpaceLabel, StatusBadge } from './key-parts';
import { KEY_SEARCH_ATTRIBUTE, type PastedKey, recognisePastedKeys, shouldInspectPaste } from './key-paste';
import { canManageKey } from './key-permissions';
import { spaceRoleOf, useKeyCacheUpdates, useSpaces } from './use-key-data';

function describeTarget(target: EventTarget | null) {
  if (!(target instanceof Element)) return null;
  return {
    tagName: target.tagName.toLowerCase(),
    editable: target instanceof HTMLElement && target.isContentEditable,
    isKeySearch: target.hasAttribute(KEY_SEARCH_ATTRIBUTE),
  };
}

/**
 * Listens for pastes anywhere in the signed-in admin. A pasted Keysmith key (valid checksum)
 * is recognised with the domain parser and the user is offered to find or revoke it. The
 * secret never leaves the paste handler: only the public key id is kept, looked up and put in
 * the URL. Pastes into text fields are left alone, except into the key search box, where a
 * key is caught before it can become a search term (and so a URL or a server request).
 */
export function ApiKeyPasteWatcher(): ReactNode {
  const { organization } = useCurrentOrganization();
  const [found, setFound] = useState<PastedKey[] | null>(null);
  const enabled = planIncludesApiKeys(organization.plan);

  useEffect(() => {
    if (!enabled) return;
    const onPaste = (event: ClipboardEvent) => {
      if (!shouldInspectPaste(describeTarget(event.target))) return;
      // Another dialog is open (the create form, a reveal): the paste belongs to it.
      if (document.body.classList.contains('has-modal')) return;
      const recognised = recognisePastedKeys(event.clipboardData?.getData('text/plain') ?? '');
      if (!recognised) return;
      event.preventDefault();
      setFound(recognised.keys);
    };
    document.addEventListener('paste', onPaste);
    return () => document.removeEventListener('paste', onPaste);
  }, [enabled]);

  if (!found) return null;
  return <PastedKeyDialog keys={found} onClose={() => setFound(null)} />;
}

function PastedKeyDialog({ keys, onClose }: { keys: PastedKey[]; onClose: () => void }): ReactNode {
  const { organization, user } = useCurrentOrganization();
  const orgId = organization.id;
  const toast = useToast();
  const [index, setIndex] = useState(0);
  const [confirming, setConfirming] = useState(false);
  const pasted = keys[index] ?? keys[0];
  const keyId = pasted?.keyId ?? '';
  const lookup = useQuery({
    ...trpc.key.byId.queryOptions({ orgId, keyId }),
    retry: false,
    enabled: keyId !== '',
  });
  const spaces = useSpaces(orgId);
  const { storeRecord, refreshLists } = useKeyCacheUpdates(orgId);
  const revoke = useMutation(
    trpc.key.revoke.mutationOptions({
      onSuccess: (record) => {
        storeRecord(record);
        void refreshLists();
        toast({
          title: `${keyDisplayName(record)} is revoked`,
          description: 'It stops working within a second.',
        });
        onClose();
      },
    }),
  );

  if (!pasted) return null;
  const record = lookup.data;
  const notFound = lookup.isError && describeError(lookup.error).code === 'NOT_FOUND';
  const spaceRole = record ? spaceRoleOf(spaces.data, record.space.id) : undefined;
  const canRevoke =
    record !== undefined &&
    record.status !== 'revoked' &&
    spaceRole !== undefined &&
    canManageKey(organization.role, spaceRole, record, user.id);
  const findPath = organizationPath(organization.slug, `keys/${pasted.keyId}`);

  return (
    <Dialog
      open
      onClose={onClose}
      dismissible={!revoke.isPending}
      size="md"
      role={confirming ? 'alertdialog' : 'dialog'}
      title={confirming ? 'Revoke this key?' : `Looks like a Keysmith API key (${pasted.label})`}
      description={
        confirming
          ? 'The key stops working within a second, permanently: it answers 401 Revoked API Key. This cannot be undone.'
          : 'You pasted a full API key. Keysmith reads only its public id to look it up; the secret is not sent anywhere.'
      }
      footer={
        confirming ? (
          <>
            <Button variant="secondary" onClick={() => setConfirming(false)} disabled={revoke.isPending}>
              Back
            </Button>
            <Button
              variant="danger"
              loading={revoke.isPending}
              onClick={() => revoke.mutate({ orgId, keyId: pasted.keyId })}
            >
              Revoke key
            </Button>
          </>
        ) : (
          <>
            <Button variant="secondary" onClick={onClose}>
              Cancel
            </Button>
            {canRevoke ? (
              <Button variant="danger" onClick={() => setConfirming(true)}>
                Revoke
              </Button>
            ) : null}
            <Button
              variant="primary"
              data-autofocus
              onClick={() => {
                onClose();
                navigate(findPath);
              }}
            >
              Find key
            </Button>
          </>
        )
      }
    >
      <div className="stack stack--md">
        {keys.length > 1 ? (
          <fieldset className="pasted-keys">
            <legend className="sr-only">Keys found in the paste</legend>
            {keys.map((key, i) => (
              <button
                key={key.keyId}
                type="button"
                className="scope-chip"
                aria-pressed={i === index}
                onClick={() => {
                  setIndex(i);
                  setConfirming(false);
                }}
              >
                <code>{key.label}</code>
              </button>
            ))}
          </fieldset>
        ) : null}
        <div className="pasted-key">
          <span className="pasted-key__icon" aria-hidden="true">
            <ClipboardIcon size={18} />
          </span>
          {lookup.isPending ? (
            <span className="pasted-key__body">
              <Spinner size="sm" label="Looking up the key" />
            </span>
          ) : record ? (
            <span className="pasted-key__body">
              <span className="pasted-key__name">
                {keyDisplayName(record)} <StatusBadge status={record.status} />
                <EnvironmentBadge environment={record.environment} />
              </span>
              <span className="pasted-key__meta">
                <code className="key-preview">{record.preview}</code>
                <span aria-hidden="true">·</span>
                <SpaceLabel space={record.space} />
              </span>
            </span>
          ) : (
            <span className="pasted-key__body">
              <span className="pasted-key__name">
                <code>{pasted.keyId}</code>
              </span>
              <span className="pasted-key__meta">
                {notFound
                  ? `Not a key of ${organization.name} that you can see. It may belong to another organization.`
                  : 'Could not look up this key right now.'}
              </span>
            </span>
          )}
        </div>
        {record?.status === 'revoked' ? (
          <Alert tone="info">This key is already revoked: it no longer works anywhere.</Alert>
        ) : null}
        {revoke.isError ? <Alert tone="danger">{describeError(revoke.error).message}</Alert> : null}
        {!confirming && record && record.status !== 'revoked' ? (
          <p className="text-muted pasted-key__advice">
            If this key was exposed (pasted into a chat, a ticket or a repository), revoke it, or roll it to
            give its consumer a replacement.
          </p>
        ) : null}
      </div>
    </Dialog>
  );
}
