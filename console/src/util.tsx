import { useEffect, useState } from 'preact/hooks';
import { GraphQLRequestError } from './api';
import { lang, t } from './i18n';

/** The current time, re-rendered every second: the board's countdowns. */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

export function countdown(dueIso: string | null | undefined, now: number): { text: string; state: 'breach' | 'warn' | 'ok' | 'none' } {
  if (!dueIso) return { text: '—', state: 'none' };
  const ms = Date.parse(dueIso) - now;
  const abs = Math.abs(ms);
  const h = Math.floor(abs / 3_600_000);
  const m = Math.floor((abs % 3_600_000) / 60_000);
  const s = Math.floor((abs % 60_000) / 1000);
  const text = `${ms < 0 ? '-' : ''}${h > 0 ? `${h}:` : ''}${String(m).padStart(h > 0 ? 2 : 1, '0')}:${String(s).padStart(2, '0')}`;
  return { text, state: ms < 0 ? 'breach' : ms < 30 * 60_000 ? 'warn' : 'ok' };
}

export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(lang.get() === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false, timeZone: 'Asia/Shanghai' });
}

export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  if (error instanceof GraphQLRequestError) {
    return (
      <div class="error" role="alert" data-code={error.code}>
        {error.errors.map((e) => (
          <div>
            <b>{e.code}</b>
            {e.field ? ` (${e.field})` : ''}: {e.message}
          </div>
        ))}
      </div>
    );
  }
  return (
    <div class="error" role="alert">
      {String((error as Error)?.message ?? error)}
    </div>
  );
}

/**
 * What a form or button of the console does, one way for all of them: `run(f)` clears the last
 * error, runs `f` and keeps what it throws as `error` (for ErrorBox); it answers whether `f` went
 * through. `submit(f)` is the same as a form's onSubmit, the browser's own submit prevented.
 */
export function useAction(): {
  error: unknown;
  setError: (error: unknown) => void;
  run: (f: () => Promise<unknown>) => Promise<boolean>;
  submit: (f: () => Promise<unknown>) => (e: Event) => void;
} {
  const [error, setError] = useState<unknown>(null);
  const run = async (f: () => Promise<unknown>) => {
    setError(null);
    try {
      await f();
      return true;
    } catch (err) {
      setError(err);
      return false;
    }
  };
  const submit = (f: () => Promise<unknown>) => (e: Event) => {
    e.preventDefault();
    void run(f);
  };
  return { error, setError, run, submit };
}

/** Runs a loader on mount (and when deps change): data, error, reload. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | null; error: unknown; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data: T | null; error: unknown; loading: boolean }>({ data: null, error: null, loading: true });
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error) => live && setState({ data: null, error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, n]);
  return { ...state, reload: () => setN((x) => x + 1) };
}

export const SEVERITIES = ['CRITICAL', 'SERIOUS', 'URGENT', 'GENERAL'] as const;
export const SEVERITY_ZH: Record<string, string> = { CRITICAL: '特别重大', SERIOUS: '重大', URGENT: '紧急', GENERAL: '一般' };
export const STATUS_ZH: Record<string, string> = {
  OPEN: '待受理',
  ACKNOWLEDGED: '处理中',
  RESOLVED: '已办结',
  CLOSED: '已关闭',
  IN_APPROVAL: '审批中',
  RETURNED: '已退回',
  PAID: '已付款',
  COMPLETED: '已完成',
  CANCELLED: '已取消',
  PENDING: '待签批',
  WAITING: '未到',
  APPROVED: '已同意',
};
export const label = (zh: Record<string, string>, code: string) => (lang.get() === 'zh' ? (zh[code] ?? code) : code);
export { t };
