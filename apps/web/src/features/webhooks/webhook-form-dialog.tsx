import { useMutation } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useEffect, useId, useState } from 'react';
import { Alert, Button, Dialog, TextField } from '../../components';
import { AlertCircleIcon } from '../../components/icons';
import { describeError } from '../../lib/api-errors';
import { trpc } from '../../lib/trpc';
import {
  validateWebhookForm,
  WEBHOOK_EVENT_INFO,
  WEBHOOK_EVENT_TYPES,
  type WebhookEndpoint,
  type WebhookEventType,
} from './webhook-display';

/** What create answers: the endpoint and its signing secret, shown once. */
export interface IssuedSecret {
  endpoint: WebhookEndpoint;
  secret: string;
  /** Set when a rotation keeps the old secret signing for a while. */
  previousUntil?: string | null;
}

export type WebhookFormDialogProps =
  | {
      mode: 'create';
      open: boolean;
      orgId: string;
      onClose: () => void;
      onCreated: (issued: IssuedSecret) => void;
    }
  | {
      mode: 'edit';
      open: boolean;
      orgId: string;
      endpoint: WebhookEndpoint;
      onClose: () => void;
      onSaved: (endpoint: WebhookEndpoint) => void;
    };

interface Errors {
  url?: string | undefined;
  description?: string | undefined;
  events?: string | undefined;
  form?: string | undefined;
}

/** Add or edit an endpoint: URL, description and the events it receives. */
export function WebhookFormDialog(props: WebhookFormDialogProps): ReactNode {
  const { open, orgId, onClose } = props;
  const editing = props.mode === 'edit' ? props.endpoint : null;
  const formId = useId();
  const eventsLabelId = useId();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<WebhookEventType[]>([]);
  const [errors, setErrors] = useState<Errors>({});
  // After the first submit, client errors follow the fields live, so fixed ones disappear at once.
  const [submitted, setSubmitted] = useState(false);
  const create = useMutation(trpc.webhook.create.mutationOptions());
  const update = useMutation(trpc.webhook.update.mutationOptions());
  const pending = create.isPending || update.isPending;

  useEffect(() => {
    if (!open) return;
    setUrl(editing?.url ?? '');
    setDescription(editing?.description ?? '');
    setEvents(editing ? [...editing.events] : []);
    setErrors({});
    setSubmitted(false);
  }, [open, editing]);

  useEffect(() => {
    if (!submitted) return;
    const found = validateWebhookForm({ url, events });
    setErrors((current) => ({ ...current, url: found.url, events: found.events }));
  }, [submitted, url, events]);

  const toggle = (type: WebhookEventType, on: boolean) =>
    setEvents((current) => WEBHOOK_EVENT_TYPES.filter((t) => (t === type ? on : current.includes(t))));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    const found = validateWebhookForm({ url, events });
    setErrors(found);
    if (found.url || found.events) return;
    try {
      if (props.mode === 'create') {
        const result = await create.mutateAsync({
          orgId,
          url: url.trim(),
          events,
          ...(description.trim() ? { description: description.trim() } : {}),
        });
        props.onCreated({ endpoint: result.endpoint, secret: result.secret });
      } else {
        const saved = await update.mutateAsync({
          orgId,
          endpointId: props.endpoint.id,
          url: url.trim(),
          description: description.trim(),
          events,
        });
        props.onSaved(saved);
      }
    } catch (error) {
      const described = describeError(error);
      const next: Errors = {
        url: described.fields.url,
        description: described.fields.description,
        events: described.fields.events,
      };
      if (!next.url && !next.description && !next.events) next.form = described.message;
      setErrors(next);
    }
  };

  const allChosen = events.length === WEBHOOK_EVENT_TYPES.length;

  return (
    <Dialog
      open={open}
      onClose={onClose}
      dismissible={!pending}
      size="lg"
      title={editing ? 'Edit webhook endpoint' : 'Add webhook endpoint'}
      description={
        editing
          ? 'Changes apply to the next delivery; the signing secret stays the same.'
          : 'Keysmith POSTs a signed JSON request to this URL for each event you choose.'
      }
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" form={formId} variant="primary" loading={pending}>
            {editing ? 'Save changes' : 'Add endpoint'}
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} className="stack stack--md" noValidate>
        {errors.form ? <Alert tone="danger">{errors.form}</Alert> : null}
        <TextField
          label="Endpoint URL"
          type="url"
          inputMode="url"
          placeholder="https://api.example.com/webhooks/keysmith"
          value={url}
          onChange={(event) => setUrl(event.target.value)}
          error={errors.url}
          hint="Must be https and publicly reachable; redirects are not followed."
          autoComplete="off"
          spellCheck={false}
        />
        <TextField
          label="Description"
          optional
          placeholder="Pager alerts for the payments team"
          value={description}
          onChange={(event) => setDescription(event.target.value)}
          error={errors.description}
          maxLength={256}
        />
        <fieldset
          className="field event-picker"
          aria-labelledby={eventsLabelId}
          aria-invalid={errors.events ? true : undefined}
        >
          <div className="field__label-row">
            <span className="field__label" id={eventsLabelId}>
              Events
            </span>
            <button
              type="button"
              className="link-button event-picker__all"
              onClick={() => setEvents(allChosen ? [] : [...WEBHOOK_EVENT_TYPES])}
            >
              {allChosen ? 'Clear all' : 'Select all'}
            </button>
          </div>
          <div className="event-picker__grid">
            {WEBHOOK_EVENT_TYPES.map((type) => (
              <label key={type} className="event-option" data-checked={events.includes(type) || undefined}>
                <input
                  type="checkbox"
                  checked={events.includes(type)}
                  onChange={(event) => toggle(type, event.target.checked)}
                />
                <span className="event-option__text">
                  <span className="event-option__label">{WEBHOOK_EVENT_INFO[type].label}</span>
                  <code className="event-option__code">{type}</code>
                  <span className="event-option__description">{WEBHOOK_EVENT_INFO[type].description}</span>
                </span>
              </label>
            ))}
          </div>
          {errors.events ? (
            <p className="field__error">
              <AlertCircleIcon size={14} />
              <span>{errors.events}</span>
            </p>
          ) : null}
        </fieldset>
      </form>
    </Dialog>
  );
}
