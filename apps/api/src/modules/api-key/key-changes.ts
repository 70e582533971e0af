/**
 * Tells the verification path that a key changed (revoked, deactivated, edited, rolled),
 * so every cache drops its copy. In embedded mode this is in-process; with REDIS_URL it is
 * fanned out to every API process (see verify/redis-key-changes.ts). Services publish after
 * their transaction commits, never before: a cache refilled from a not-yet-committed state
 * would be stale.
 */
export interface KeyChangePublisher {
  publish(organizationId: string, keyId: string): void;
  /** Every key of the organization changed at once (e.g. its plan, which sets the rate caps). */
  publishOrganization(organizationId: string): void;
}

type Listener = (organizationId: string, keyId: string) => void;
type OrganizationListener = (organizationId: string) => void;

export class InProcessKeyChanges implements KeyChangePublisher {
  private readonly listeners = new Set<Listener>();
  private readonly organizationListeners = new Set<OrganizationListener>();

  publish(organizationId: string, keyId: string): void {
    this.deliver(organizationId, keyId);
  }

  publishOrganization(organizationId: string): void {
    this.deliverOrganization(organizationId);
  }

  /** Calls this process's listeners (for a change made here or announced by another process). */
  deliver(organizationId: string, keyId: string): void {
    for (const listener of this.listeners) listener(organizationId, keyId);
  }

  deliverOrganization(organizationId: string): void {
    for (const listener of this.organizationListeners) listener(organizationId);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  subscribeOrganization(listener: OrganizationListener): () => void {
    this.organizationListeners.add(listener);
    return () => this.organizationListeners.delete(listener);
  }

  async close(): Promise<void> {}
}
