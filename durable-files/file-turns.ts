// Read-modify-write of one file must not interleave: two changes made at once would each write the
// file without the other. Changes of one file take turns within this process; other processes are
// not covered (the callers say so in their docs).
const turns = new Map<string, Promise<unknown>>();

/** Runs `change` once every earlier change of `file` in this process has settled. */
export function inTurn<T>(file: string, change: () => Promise<T>): Promise<T> {
  const previous = turns.get(file) ?? Promise.resolve();
  const next = previous.then(change, change);
  const settled = next.catch(() => undefined);
  turns.set(file, settled);
  void settled.then(() => {
    if (turns.get(file) === settled) turns.delete(file);
  });
  return next;
}
