import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import { navigate } from '../../router.ts';
import { PatientName, placeOf, useAgeSex } from './PatientBits.tsx';
import { findDuplicates, namesOf, type PatientHit } from './patients.api.ts';
import type { duplicateQuery } from './registerForm.ts';

type Query = NonNullable<ReturnType<typeof duplicateQuery>>;

/**
 * People already registered who may be the one at the counter (same mobile, or a similar name of the
 * same sex and age), looked up while the form is filled, so that the operator opens the existing
 * record instead of making a second one.
 */
export function DuplicatesPanel({ query }: { query: Query | null }) {
  const { t, num, lang } = useI18n();
  const ageSex = useAgeSex();
  const [items, setItems] = useState<PatientHit[] | null>(null);
  const key = query ? JSON.stringify(query) : '';

  useEffect(() => {
    if (!query) {
      setItems(null);
      return;
    }
    const ctrl = new AbortController();
    // Wait until typing pauses.
    const timer = setTimeout(() => {
      findDuplicates(query, ctrl.signal)
        .then((r) => setItems(r.items))
        .catch(() => !ctrl.signal.aborted && setItems(null));
    }, 450);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  return (
    <section className={`duplicates${items && items.length ? ' has-matches' : ''}`} aria-labelledby="dup-title">
      <h2 id="dup-title">{t('patients.dup.title')}</h2>
      <div aria-live="polite">
        {!query && <p className="muted">{t('patients.dup.hint')}</p>}
        {query && items && items.length === 0 && <p className="muted">{t('patients.dup.none')}</p>}
        {query && items && items.length > 0 && <p className="dup-warning">{t('patients.dup.found', { count: num(items.length) })}</p>}
      </div>
      {query && items && items.length > 0 && (
        <ul className="dup-list">
          {items.map((p) => (
            <li key={p.id}>
              <div>
                <PatientName p={p} />{' '}
                <span className="mono">{p.stateNumber}</span>
                {p.sameMobile && <span className="badge badge-warn">{t('patients.dup.sameMobile')}</span>}
                <div className="sub">
                  {ageSex(p)} · {placeOf(p, lang)}
                  {p.mobileLast4 && <> · {t('patients.mobileEnding', { last4: p.mobileLast4 })}</>}
                </div>
              </div>
              <button type="button" className="secondary small" onClick={() => navigate(`/patients/${encodeURIComponent(p.id)}`)}>
                {t('patients.dup.open')}<span className="visually-hidden">: {namesOf(p, lang).main} {p.stateNumber}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
