/** A view of `target` in which `overrides` replace some methods; the rest are bound to `target`. */
export function delegateTo<P extends object>(target: P, overrides: object): P {
  const bound = new Map<PropertyKey, { original: unknown; fn: unknown }>();
  return new Proxy(target, {
    get(object, property) {
      if (Object.hasOwn(overrides, property)) return Reflect.get(overrides, property);
      const value: unknown = Reflect.get(object, property, object);
      if (typeof value !== 'function') return value;
      const cached = bound.get(property);
      if (cached?.original === value) return cached.fn;
      const fn = value.bind(object);
      bound.set(property, { original: value, fn });
      return fn;
    },
  });
}
