import { useId, useState } from 'react';
import { useApiErrors } from '../../components/useApiErrors.ts';
import { useSearch } from '../../components/useSearch.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { searchIcd, type IcdCode } from './visits.api.ts';

/** An ICD-10 code as written (A09, J18.9). */
const ICD = /^[A-Z]\d[0-9A-Z](\.?[0-9A-Z]{1,4})?$/;

export interface Diagnosis { code: string; title: string | null }

/**
 * Diagnoses by ICD-10 code: search as you type by code or by English or Hindi words, pick from the
 * matches with the mouse or the keyboard (arrows, Enter, Escape; a combobox to screen readers). A code
 * typed in full can be added as it is (the server checks it against the ICD-10 lists).
 */
export function IcdPicker({ value, onChange, error }: { value: Diagnosis[]; onChange: (d: Diagnosis[]) => void; error?: string }) {
  const { t, lang } = useI18n();
  const { error: errorText } = useApiErrors();
  const id = useId();
  const [q, setQ] = useState('');
  /** The option the arrow keys are on (aria-activedescendant); -1 = none. */
  const [active, setActive] = useState(-1);
  const [searchError, setSearchError] = useState<string | null>(null);
  const [hits, setHits] = useSearch<IcdCode>(q,
    (text, signal) => searchIcd(text, signal).then((r) => { setSearchError(null); return r.items; }),
    (err) => setSearchError(errorText(err)));

  const add = (d: Diagnosis) => {
    if (!value.some((v) => v.code.replace('.', '') === d.code.replace('.', ''))) onChange([...value, d]);
    setQ('');
    setHits(null);
    setActive(-1);
    document.getElementById(`${id}-q`)?.focus();
  };
  const typed = q.trim().toUpperCase();
  const offerTyped = ICD.test(typed) && !(hits ?? []).some((h) => h.code.replace('.', '') === typed.replace('.', ''));
  const titleOf = (h: IcdCode) => (lang === 'hi' && h.titleHi ? h.titleHi : h.title);
  const describedBy = [`${id}-hint`, error ? `${id}-error` : ''].filter(Boolean).join(' ');
  // The options in order: the matches, then the code as typed.
  const options: Diagnosis[] = [...(hits ?? []).map((h) => ({ code: h.code, title: titleOf(h) })), ...(offerTyped ? [{ code: typed, title: null }] : [])];
  const open = !!hits || offerTyped;
  const optionId = (i: number) => `${id}-opt-${i}`;

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
      <input id={`${id}-q`} type="search" value={q} onChange={(e) => { setQ(e.target.value); setActive(-1); }} autoComplete="off"
        role="combobox" aria-autocomplete="list" aria-expanded={open && options.length > 0} aria-controls={`${id}-list`}
        aria-activedescendant={active >= 0 && active < options.length ? optionId(active) : undefined}
        aria-describedby={describedBy} aria-invalid={error ? true : undefined}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            if (!options.length) return;
            e.preventDefault();
            const step = e.key === 'ArrowDown' ? 1 : -1;
            setActive((a) => (a + step + options.length + (a < 0 && step < 0 ? 1 : 0)) % options.length);
          } else if (e.key === 'Escape' && open) {
            e.preventDefault();
            setHits(null);
            setActive(-1);
          } else if (e.key === 'Enter') {
            e.preventDefault();
            const chosen = options[active >= 0 ? active : 0];
            if (chosen) add(chosen);
          }
        }} />
      <div className="hint" id={`${id}-hint`}>{t('visits.diagnosisHint')}</div>
      {error && <div className="error" id={`${id}-error`} role="alert">{error}</div>}
      {searchError && <div className="error" role="alert">{searchError}</div>}
      {open && (
        <ul className="icd-hits" id={`${id}-list`} role="listbox" aria-label={t('visits.matches')}>
          {options.map((o, i) => (
            <li key={o.code} id={optionId(i)} role="option" aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              onMouseDown={(e) => e.preventDefault()} onClick={() => add(o)}>
              {o.title !== null || i < (hits?.length ?? 0)
                ? <><span className="item-code">{o.code}</span> {o.title}</>
                : t('visits.addTyped', { code: o.code })}
            </li>
          ))}
          {hits && hits.length === 0 && !offerTyped && <li className="muted" role="presentation">{t('visits.noMatch', { q: q.trim() })}</li>}
        </ul>
      )}
    </div>
  );
}
