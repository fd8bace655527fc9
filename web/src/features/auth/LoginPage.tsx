import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { useI18n, type Lang } from '../../i18n/i18n.tsx';
import { login, type Me } from './session.tsx';

export function LoginPage({ onLogin }: { onLogin: (me: Me) => void }) {
  const { t, lang, setLang } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!username.trim() || !password) {
      setError(t('login.missing'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onLogin(await login(username.trim(), password));
    } catch (err) {
      // The server's own message (in the UI language through Accept-Language).
      setError(err instanceof ApiError ? err.message : t('error.network'));
    } finally {
      setBusy(false);
    }
  }

  const other: Lang = lang === 'hi' ? 'en' : 'hi';
  return (
    <main className="login-page">
      <form className="login-card" onSubmit={submit} noValidate>
        <div className="login-top">
          <h1>{t('app.name')}</h1>
          <button type="button" className="link-button" lang={other} onClick={() => setLang(other)}>
            {t(other === 'hi' ? 'lang.hi' : 'lang.en')}
          </button>
        </div>
        <p className="muted">{t('login.subtitle')}</p>
        {error && <Notice kind="error">{error}</Notice>}
        <div className="field">
          <label htmlFor="login-username">{t('login.username')}</label>
          <input
            id="login-username"
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
          />
        </div>
        <div className="field">
          <label htmlFor="login-password">{t('login.password')}</label>
          <input
            id="login-password"
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </div>
        <button type="submit" disabled={busy}>{busy ? t('login.signingIn') : t('login.submit')}</button>
        {/* Citizens need no account: a complaint is filed and tracked with a code to their mobile (features/grievances). */}
        <p className="muted login-public">
          <a href="#/complaint">{t('grv.fileLink')}</a>
          {' · '}
          <a href="#/complaint/track">{t('grv.trackLink')}</a>
          {' · '}
          <a href="#/himcare">{t('schemes.public.link')}</a>
        </p>
      </form>
    </main>
  );
}
