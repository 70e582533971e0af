/**
 * Tells the verification path that a key changed (revoked, deactivated, edited, rolled),
 * so every cache drops its copy. In embedded mode this is in-process; with REDIS_URL it is
 * fanned out to every API process (see verify/). Services publish after their transaction
 * commits, never before: a cache refilled from a not-yet-committed state would be stale.
 */
export interface KeyChangePublisher {
  publish(organizationId: string, keyId: string): void;
}

type Listener = (organizationId: string, keyId: string) => void;

export class InProcessKeyChanges implements KeyChangePublisher {
  private readonly listeners = new Set<Listener>();

  publish(organizationId: string, keyId: string): void {
    for (const listener of this.listeners) listener(organizationId, keyId);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
