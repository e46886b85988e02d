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
