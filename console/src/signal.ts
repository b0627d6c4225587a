import { useEffect, useState } from 'preact/hooks';

/** A tiny observable value (the language, the session) that components re-render on. */
export function signal<T>(initial: T) {
  let value = initial;
  const subs = new Set<(v: T) => void>();
  return {
    get: () => value,
    set(v: T) {
      value = v;
      for (const s of subs) s(v);
    },
    subscribe(fn: (v: T) => void) {
      subs.add(fn);
      return () => subs.delete(fn);
    },
  };
}

export function useSignal<T>(s: ReturnType<typeof signal<T>>): T {
  const [v, setV] = useState(s.get());
  useEffect(() => {
    const off = s.subscribe(setV);
    return () => void off();
  }, [s]);
  return v;
}
