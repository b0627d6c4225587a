/**
 * Who is signed in. An API key pasted once is kept in sessionStorage: for this tab's session
 * only, gone when the tab closes. The seam for the company's identity provider: a `Session`
 * of kind 'oidc' would carry an access token the same way (Authorization: Bearer …), so the
 * API client below does not change when OIDC sign-in is added.
 */
export interface Session {
  kind: 'api-key';
  token: string;
  /** What the person calls this key (shown in the header); the server does not tell it yet. */
  label: string;
  /** Roles the person says the key has: 待我处理 shows steps for these (empty: every step). */
  roles: string[];
}

const KEY = 'triage.console.session';

export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function saveSession(s: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(s));
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}
