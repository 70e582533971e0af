import type { ReactNode } from 'react';

export interface PageIntroProps {
  /** One sentence on what this screen is for. */
  description: ReactNode;
  actions?: ReactNode;
}

/** The line under the top bar's title: what the screen is for, and its main actions. */
export function PageIntro({ description, actions }: PageIntroProps): ReactNode {
  return (
    <div className="page-intro">
      <p className="page-intro__description">{description}</p>
      {actions ? <div className="page-intro__actions">{actions}</div> : null}
    </div>
  );
}
