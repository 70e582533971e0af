import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { Alert, Button, Dialog, Spinner, TextField, useToast } from '../../components';
import { ClipboardIcon, ShieldAlertIcon } from '../../components/icons';
import { describeError } from '../../lib/api-errors';
import { navigate } from '../../lib/router';
import { trpc } from '../../lib/trpc';
import { useCurrentOrganization } from '../organization/organization-context';
import { planIncludesApiKeys } from '../organization/organization-labels';
import { organizationPath } from '../organization/organization-preference';
import { keyDisplayName } from './key-display';
import { EnvironmentBadge, SpaceLabel, StatusBadge } from './key-parts';
import {
  KEY_SEARCH_ATTRIBUTE,
  type PastedKey,
  pastedFullKeys,
  recognisePastedKeys,
  shouldInspectPaste,
} from './key-paste';
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
 * is recognised with the domain parser and the user is offered to find it, revoke it, or report
 * it as leaked (§11). Only the public key id reaches React state, the lookup and the URL; the
 * full keys stay in a ref while the dialog is open, for the one request that reports a leak
 * (possession proves it), and are dropped when it closes. Pastes into text fields are left
 * alone, except into the key search box, where a key is caught before it can become a search
 * term (and so a URL or a server request).
 */
export function ApiKeyPasteWatcher(): ReactNode {
  const { organization } = useCurrentOrganization();
  const [found, setFound] = useState<PastedKey[] | null>(null);
  const fullKeys = useRef<ReadonlyMap<string, string>>(new Map());
  const enabled = planIncludesApiKeys(organization.plan);

  useEffect(() => {
    if (!enabled) return;
    const onPaste = (event: ClipboardEvent) => {
      if (!shouldInspectPaste(describeTarget(event.target))) return;
      // Another dialog is open (the create form, a reveal): the paste belongs to it.
      if (document.body.classList.contains('has-modal')) return;
      const text = event.clipboardData?.getData('text/plain') ?? '';
      const recognised = recognisePastedKeys(text);
      if (!recognised) return;
      event.preventDefault();
      fullKeys.current = pastedFullKeys(text);
      setFound(recognised.keys);
    };
    document.addEventListener('paste', onPaste);
    return () => document.removeEventListener('paste', onPaste);
  }, [enabled]);

  if (!found) return null;
  return (
    <PastedKeyDialog
      keys={found}
      fullKeyOf={(keyId) => fullKeys.current.get(keyId)}
      onClose={() => {
        fullKeys.current = new Map();
        setFound(null);
      }}
    />
  );
}

/** The dialog's step: the key, or the confirmation of a revocation or of a leak report. */
type Step = 'key' | 'revoke' | 'leak';

