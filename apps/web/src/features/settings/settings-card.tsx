import type { ReactNode } from 'react';
import { Button, Card, CardHeader } from '../../components';
import { classNames } from '../../lib/class-names';

export interface SettingsCardProps {
  title: ReactNode;
  description: ReactNode;
  /** At the right of the header (a badge). */
  aside?: ReactNode;
  /** The bar at the bottom: a note at the left, actions at the right. */
  footerNote?: ReactNode;
  footerActions?: ReactNode;
  tone?: 'default' | 'danger';
  id?: string;
  /** Children fill the card edge to edge (a detail list) instead of the padded form body. */
  flush?: boolean;
  children?: ReactNode;
}

/** One block of the settings page: what it is, its fields, and a footer with its save button. */
export function SettingsCard({
  title,
  description,
  aside,
  footerNote,
  footerActions,
  tone = 'default',
  id,
  flush = false,
  children,
}: SettingsCardProps): ReactNode {
  return (
    <Card className={classNames('settings-card', tone === 'danger' && 'settings-card--danger')} id={id}>
      <CardHeader title={title} description={description} actions={aside} />
      {children ? flush ? children : <div className="settings-card__body">{children}</div> : null}
      {footerNote || footerActions ? (
        <div className="settings-card__footer">
          <div className="settings-card__note">{footerNote}</div>
          {footerActions ? <div className="settings-card__actions">{footerActions}</div> : null}
        </div>
      ) : null}
    </Card>
  );
}

/**
 * A settings form's footer actions: Cancel (back to the saved values) while there are unsaved
 * changes, and the submit button, enabled only then.
 */
export function SaveActions({
  dirty,
  pending,
  onCancel,
  label = 'Save changes',
}: {
  dirty: boolean;
  pending: boolean;
  onCancel: () => void;
  label?: string;
}): ReactNode {
  return (
    <>
      {dirty ? (
        <Button variant="ghost" onClick={onCancel} disabled={pending}>
          Cancel
        </Button>
      ) : null}
      <Button type="submit" variant="primary" loading={pending} disabled={!dirty}>
        {label}
      </Button>
    </>
  );
}
