import { useI18n, type Lang } from '../i18n/i18n.tsx';

const LANGS: { lang: Lang; key: 'lang.en' | 'lang.hi' }[] = [
  { lang: 'en', key: 'lang.en' },
  { lang: 'hi', key: 'lang.hi' },
];

/** The English/हिन्दी switch of the page header. */
export function LangSwitch() {
  const { t, lang, setLang } = useI18n();
  return (
    <div className="lang-switch" role="group" aria-label={t('header.language')}>
      {LANGS.map((l) => (
        <button
          key={l.lang}
          type="button"
          lang={l.lang}
          aria-pressed={lang === l.lang}
          className={lang === l.lang ? 'active' : ''}
          onClick={() => setLang(l.lang)}
        >
          {t(l.key)}
        </button>
      ))}
    </div>
  );
}
