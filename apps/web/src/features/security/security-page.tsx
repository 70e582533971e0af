import type { ReactNode } from 'react';
import { EmptyState } from '../../components';
import { ShieldIcon } from '../../components/icons';
import { PageIntro } from '../shell/page';

/** Failed authentication, blocked IPs, exceeded quotas, keys used from new IPs. */
export function SecurityPage(): ReactNode {
  return (
    <div className="stack stack--lg">
      <PageIntro description="Suspicious activity around your keys, as it happens." />
      <EmptyState
        tone="success"
        icon={<ShieldIcon size={22} />}
        title="All quiet"
        description="No security events so far. Failed authentication, blocked IP addresses, exceeded quotas and keys used from new IPs will be listed here."
      />
    </div>
  );
}
