import { useId, useState } from 'react';
import { useApiErrors } from '../../components/useApiErrors.ts';
import { useSearch } from '../../components/useSearch.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { searchIcd, type IcdCode } from './visits.api.ts';

/** An ICD-10 code as written (A09, J18.9). */
const ICD = /^[A-Z]\d[0-9A-Z](\.?[0-9A-Z]{1,4})?$/;

export interface Diagnosis { code: string; title: string | null }

/**
 * Diagnoses by ICD-10 code: search by code or by words of the title, pick from the matches. A code
 * typed in full can be added as it is (the server checks it against the list when one is loaded).
 */
export function IcdPicker({ value, onChange, error }: { value: Diagnosis[]; onChange: (d: Diagnosis[]) => void; error?: string }) {
  const { t, lang } = useI18n();
  const { error: errorText } = useApiErrors();
  const id = useId();
  const [q, setQ] = useState('');
  const [searchError, setSearchError] = useState<string | null>(null);
  const [hits, setHits] = useSearch<IcdCode>(q,
    (text, signal) => searchIcd(text, signal).then((r) => { setSearchError(null); return r.items; }),
    (err) => setSearchError(errorText(err)));

  const add = (d: Diagnosis) => {
    if (!value.some((v) => v.code.replace('.', '') === d.code.replace('.', ''))) onChange([...value, d]);
    setQ('');
    setHits(null);
    document.getElementById(`${id}-q`)?.focus();
  };
  const typed = q.trim().toUpperCase();
  const offerTyped = ICD.test(typed) && !(hits ?? []).some((h) => h.code.replace('.', '') === typed.replace('.', ''));
  const titleOf = (h: IcdCode) => (lang === 'hi' && h.titleHi ? h.titleHi : h.title);
  const describedBy = [`${id}-hint`, error ? `${id}-error` : ''].filter(Boolean).join(' ');

  return (
    <div className={`field icd-picker${error ? ' has-error' : ''}`}>
      <label htmlFor={`${id}-q`}>{t('visits.diagnosis')}</label>
      {value.length > 0 && (
        <ul className="icd-chosen" aria-label={t('visits.diagnosesChosen')}>
          {value.map((d) => (
            <li key={d.code}>
              <span className="item-code">{d.code}</span> {d.title ?? ''}
              <button type="button" className="link-button" onClick={() => onChange(value.filter((v) => v.code !== d.code))}
                aria-label={t('visits.removeDiagnosis', { code: d.code })}>×</button>
            </li>
          ))}
        </ul>
      )}
      <input id={`${id}-q`} type="search" value={q} onChange={(e) => setQ(e.target.value)} autoComplete="off"
        aria-describedby={describedBy} aria-invalid={error ? true : undefined}
        onKeyDown={(e) => {
          if (e.key !== 'Enter') return;
          e.preventDefault();
          const first = hits?.[0];
          if (first) add({ code: first.code, title: titleOf(first) });
          else if (offerTyped) add({ code: typed, title: null });
        }} />
      <div className="hint" id={`${id}-hint`}>{t('visits.diagnosisHint')}</div>
      {error && <div className="error" id={`${id}-error`} role="alert">{error}</div>}
      {searchError && <div className="error" role="alert">{searchError}</div>}
      {(hits || offerTyped) && (
        <ul className="icd-hits" aria-label={t('visits.matches')}>
          {(hits ?? []).map((h) => (
            <li key={h.code}>
              <button type="button" className="link-button" onClick={() => add({ code: h.code, title: titleOf(h) })}>
                <span className="item-code">{h.code}</span> {titleOf(h)}
              </button>
            </li>
          ))}
          {offerTyped && (
            <li>
              <button type="button" className="link-button" onClick={() => add({ code: typed, title: null })}>
                {t('visits.addTyped', { code: typed })}
              </button>
            </li>
          )}
          {hits && hits.length === 0 && !offerTyped && <li className="muted">{t('visits.noMatch', { q: q.trim() })}</li>}
        </ul>
      )}
    </div>
  );
}
