import type { ReactNode } from 'react';
import { useI18n, type Lang } from '../../i18n/i18n.tsx';
import './tele.css';

/** The frame of the citizen's pages (no sign-in): the name, the language switch, the page. */
export function PublicShell({ children }: { children: ReactNode }) {
  const { t, lang, setLang } = useI18n();
  const langs: Lang[] = ['en', 'hi'];
  return (
    <>
      <header className="app-header public-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">✚</span>
          <span className="brand-name">{t('app.name')}</span>
          <span className="public-sub">{t('opdHome.brand')}</span>
        </div>
        <div className="lang-switch" role="group" aria-label={t('header.language')}>
          {langs.map((l) => (
            <button key={l} type="button" lang={l} aria-pressed={lang === l} className={lang === l ? 'active' : ''} onClick={() => setLang(l)}>
              {t(l === 'hi' ? 'lang.hi' : 'lang.en')}
            </button>
          ))}
        </div>
      </header>
      <main className="page public-page" id="main">{children}</main>
    </>
  );
}
