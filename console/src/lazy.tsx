import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from './i18n';

/** A component whose code is fetched on first render (a separate chunk). */
export function lazy<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  return (props: P) => {
    const [C, setC] = useState<ComponentType<P> | null>(() => loaded);
    useEffect(() => {
      if (!C) load().then((c) => setC(() => (loaded = c)));
    }, []);
    return C ? <C {...props} /> : <p>{t('加载中…')}</p>;
  };
}
