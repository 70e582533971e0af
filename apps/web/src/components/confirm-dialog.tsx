import { type FormEvent, type ReactNode, useEffect, useId, useState } from 'react';
import { describeError } from '../lib/api-errors';
import { Alert } from './alert';
import { Button } from './button';
import { Dialog } from './dialog';
import { TextField } from './text-field';

export interface ConfirmDialogProps {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  /** What happens, and whether it can be undone. */
  description: ReactNode;
  /** The verb on the button ("Revoke key"), never just "OK". */
  confirmLabel: string;
  tone?: 'danger' | 'primary';
  /**
   * For destructive actions: the user must type this text (usually the resource's name)
   * before the button enables, so a slip of the mouse cannot destroy anything.
   */
  confirmText?: string;
  /** Runs on confirm; the dialog shows a spinner meanwhile, closes on success, shows the error otherwise. */
  onConfirm: () => Promise<unknown> | undefined;
  children?: ReactNode;
}

/** "Are you sure?" for consequential actions, with an optional type-to-confirm guard. */
export function ConfirmDialog({
  open,
  onClose,
  title,
  description,
  confirmLabel,
  tone = 'danger',
  confirmText,
  onConfirm,
  children,
}: ConfirmDialogProps): ReactNode {
  const [typed, setTyped] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const formId = useId();

  useEffect(() => {
    if (open) {
      setTyped('');
      setError(null);
      setPending(false);
    }
  }, [open]);

  const matches = confirmText === undefined || typed.trim() === confirmText;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!matches || pending) return;
    setPending(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (caught) {
      setError(describeError(caught).message);
    } finally {
      setPending(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={title}
      description={description}
      size="sm"
      role="alertdialog"
      dismissible={!pending}
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" form={formId} variant={tone} loading={pending} disabled={!matches}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} className="stack stack--md" noValidate>
        {children}
        {error ? <Alert tone="danger">{error}</Alert> : null}
        {confirmText !== undefined ? (
          <TextField
            label={
              <>
                Type <strong className="mono">{confirmText}</strong> to confirm
              </>
            }
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
        ) : null}
      </form>
    </Dialog>
  );
}
