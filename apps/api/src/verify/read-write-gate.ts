/**
 * A read-write gate for async sections: readers run together, a writer runs alone, and a
 * waiting writer goes before readers that arrive after it (flushes are not starved).
 */
export class ReadWriteGate {
  private readers = 0;
  private writing = false;
  private writersWaiting = 0;
  private waiters: (() => void)[] = [];

  private park(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private wakeAll(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  async read<T>(section: () => Promise<T>): Promise<T> {
    while (this.writing || this.writersWaiting > 0) await this.park();
    this.readers++;
    try {
      return await section();
    } finally {
      this.readers--;
      this.wakeAll();
    }
  }

  async write<T>(section: () => Promise<T>): Promise<T> {
    this.writersWaiting++;
    try {
      while (this.writing || this.readers > 0) await this.park();
    } finally {
      this.writersWaiting--;
    }
    this.writing = true;
    try {
      return await section();
    } finally {
      this.writing = false;
      this.wakeAll();
    }
  }
}
