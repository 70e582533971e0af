import { type ReactNode, useEffect, useState } from 'react';
import { Alert } from './alert';
import { Button } from './button';
import { copyToClipboard } from './copy-button';
import { Dialog } from './dialog';
import { CheckIcon, CopyIcon } from './icons';

export interface OnceRevealDialogProps {
  /** The secret shown in full, this once; `null` keeps the dialog closed. */
  secret: string | null;
  /** What it is: "API key", "signing secret". */
  noun: string;
  title: ReactNode;
  description: ReactNode;
  /** Why it cannot be shown again and what to do if it is lost (the warning's text). */
  warning: ReactNode;
  /** Beside the noun above the secret (an environment badge). */
  meta?: ReactNode;
  /** Under the secret: what happens next. */
  note: ReactNode;
  testId: string;
  /** Called by "I have copied it"; the caller must drop the secret from its state. */
  onClose: () => void;
}

/**
 * A secret shown in full exactly once (a new API key, a webhook signing secret), with a copy
 * button and the warning that it will not be shown again. Only the explicit button closes it:
 * Esc or a stray click on the backdrop would lose the secret for good.
 */
export function OnceRevealDialog({
  secret,
  noun,
  title,
  description,
  warning,
  meta,
  note,
  testId,
  onClose,
}: OnceRevealDialogProps): ReactNode {
  const [copyState, setCopyState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (secret) setCopyState('idle');
  }, [secret]);
  if (!secret) return null;
  const label = noun.charAt(0).toUpperCase() + noun.slice(1);
  return (
    <Dialog
      open
      onClose={onClose}
      dismissible={false}
      size="lg"
      className="key-reveal"
      title={title}
      description={description}
      footer={
        <>
          <span className="key-reveal__footer-note" aria-live="polite">
            {copyState === 'copied'
              ? 'Copied to your clipboard.'
              : copyState === 'failed'
                ? `Select the ${noun === 'API key' ? 'key' : 'secret'} and press Ctrl+C to copy it.`
                : null}
          </span>
          <Button variant="primary" onClick={onClose} data-autofocus>
            I have copied it
          </Button>
        </>
      }
    >
      <div className="stack stack--md">
        <Alert
          tone="warning"
          title={`Copy this ${noun === 'API key' ? 'key' : noun} now. It won't be shown again.`}
        >
          {warning}
        </Alert>
        <div className="key-reveal__box">
          <div className="key-reveal__meta">
            <span>{label}</span>
            {meta}
          </div>
          <div className="key-reveal__row">
            <code className="key-reveal__key" data-testid={testId}>
              {secret}
            </code>
            <Button
              variant="secondary"
              aria-label={`Copy ${noun}`}
              className="key-reveal__copy"
              data-state={copyState}
              icon={copyState === 'copied' ? <CheckIcon size={15} /> : <CopyIcon size={15} />}
              onClick={() =>
                copyToClipboard(secret).then(
                  () => setCopyState('copied'),
                  () => setCopyState('failed'),
                )
              }
            >
              {copyState === 'copied' ? 'Copied' : 'Copy'}
            </Button>
          </div>
        </div>
        <p className="key-reveal__note">{note}</p>
      </div>
    </Dialog>
  );
}
