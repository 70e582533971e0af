/** What {@link writeIsolating} did with a batch. */
export interface IsolatedWriteResult<T> {
  /** Items written (the input array itself when the first try wrote everything). */
  written: readonly T[];
  /** Items that failed alone while the database answered: bad data, set aside (not retried). */
  rejected: { item: T; error: unknown }[];
  /** Items not written because the database stopped answering: to retry later, in order. */
  unwritten: T[];
  /** The first error seen, for one bounded log line. */
  firstError: unknown;
}

/** SQLSTATE classes of faults that say nothing about the data: connection, transaction rollback, resources, operator intervention, system, internal. */
const TRANSIENT_CLASSES = new Set(['08', '40', '53', '57', '58', 'XX']);

/**
 * Whether the database refused a write for what it holds (a SQLSTATE such as 22003 "out of
 * range" or 22021 "invalid byte sequence"), as opposed to a fault worth retrying: an error with
 * no SQLSTATE (a closed connection, a timeout) or one of the transient classes.
 */
export function isRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return false;
  return !TRANSIENT_CLASSES.has(code.slice(0, 2));
}

/**
 * Writes a batch so that one bad item can never hold back the others (which may be other
 * tenants' data): the whole batch is tried first; if that fails while the database still
 * answers (`reachable`), the batch is split in halves and each half is written the same way,
 * down to single items, which are then rejected. Only a refusal ({@link isRefusal}) is split
 * and rejected: if the database does not answer, or the failure is a fault that says nothing
 * about the data (a connection closed under the write), what is left comes back as
 * `unwritten`, for the caller to keep and retry — never set aside.
 *
 * A batch with one poison row among n costs about 2·log2(n) failed writes; a clean batch, one.
 */
export async function writeIsolating<T>(
  items: readonly T[],
  write: (items: readonly T[]) => Promise<void>,
  reachable: () => Promise<boolean>,
): Promise<IsolatedWriteResult<T>> {
  const written: T[] = [];
  const result: IsolatedWriteResult<T> = { written, rejected: [], unwritten: [], firstError: null };
  let down = false;
  const attempt = async (part: readonly T[]): Promise<void> => {
    if (part.length === 0) return;
    if (down) {
      result.unwritten.push(...part);
      return;
    }
    try {
      await write(part);
      if (part === items) result.written = items;
      else written.push(...part);
      return;
    } catch (error) {
      result.firstError ??= error;
      if (!isRefusal(error) || !(await reachable())) {
        down = true;
        result.unwritten.push(...part);
        return;
      }
      const [only] = part;
      if (part.length === 1 && only !== undefined) {
        result.rejected.push({ item: only, error });
        return;
      }
    }
    const middle = Math.ceil(part.length / 2);
    await attempt(part.slice(0, middle));
    await attempt(part.slice(middle));
  };
  await attempt(items);
  return result;
}
