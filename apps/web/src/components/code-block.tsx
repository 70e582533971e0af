import type { ReactNode } from 'react';
import { CopyButton } from './copy-button';

/** A command or snippet to copy: a title bar with a copy button, then the code. */
export function CodeBlock({ title, code }: { title: ReactNode; code: string }): ReactNode {
  return (
    <div className="code-block">
      <div className="code-block__bar">
        <span>{title}</span>
        <CopyButton value={code} label="Copy command" showText />
      </div>
      <pre className="code-block__code">
        <code>{code}</code>
      </pre>
    </div>
  );
}
