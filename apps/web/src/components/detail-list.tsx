import type { ReactNode } from 'react';

/** One row of a `detail-list` (a `<dl>` of facts): the label, then its value. */
export function DetailRow({ label, children }: { label: ReactNode; children: ReactNode }): ReactNode {
  return (
    <div className="detail-list__row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
