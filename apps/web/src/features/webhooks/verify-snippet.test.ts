import { describe, expect, it } from 'vitest';
import doc from '../../../../../docs/webhooks.md?raw';
import example from '../../../../api/src/modules/webhook/verify-signature.example.ts?raw';
import { NODE_RECEIVER_SNIPPET, NODE_VERIFY_SNIPPET, PYTHON_VERIFY_SNIPPET } from './verify-snippet';

describe('the "Verify signatures" snippets', () => {
  it('are in docs/webhooks.md word for word', () => {
    for (const snippet of [NODE_VERIFY_SNIPPET, NODE_RECEIVER_SNIPPET, PYTHON_VERIFY_SNIPPET]) {
      expect(doc).toContain(snippet);
    }
  });

  it('show the Node function the API tests against real deliveries', () => {
    expect(NODE_VERIFY_SNIPPET.trim()).toBe(example.trim());
  });
});
