import { type ReactNode, useEffect, useState } from 'react';
import { Alert, Button, copyToClipboard, Dialog } from '../../components';
import { CheckIcon, CopyIcon } from '../../components/icons';
import { formatInstant } from '../../lib/format';
import { EnvironmentBadge } from './key-parts';
import type { KeyRecord } from './key-types';

/**
 * A key just issued by create or roll. It exists only in the state of the screen that issued
 * it: never in the query cache, the URL, storage or a log, and it is dropped when the dialog
 * closes.
 */
export interface IssuedKey {
  key: string;
  record: KeyRecord;
  /** For a roll: the key it replaces (its record after the roll). */
  replaces?: KeyRecord;
}

export interface KeyRevealDialogProps {
  issued: IssuedKey | null;
  /** Called by "I have copied it"; the caller must drop the key from its state. */
  onClose: () => void;
}

/** Shows a new key in full exactly once, with a copy button and the warning that it will not be shown again. */
export function KeyRevealDialog({ issued, onClose }: KeyRevealDialogProps): ReactNode {
  const [copyState, setCopyState] = useState<'idle' | 'copied' | 'failed'>('idle');

  useEffect(() => {
    if (issued) setCopyState('idle');
  }, [issued]);

  if (!issued) return null;
  const { key, record, replaces } = issued;
  const graceEnd = replaces?.graceEndsAt ?? null;

  return (
    <Dialog
      open
      onClose={onClose}
      // Esc, the backdrop and the close button would lose the key for good: only the explicit button closes.
      dismissible={false}
      size="lg"
      className="key-reveal"
      title={replaces ? 'Your new API key' : 'Your API key is ready'}
      description={
        replaces ? (
          <>
            <strong>{record.name}</strong> has a new key with the same space, scopes and limits.
          </>
        ) : (
          <>
            <strong>{record.name}</strong> was created in {record.space.name}.
          </>
        )
      }
      footer={
        <>
          <span className="key-reveal__footer-note" aria-live="polite">
            {copyState === 'copied'
              ? 'Copied to your clipboard.'
              : copyState === 'failed'
                ? 'Select the key and press Ctrl+C to copy it.'
                : null}
          </span>
          <Button variant="primary" onClick={onClose} data-autofocus>
            I have copied it
          </Button>
        </>
      }
    >
      <div className="stack stack--md">
        <Alert tone="warning" title="Copy this key now. It won't be shown again.">
          Keysmith keeps only a hash of the secret, so nobody can show you this key again. If you lose it,
          roll the key to get a new one.
        </Alert>
        <div className="key-reveal__box">
          <div className="key-reveal__meta">
            <span>API key</span>
            <EnvironmentBadge environment={record.environment} />
          </div>
          <div className="key-reveal__row">
            <code className="key-reveal__key" data-testid="revealed-key">
              {key}
            </code>
            <Button
              variant="secondary"
              aria-label="Copy API key"
              className="key-reveal__copy"
              data-state={copyState}
              icon={copyState === 'copied' ? <CheckIcon size={15} /> : <CopyIcon size={15} />}
              onClick={() =>
                copyToClipboard(key).then(
                  () => setCopyState('copied'),
                  () => setCopyState('failed'),
                )
              }
            >
              {copyState === 'copied' ? 'Copied' : 'Copy'}
            </Button>
          </div>
        </div>
        {replaces ? (
          <p className="key-reveal__note">
            {graceEnd && new Date(graceEnd).getTime() > Date.now() ? (
              <>
                The old key <code className="key-preview">{replaces.preview}</code> keeps working until{' '}
                <strong>{formatInstant(graceEnd)}</strong>, then it is revoked automatically.
              </>
            ) : (
              <>
                The old key <code className="key-preview">{replaces.preview}</code> stopped working now.
              </>
            )}
          </p>
        ) : (
          <p className="key-reveal__note">
            Give it to the consumer of your API over a secure channel. They send it as{' '}
            <code>Authorization: Bearer …</code>; your backend checks it with{' '}
            <code>POST /v1/keys/verify</code>.
          </p>
        )}
      </div>
    </Dialog>
  );
}
