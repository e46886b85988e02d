/**
 * A view of `target` in which `overrides` replace some methods; the target's other methods are
 * bound to it (its private fields need that) and its other properties read and written through.
 * A plain object made once rather than a Proxy: Aedes calls the store several times per message
 * through every view stacked on it, and a Proxy's trap on each call cost about 4% of the broker's
 * time in the benchmark. Properties the target gains after the view is made are not seen; Aedes
 * and the wrappers here only call methods.
 */
export function delegateTo<P extends object>(target: P, overrides: object): P {
  const view: Record<PropertyKey, unknown> = {};
  for (let layer: object | null = target; layer !== null && layer !== Object.prototype; ) {
    for (const key of Reflect.ownKeys(layer)) {
      if (key === 'constructor' || Object.hasOwn(view, key)) continue;
      const { value } = Reflect.getOwnPropertyDescriptor(layer, key) ?? {};
      if (typeof value === 'function') {
        view[key] = value.bind(target);
      } else {
        Object.defineProperty(view, key, {
          get: () => Reflect.get(target, key),
          set: (next: unknown) => Reflect.set(target, key, next),
          enumerable: true,
          configurable: true,
        });
      }
    }
    layer = Reflect.getPrototypeOf(layer);
  }
  for (const key of Reflect.ownKeys(overrides)) {
    const value: unknown = Reflect.get(overrides, key);
    Object.defineProperty(view, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return view as P;
}
