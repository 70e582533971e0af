import { type ReactNode, useId } from 'react';
import { EmptyState } from '../../components';
import { WebhookIcon } from '../../components/icons';
import { PageIntro } from '../shell/page';

/** The events of §7, in words (their wire names arrive with the webhooks API). */
const EVENTS = [
  'Key expiring in 30 days',
  'Key expired',
  'Key revoked',
  'Quota exceeded',
  'IP blocked',
  'Key used from a new IP',
];

/** Endpoints that receive signed notifications. */
export function WebhooksPage(): ReactNode {
  const eventsId = useId();
  return (
    <div className="stack stack--lg">
      <PageIntro description="Send signed notifications to your systems when something happens to your keys." />
      <EmptyState
        icon={<WebhookIcon size={22} />}
        title="No webhook endpoints"
        description="Registered HTTPS endpoints receive an HMAC-SHA256-signed request for each event, retried until they answer."
      >
        <p className="empty-state__caption" id={eventsId}>
          Events you can subscribe to
        </p>
        <ul className="chip-row" aria-labelledby={eventsId}>
          {EVENTS.map((event) => (
            <li key={event} className="chip">
              {event}
            </li>
          ))}
        </ul>
      </EmptyState>
    </div>
  );
}