function PastedKeyDialog({
  keys,
  fullKeyOf,
  onClose,
}: {
  keys: PastedKey[];
  /** The full key of a pasted id, for the leak report only. */
  fullKeyOf: (keyId: string) => string | undefined;
  onClose: () => void;
}): ReactNode {
  const { organization, user } = useCurrentOrganization();
  const orgId = organization.id;
  const toast = useToast();
  const queryClient = useQueryClient();
  const [index, setIndex] = useState(0);
  const [step, setStep] = useState<Step>('key');
  const [leakUrl, setLeakUrl] = useState('');
  const confirming = step !== 'key';
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
  const report = useMutation(
    trpc.key.reportLeak.mutationOptions({
      onSuccess: (result) => {
        void queryClient.invalidateQueries(trpc.key.pathFilter());
        void queryClient.invalidateQueries(trpc.security.pathFilter());
        void queryClient.invalidateQueries(trpc.notification.pathFilter());
        toast(leakToast(result, lookup.data ? keyDisplayName(lookup.data) : (pasted?.label ?? 'The key')));
        onClose();
      },
    }),
  );
  const busy = revoke.isPending || report.isPending;

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
  const fullKey = fullKeyOf(pasted.keyId);
  // Anyone holding a full key may report it, a key of another organization too; a revoked one
  // no longer needs stopping.
  const canReport = fullKey !== undefined && record?.status !== 'revoked';

  return (
    <Dialog
      open
      onClose={onClose}
      dismissible={!busy}
      size="md"
      role={confirming ? 'alertdialog' : 'dialog'}
      title={
        step === 'revoke'
          ? 'Revoke this key?'
          : step === 'leak'
            ? 'Report this key as leaked?'
            : `Looks like a Keysmith API key (${pasted.label})`
      }
      description={
        step === 'revoke'
          ? 'The key stops working within a second, permanently: it answers 401 Revoked API Key. This cannot be undone.'
          : step === 'leak'
            ? "Keysmith handles it as it handles a key a secret scanner finds in public: the key's organization applies its leak policy (revoke, unless it chose otherwise) within a second, and records a security event, an audit entry and a notification. The full key is sent once, to prove the leak."
            : 'You pasted a full API key. Keysmith reads only its public id to look it up; the secret is not sent anywhere unless you report it as leaked.'
      }
      footer={
        step === 'revoke' ? (
          <>
            <Button variant="secondary" onClick={() => setStep('key')} disabled={revoke.isPending}>
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
        ) : step === 'leak' ? (
          <>
            <Button variant="secondary" onClick={() => setStep('key')} disabled={report.isPending}>
              Back
            </Button>
            <Button
              variant="danger"
              icon={<ShieldAlertIcon size={16} />}
              loading={report.isPending}
              disabled={fullKey === undefined}
              onClick={() => {
                if (fullKey === undefined) return;
                const url = leakUrl.trim();
                report.mutate({ orgId, token: fullKey, ...(url ? { url } : {}) });
              }}
            >
              Report as leaked
            </Button>
          </>
        ) : (
          <>
            <Button variant="secondary" onClick={onClose}>
              Cancel
            </Button>
            {canReport ? (
              <Button
                variant="secondary"
                icon={<ShieldAlertIcon size={16} />}
                onClick={() => setStep('leak')}
              >
                Report as leaked
              </Button>
            ) : null}
            {canRevoke ? (
              <Button variant="danger" onClick={() => setStep('revoke')}>
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
                  setStep('key');
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
        {step === 'leak' ? (
          <TextField
            label="Where was it exposed?"
            optional
            type="url"
            inputMode="url"
            placeholder="https://github.com/acme/app/blob/main/.env"
            value={leakUrl}
            onChange={(event) => setLeakUrl(event.target.value)}
            hint="Recorded with the security event, so whoever follows up can find and remove it."
            maxLength={2048}
          />
        ) : null}
        {revoke.isError ? <Alert tone="danger">{describeError(revoke.error).message}</Alert> : null}
        {report.isError ? <Alert tone="danger">{describeError(report.error).message}</Alert> : null}
        {!confirming && record && record.status !== 'revoked' ? (
          <p className="text-muted pasted-key__advice">
            If this key was exposed (pasted into a chat, a ticket or a repository), report it as leaked or
            revoke it, or roll it to give its consumer a replacement.
          </p>
        ) : null}
      </div>
    </Dialog>
  );
}

/** What the toast says after a leak report, from the server's answer. */
function leakToast(
  result: {
    label: 'true_positive' | 'false_positive';
    keyId: string | null;
    action: 'revoked' | 'deactivated' | 'none' | null;
  },
  label: string,
): { title: string; description: string } {
  if (result.label === 'false_positive') {
    return {
      title: 'Not a live Keysmith key',
      description: `${label} does not match any key's secret: there is nothing to stop.`,
    };
  }
  if (result.keyId === null) {
    return {
      title: 'Reported as leaked',
      description:
        'The key belongs to another organization; its leak policy was applied and its admins were told.',
    };
  }
  switch (result.action) {
    case 'revoked':
      return {
        title: `${label} is revoked`,
        description: 'Reported as leaked: it stops working within a second.',
      };
    case 'deactivated':
      return {
        title: `${label} is deactivated`,
        description: 'Reported as leaked: it stops working within a second.',
      };
    default:
      return {
        title: 'Reported as leaked',
        description:
          'Recorded, and your admins were notified. Your leak policy leaves the key working: revoke or roll it.',
      };
  }
}
