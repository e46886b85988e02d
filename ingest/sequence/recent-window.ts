/**
 * One iterator per set, kept from one eviction to the next. A Set iterates in insertion order and
 * its iterator sees later additions and deletions (ECMAScript), so this one always stands at the
 * oldest member; a fresh iterator would first step over every slot freed by earlier evictions,
 * about a microsecond per message once a gateway's window was full.
 */
const oldestFirst = new WeakMap<Set<number>, Iterator<number>>();

/** Adds `value` and, past `limit` members, forgets the oldest (the first inserted still present). */
export function addRecent(set: Set<number>, value: number, limit: number): void {
  set.add(value);
  if (set.size <= limit) return;
  let order = oldestFirst.get(set);
  if (order === undefined) {
    order = set.values();
    oldestFirst.set(set, order);
  }
  const oldest = order.next();
  if (!oldest.done) set.delete(oldest.value);
}
