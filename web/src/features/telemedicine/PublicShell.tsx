import type { ReactNode } from 'react';
import { LangSwitch } from '../../components/LangSwitch.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import './tele.css';

/** The frame of the citizen's pages (no sign-in): the name, the language switch, the page. */
export function PublicShell({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  return (
    <>
      <header className="app-header public-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">✚</span>
          <span className="brand-name">{t('app.name')}</span>
          <span className="public-sub">{t('opdHome.brand')}</span>
        </div>
        <LangSwitch />
      </header>
      <main className="page public-page" id="main">{children}</main>
    </>
  );
}
