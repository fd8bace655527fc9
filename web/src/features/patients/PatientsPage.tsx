import { Fragment, useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { navigate } from '../../router.ts';
import { can, useMe } from '../auth/session.tsx';
import { OpdRegisterForm } from './OpdRegisterForm.tsx';
import { PatientName, placeOf, useAgeSex } from './PatientBits.tsx';
import { PresencePanel } from './PresencePanel.tsx';
import { PAGE_SIZE, searchPatients, type SearchAnswer } from './patients.api.ts';
import { Pager } from '../../components/Pager.tsx';

/** Find a person across the state: name in either script, mobile, ABHA number or state number. */
export function PatientsPage({ query }: { query: URLSearchParams }) {
  const { t, num, lang } = useI18n();
  const me = useMe();
  const ageSex = useAgeSex();
  const q = query.get('q') ?? '';
  const offset = Math.max(0, Number(query.get('offset')) || 0);
  const [text, setText] = useState(q);
  const [answer, setAnswer] = useState<SearchAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  // A person found whom this facility may not read yet: show them present, then give the OPD token.
  const [serving, setServing] = useState<{ id: string; present: boolean } | null>(null);

  useEffect(() => setText(q), [q]);

  useEffect(() => {
    setError(null);
    if (!q.trim()) {
      setAnswer(null);
      return;
    }
    const ctrl = new AbortController();
    setLoading(true);
    searchPatients(q.trim(), offset, ctrl.signal)
      .then(setAnswer)
      .catch((err) => {
        if (ctrl.signal.aborted) return;
        setAnswer(null);
        setError(err instanceof ApiError ? err.message : t('error.network'));
      })
      .finally(() => !ctrl.signal.aborted && setLoading(false));
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q, offset]);

  function submit(e: FormEvent) {
    e.preventDefault();
    navigate('/patients', { q: text.trim() || undefined });
  }
  const go = (nextOffset: number) => navigate('/patients', { q, offset: nextOffset ? String(nextOffset) : undefined });

  const items = answer?.items ?? [];
  return (
    <section aria-labelledby="patients-title">
      <div className="page-head">
        <h1 id="patients-title">{t('patients.title')}</h1>
        <div className="actions">
          {can(me, 'can_read_patient') && <a className="button secondary" href="#/opd">{t('opd.title')}</a>}
          {can(me, 'can_register_patient') && <a className="button" href="#/patients/new">{t('patients.new')}</a>}
        </div>
      </div>
      <form className="filters" role="search" onSubmit={submit}>
        <div className="field field-grow">
          <label htmlFor="patient-q">{t('patients.searchLabel')}</label>
          <div className="input-with-button">
            <input id="patient-q" type="search" value={text} onChange={(e) => setText(e.target.value)}
              aria-describedby="patient-q-hint" autoComplete="off" />
            <button type="submit">{t('action.search')}</button>
          </div>
          <div className="hint" id="patient-q-hint">{t('patients.searchHint')}</div>
        </div>
      </form>
      {error && <Notice kind="error">{error}</Notice>}
      {q && (
        <div className="table-meta" aria-live="polite">
          {loading ? t('common.loading')
            : answer && t(items.length ? 'patients.showing' : 'patients.noneFound', { from: num(offset + 1), to: num(offset + items.length), q })}
        </div>
      )}
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="data-table patient-results">
            <thead>
              <tr>
                <th scope="col">{t('patients.name')}</th>
                <th scope="col">{t('patients.stateNumber')}</th>
                <th scope="col">{t('patients.sexAge')}</th>
                <th scope="col">{t('patients.place')}</th>
                <th scope="col">{t('patients.mobile')}</th>
                <th scope="col">{t('patients.abha')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <Fragment key={p.id}>
                <tr>
                  <td>
                    <PatientName p={p} href={`#/patients/${encodeURIComponent(p.id)}`} />
                    {!p.canRead && <div className="sub">{t('patients.notHere')}</div>}
                    {!p.canRead && can(me, 'can_register_opd') && serving?.id !== p.id && (
                      <button type="button" className="secondary small" onClick={() => setServing({ id: p.id, present: false })}
                        aria-label={t('presence.serveNamed', { name: p.nameLatin ?? p.name })}>{t('presence.serve')}</button>
                    )}
                  </td>
                  <td className="mono">{p.stateNumber}</td>
                  <td>{ageSex(p)}<div className="sub">{t('patients.bornIn', { year: p.birthYear })}</div></td>
                  <td>{placeOf(p, lang)}</td>
                  <td>{p.mobileLast4 ? <span aria-label={t('patients.mobileEnding', { last4: p.mobileLast4 })}>••••••{p.mobileLast4}</span> : '—'}</td>
                  <td>{p.hasAbha ? t('common.yes') : t('common.no')}</td>
                </tr>
                {serving?.id === p.id && (
                  <tr className="presence-row">
                    <td colSpan={6}>
                      {serving.present ? (
                        <div className="panel">
                          <p>{t('presence.done')}</p>
                          <OpdRegisterForm patientId={p.id} label={t('opd.registerHere')}
                            onDone={() => navigate(`/patients/${encodeURIComponent(p.id)}`)} />
                        </div>
                      ) : <PresencePanel patientId={p.id} mobileLast4={p.mobileLast4} onPresent={() => setServing({ id: p.id, present: true })} />}
                      <button type="button" className="secondary small" onClick={() => setServing(null)}>{t('presence.close')}</button>
                    </td>
                  </tr>
                )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {answer && <Pager offset={offset} pageSize={PAGE_SIZE} hasNext={answer.more} busy={loading} onPage={go} />}
    </section>
  );
}
