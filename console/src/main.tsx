import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { clearSession, finishSignIn, loadSession, saveSession, Session, signInOptions, SignInOptions, startSignIn } from './auth';
import { GraphQLRequestError } from './api';
import { lang, setLang, t } from './i18n';
import { loadMe, me } from './me';
import { useSignal } from './signal';
import { ErrorBox, useAction } from './util';
import { Board } from './pages/board';
import { IncidentPage } from './pages/incident';
import { MyWork } from './pages/work';
import { RulesPage } from './pages/rules';
import { HandoverPage } from './pages/handover';
import { DrillsPage } from './pages/drills';
import { lazy } from './lazy';
import './styles.css';

// The reports page brings ECharts: loaded only when it is opened.
const Reports = lazy(() => import('./pages/reports').then((m) => m.Reports));

function useRoute(): string {
  const [hash, setHash] = useState(location.hash || '#/');
  useEffect(() => {
    const on = () => setHash(location.hash || '#/');
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash.slice(1);
}

function SignIn({ onSignedIn, error: given }: { onSignedIn: (s: Session) => void; error: unknown }) {
  const [key, setKey] = useState('');
  const { error, setError, submit } = useAction();
  const [oidc, setOidc] = useState<SignInOptions | null>(null);
  useEffect(() => {
    signInOptions().then(setOidc);
  }, []);
  const signIn = submit(async () => {
    await loadMe(key.trim()); // the key answers: it is valid, and the server says whose it is
    const s: Session = { kind: 'api-key', token: key.trim() };
    saveSession(s);
    onSignedIn(s);
  });
  return (
    <div class="card signin">
      <h2>{t('登录')}</h2>
      {oidc && (
        <>
          <button type="button" data-testid="oidc-sign-in" onClick={() => startSignIn(oidc).catch(setError)}>
            {t('使用公司统一身份登录')}
          </button>
          <p class="muted">
            {t('身份提供方')}: {oidc.issuer}
          </p>
          <hr />
        </>
      )}
      <form onSubmit={signIn}>
        <label>
          {t('API 密钥')}
          <input name="apiKey" type="password" autoComplete="off" value={key} onInput={(e) => setKey(e.currentTarget.value)} required />
        </label>
        <p class="muted">{t('密钥只保存在本标签页的会话中，关闭即清除。')}</p>
        <ErrorBox error={error ?? given} />
        <button type="submit">{t('用密钥登录')}</button>
      </form>
    </div>
  );
}

/** The header's 当前用户: the name the server knows (staff name and 工号, or the key's name) and the roles it gives. */
function Who() {
  const m = useSignal(me);
  if (!m) return null;
  const name = m.staff ? `${m.staff.name} (${m.staff.employeeNo})` : m.name;
  return (
    <span data-testid="who" title={m.source ? `source: ${m.source}` : ''}>
      <b>{name}</b> <span class="roles">{m.roles.join(', ')}</span>
    </span>
  );
}

function App() {
  useSignal(lang);
  const [session, setSession] = useState<Session | null>(loadSession());
  const [signInError, setSignInError] = useState<unknown>(null);
  const [returning, setReturning] = useState(() => new URLSearchParams(location.search).has('state'));
  const route = useRoute();
  // Back from the identity provider: exchange the code once.
  useEffect(() => {
    if (!returning) return;
    finishSignIn()
      .then((s) => s && setSession(s), setSignInError)
      .finally(() => setReturning(false));
  }, []);
  // Who the session is; a key revoked or a token expired signs out with the reason.
  useEffect(() => {
    if (!session) return void me.set(null);
    loadMe().catch((err) => {
      if (err instanceof GraphQLRequestError && err.code === 'UNAUTHENTICATED') {
        clearSession();
        setSession(null);
      }
      setSignInError(err);
    });
  }, [session]);
  const nav: Array<[string, string]> = [
    ['#/', '事件看板'],
    ['#/work', '待我处理'],
    ['#/reports', '报表'],
    ['#/handover', '交接班'],
    ['#/drills', '演练'],
    ['#/rules', '规则'],
  ];
  let page;
  if (returning) page = <p>{t('加载中…')}</p>;
  else if (!session) page = <SignIn onSignedIn={setSession} error={signInError} />;
  else if (route.startsWith('/incidents/')) {
    const id = decodeURIComponent(route.slice('/incidents/'.length));
    page = <IncidentPage key={id} id={id} />;
  } else if (route === '/work') page = <MyWork />;
  else if (route === '/reports') page = <Reports />;
  else if (route === '/handover') page = <HandoverPage />;
  else if (route === '/drills') page = <DrillsPage />;
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
          {session && <Who />}
          <button class="link" onClick={() => setLang(lang.get() === 'zh' ? 'en' : 'zh')}>
            {lang.get() === 'zh' ? 'English' : '中文'}
          </button>
          {session && (
            <button
              class="link"
              onClick={() => {
                clearSession();
                setSignInError(null);
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
