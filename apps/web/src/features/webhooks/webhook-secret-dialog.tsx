import { type ReactNode, useEffect, useState } from 'react';
import { Alert, Button, copyToClipboard, Dialog } from '../../components';
import { CheckIcon, CopyIcon } from '../../components/icons';
import { formatInstant } from '../../lib/format';
import type { IssuedSecret } from './webhook-form-dialog';

/**
 * Shows an endpoint's signing secret exactly once (after create or rotate), with a copy button
 * and the warning that it will not be shown again. Only the explicit button closes it: Esc or a
 * stray click on the backdrop would lose the secret for good.
 */
export function WebhookSecretDialog({
  issued,
  rotated,
  onClose,
}: {
  issued: IssuedSecret | null;
  rotated: boolean;
  onClose: () => void;
}): ReactNode {
  const [copyState, setCopyState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (issued) setCopyState('idle');
  }, [issued]);
  if (!issued) return null;

  return (
    <Dialog
      open
      onClose={onClose}
      dismissible={false}
      size="lg"
      className="key-reveal"
      title={rotated ? 'Your new signing secret' : 'Endpoint added'}
      description={
        <>
          Deliveries to <strong className="mono">{issued.endpoint.url}</strong> are signed with this secret.
        </>
      }
      footer={
        <>
          <span className="key-reveal__footer-note" aria-live="polite">
            {copyState === 'copied'
              ? 'Copied to your clipboard.'
              : copyState === 'failed'
                ? 'Select the secret and press Ctrl+C to copy it.'
                : null}
          </span>
          <Button variant="primary" onClick={onClose} data-autofocus>
            I have copied it
          </Button>
        </>
      }
    >
      <div className="stack stack--md">
        <Alert tone="warning" title="Copy this signing secret now. It won't be shown again.">
          Keysmith stores it encrypted and never displays it again. If you lose it, rotate the secret to get a
          new one.
        </Alert>
        <div className="key-reveal__box">
          <div className="key-reveal__meta">
            <span>Signing secret</span>
          </div>
          <div className="key-reveal__row">
            <code className="key-reveal__key" data-testid="revealed-secret">
              {issued.secret}
            </code>
            <Button
              variant="secondary"
              aria-label="Copy signing secret"
              className="key-reveal__copy"
              data-state={copyState}
              icon={copyState === 'copied' ? <CheckIcon size={15} /> : <CopyIcon size={15} />}
              onClick={() =>
                copyToClipboard(issued.secret).then(
                  () => setCopyState('copied'),
                  () => setCopyState('failed'),
                )
              }
            >
              {copyState === 'copied' ? 'Copied' : 'Copy'}
            </Button>
          </div>
        </div>
        <p className="key-reveal__note">
          {issued.previousUntil ? (
            <>
              The previous secret keeps signing beside this one until{' '}
              <strong>{formatInstant(issued.previousUntil)}</strong>: each request carries two <code>v1</code>{' '}
              signatures until then. Switch your receiver to the new secret before that.
            </>
          ) : rotated ? (
            <>The previous secret stopped signing now. Update your receiver before the next event.</>
          ) : (
            <>
              Store it where your receiver reads its configuration (e.g. <code>KEYSMITH_WEBHOOK_SECRET</code>)
              and check the <code>Keysmith-Signature</code> header of every request: see “Verify signatures”.
            </>
          )}
        </p>
      </div>
    </Dialog>
  );
}
