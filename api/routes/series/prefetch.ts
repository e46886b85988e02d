/**
 * Pulls the first item before the response starts, so a query that fails at once (database down,
 * refused query) still becomes a problem response instead of a truncated 200.
 */
export async function prefetchFirst<T>(source: AsyncIterable<T>): Promise<AsyncIterable<T>> {
  const iterator = source[Symbol.asyncIterator]();
  const first = await iterator.next();
  const rest: AsyncIterable<T> = { [Symbol.asyncIterator]: () => iterator };
  return (async function* () {
    if (first.done) return;
    yield first.value;
    yield* rest;
  })();
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * prefetchFirst started while `check` (a limit that needs a query of its own) still runs, so the two
 * round trips overlap instead of following each other. If the check fails, `cancel` aborts the
 * source's query wherever it is and the check's error is thrown; otherwise the source's own failure is.
 */
export async function prefetchChecked<T>(
  check: Promise<void>,
  source: AsyncIterable<T>,
  cancel: () => void,
): Promise<AsyncIterable<T>> {
  // Settled at once, so a query failing while the check runs is never an unhandled rejection.
  const first: Promise<Settled<AsyncIterable<T>>> = prefetchFirst(source).then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
  try {
    await check;
  } catch (error) {
    cancel();
    await first;
    throw error;
  }
  const fetched = await first;
  if (!fetched.ok) throw fetched.error;
  return fetched.value;
}
