import { useEffect, useId, useState, type FormEvent } from 'react';
import { Pager } from '../../components/Pager.tsx';
import { useApiErrors } from '../../components/useApiErrors.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { PatientName, placeOf, useAgeSex } from '../patients/PatientBits.tsx';
import { PAGE_SIZE, searchPatients, type PatientHit, type SearchAnswer } from '../patients/patients.api.ts';

/** Find a registered person (name in either script, mobile, ABHA or state number) and choose one. */
export function PatientPicker({ label, chooseLabel, onChoose, exclude = [] }: {
  label: string; chooseLabel: string; onChoose: (p: PatientHit) => void; exclude?: string[];
}) {
  const { t, lang } = useI18n();
  const { error } = useApiErrors();
  const ageSex = useAgeSex();
  const id = useId();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [offset, setOffset] = useState(0);
  const [answer, setAnswer] = useState<SearchAnswer | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!q) return;
    const ctrl = new AbortController();
    setBusy(true);
    setProblem(null);
    searchPatients(q, offset, ctrl.signal).then(setAnswer)
      .catch((err) => { if (!ctrl.signal.aborted) { setAnswer(null); setProblem(error(err)); } })
      .finally(() => !ctrl.signal.aborted && setBusy(false));
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q, offset]);

  function submit(e: FormEvent) {
    e.preventDefault();
    setOffset(0);
    setQ(text.trim());
  }
  const items = (answer?.items ?? []).filter((p) => !exclude.includes(p.id));
  return (
    <div className="patient-picker">
      <form className="inline-form" role="search" onSubmit={submit}>
        <div className="field field-grow">
          <label htmlFor={`${id}-q`}>{label}</label>
          <input id={`${id}-q`} type="search" value={text} autoComplete="off" onChange={(e) => setText(e.target.value)} aria-describedby={`${id}-hint`} />
          <small className="muted" id={`${id}-hint`}>{t('patients.searchHint')}</small>
        </div>
        <button type="submit" disabled={busy || text.trim().length < 2}>{t('action.search')}</button>
      </form>
      {problem && <p className="error" role="alert">{problem}</p>}
      {answer && (
        <div className="table-wrap">
          <table className="data-table compact">
            <caption className="visually-hidden">{label}</caption>
            <thead>
              <tr>
                <th scope="col">{t('patients.name')}</th>
                <th scope="col">{t('patients.stateNumber')}</th>
                <th scope="col">{t('family.ageSex')}</th>
                <th scope="col">{t('patients.address')}</th>
                <th scope="col"><span className="visually-hidden">{chooseLabel}</span></th>
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <tr key={p.id}>
                  <td><PatientName p={p} /></td>
                  <td className="mono">{p.stateNumber}</td>
                  <td>{ageSex(p)}</td>
                  <td>{placeOf(p, lang)}</td>
                  <td><button type="button" className="secondary" onClick={() => onChoose(p)} aria-label={`${chooseLabel}: ${p.name}`}>{chooseLabel}</button></td>
                </tr>
              ))}
              {items.length === 0 && <tr><td colSpan={5} className="empty">{t('family.nobodyFound')}</td></tr>}
            </tbody>
          </table>
        </div>
      )}
      <Pager offset={offset} pageSize={PAGE_SIZE} hasNext={!!answer?.more} busy={busy} onPage={setOffset} />
    </div>
  );
}
