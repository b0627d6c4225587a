import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { clearSession, loadSession, saveSession, Session } from './auth';
import { gql } from './api';
import { graphql } from './gql';
import { lang, setLang, t } from './i18n';
import { useSignal } from './signal';
import { ErrorBox } from './util';
import { Board } from './pages/board';
import { IncidentPage } from './pages/incident';
import { MyWork } from './pages/work';
import { RulesPage } from './pages/rules';
import { lazy } from './lazy';
import './styles.css';

// The reports page brings ECharts: loaded only when it is opened.
const Reports = lazy(() => import('./pages/reports').then((m) => m.Reports));

const Check = graphql(`
  query ConsoleSignInCheck {
    activeRuleSet {
      version
    }
  }
`);

function useRoute(): string {
  const [hash, setHash] = useState(location.hash || '#/');
  useEffect(() => {
    const on = () => setHash(location.hash || '#/');
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash.slice(1);
}

function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  const [roles, setRoles] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await gql(Check, {}, key.trim()); // the key answers: it is valid
      const s: Session = {
        kind: 'api-key',
        token: key.trim(),
        label: name.trim(),
        roles: roles
          .split(/[,，\s]+/)
          .map((r) => r.trim().toUpperCase())
          .filter(Boolean),
      };
      saveSession(s);
      onSignedIn(s);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form class="card signin" onSubmit={submit}>
      <h2>{t('登录')}</h2>
      <label>
        {t('API 密钥')}
        <input name="apiKey" type="password" autoComplete="off" value={key} onInput={(e) => setKey(e.currentTarget.value)} required />
      </label>
      <label>
        {t('名称（显示用）')}
        <input name="label" value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <label>
        {t('我的角色（逗号分隔，可空）')}
        <input name="roles" placeholder="CASHIER, ACCOUNTANT" value={roles} onInput={(e) => setRoles(e.currentTarget.value)} />
      </label>
      <p class="muted">{t('密钥只保存在本标签页的会话中，关闭即清除。')}</p>
      <ErrorBox error={error} />
      <button type="submit">{t('登录')}</button>
    </form>
  );
}

function App() {
  useSignal(lang);
  const [session, setSession] = useState<Session | null>(loadSession());
  const route = useRoute();
  const nav: Array<[string, string]> = [
    ['#/', '事件看板'],
    ['#/work', '待我处理'],
    ['#/reports', '报表'],
    ['#/rules', '规则'],
  ];
  let page;
  if (!session) page = <SignIn onSignedIn={setSession} />;
  else if (route.startsWith('/incidents/')) page = <IncidentPage id={decodeURIComponent(route.slice('/incidents/'.length))} />;
  else if (route === '/work') page = <MyWork session={session} />;
  else if (route === '/reports') page = <Reports />;
  else if (route === '/rules') page = <RulesPage />;
  else page = <Board />;
  const current = route.startsWith('/incidents/') ? '#/' : `#${route}`;
  return (
    <div class="shell">
      <header>
        <h1>Triage {t('应急控制台')}</h1>
        {session && (
          <nav>
            {nav.map(([href, zh]) => (
              <a href={href} class={current === href ? 'active' : ''}>
                {t(zh)}
              </a>
            ))}
          </nav>
        )}
        <div class="who">
          {session && (
            <span data-testid="who">
              {t('已登录')}
              {session.label ? `: ${session.label}` : ''}
              {session.roles.length ? ` (${session.roles.join(', ')})` : ''}
            </span>
          )}
          <button class="link" onClick={() => setLang(lang.get() === 'zh' ? 'en' : 'zh')}>
            {lang.get() === 'zh' ? 'English' : '中文'}
          </button>
          {session && (
            <button
              class="link"
              onClick={() => {
                clearSession();
                setSession(null);
              }}
            >
              {t('退出')}
            </button>
          )}
        </div>
      </header>
      <main>{page}</main>
    </div>
  );
}

render(<App />, document.getElementById('app')!);
