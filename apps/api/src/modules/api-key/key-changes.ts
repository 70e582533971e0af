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

/**
 * Holds announcements until {@link DeferredKeyChanges.release}: for key services called inside
 * a transaction that their caller commits later (the leak response locks the key row first).
 * Announcing before the commit would let a cache refill from the old state.
 */
export class DeferredKeyChanges implements KeyChangePublisher {
  private readonly keys: [string, string][] = [];
  private readonly organizations: string[] = [];

  constructor(private readonly target: KeyChangePublisher) {}

  publish(organizationId: string, keyId: string): void {
    this.keys.push([organizationId, keyId]);
  }

  publishOrganization(organizationId: string): void {
    this.organizations.push(organizationId);
  }

  /** Sends what was held (call after the commit); holding again starts from empty. */
  release(): void {
    for (const [organizationId, keyId] of this.keys.splice(0)) this.target.publish(organizationId, keyId);
    for (const organizationId of this.organizations.splice(0))
      this.target.publishOrganization(organizationId);
  }
}
