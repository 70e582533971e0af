import type { ReactNode } from 'react';
import { OnceRevealDialog } from '../../components';
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
  return (
    <OnceRevealDialog
      secret={issued?.secret ?? null}
      noun="signing secret"
      testId="revealed-secret"
      onClose={onClose}
      title={rotated ? 'Your new signing secret' : 'Endpoint added'}
      description={
        <>
          Deliveries to <strong className="mono">{issued?.endpoint.url}</strong> are signed with this secret.
        </>
      }
      warning="Keysmith stores it encrypted and never displays it again. If you lose it, rotate the secret to get a new one."
      note={
        issued?.previousUntil ? (
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
        )
      }
    />
  );
}
