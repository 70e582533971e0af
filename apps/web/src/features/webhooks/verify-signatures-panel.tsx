import { type ReactNode, useId, useState } from 'react';
import { Card, CopyButton, SegmentedControl } from '../../components';
import { ChevronDownIcon, ChevronUpIcon, CodeIcon } from '../../components/icons';
import { NODE_RECEIVER_SNIPPET, NODE_VERIFY_SNIPPET, PYTHON_VERIFY_SNIPPET } from './verify-snippet';

type Language = 'node' | 'receiver' | 'python';

const SNIPPETS: Record<Language, { label: string; file: string; code: string }> = {
  node: { label: 'Node.js', file: 'verify-keysmith-signature.ts', code: NODE_VERIFY_SNIPPET },
  receiver: { label: 'node:http receiver', file: 'receiver.ts', code: NODE_RECEIVER_SNIPPET },
  python: { label: 'Python', file: 'verify_keysmith_signature.py', code: PYTHON_VERIFY_SNIPPET },
};

/**
 * The "Verify signatures" help: how the `Keysmith-Signature` header is made and the documented
 * snippets (docs/webhooks.md) to check it, collapsible so it stays out of the way.
 */
export function VerifySignaturesPanel({ defaultOpen = false }: { defaultOpen?: boolean }): ReactNode {
  const [open, setOpen] = useState(defaultOpen);
  const [language, setLanguage] = useState<Language>('node');
  const bodyId = useId();
  const snippet = SNIPPETS[language];
  return (
    <Card className="verify-panel">
      <button
        type="button"
        className="verify-panel__toggle"
        aria-expanded={open}
        aria-controls={bodyId}
        onClick={() => setOpen((value) => !value)}
      >
        <span className="verify-panel__icon" aria-hidden="true">
          <CodeIcon size={16} />
        </span>
        <span className="verify-panel__heading">
          <span className="verify-panel__title">Verify signatures</span>
          <span className="verify-panel__text">
            Every request carries <code>Keysmith-Signature: t=…,v1=…</code>, an HMAC-SHA256 of{' '}
            <code>{'<t>.<raw body>'}</code> keyed with the endpoint's signing secret.
          </span>
        </span>
        {open ? <ChevronUpIcon size={16} /> : <ChevronDownIcon size={16} />}
      </button>
      {open ? (
        <div className="verify-panel__body" id={bodyId}>
          <ol className="verify-panel__steps">
            <li>Take the body exactly as received, before any JSON parsing.</li>
            <li>Compute the HMAC with your secret and compare it, in constant time, with each v1.</li>
            <li>Refuse the request if t is more than 5 minutes from your clock, so it cannot be replayed.</li>
          </ol>
          <SegmentedControl
            label="Language"
            size="sm"
            value={language}
            onChange={setLanguage}
            options={(Object.keys(SNIPPETS) as Language[]).map((value) => ({
              value,
              label: SNIPPETS[value].label,
            }))}
          />
          <div className="code-block verify-panel__code">
            <div className="code-block__bar">
              <span>{snippet.file}</span>
              <CopyButton value={snippet.code} label={`Copy the ${snippet.label} snippet`} showText />
            </div>
            <pre className="code-block__code">
              <code>{snippet.code}</code>
            </pre>
          </div>
          <p className="verify-panel__note">
            Answer any 2xx within 10 seconds. Failed attempts are retried for about a day (1 min, 5 min, 15
            min, 1 h, 3 h, 6 h, 12 h, 24 h); de-duplicate by <code>Keysmith-Event-Id</code>.
          </p>
        </div>
      ) : null}
    </Card>
  );
}
