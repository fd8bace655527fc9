import { useEffect, useState } from 'react';
import { get } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { useApiErrors } from '../../components/useApiErrors.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { DiagnosisName } from '../patients/DiagnosisName.tsx';

/** An in-patient episode on the record (GET /api/patients/{id}/admissions; written today by HIMCARE's claims). */
export interface Admission {
  id: string;
  facility: { id: string; name: string; nameHi: string | null };
  admittedOn: string;
  dischargedOn: string | null;
  diagnoses: { code: string; title: string | null; titleHi: string | null }[];
  procedure: string | null;
  treatment: string | null;
  source: string;
  sourceId: string;
}

export const listAdmissions = (patientId: string, signal?: AbortSignal) =>
  get<{ items: Admission[] }>(`/api/patients/${encodeURIComponent(patientId)}/admissions`, undefined, signal);

/** A patient's admissions, newest first (the read is audited like the rest of the record); nothing shown while there are none. */
export function AdmissionsPanel({ patientId }: { patientId: string }) {
  const { t, lang, date } = useI18n();
  const { error: errorText } = useApiErrors();
  const [items, setItems] = useState<Admission[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    listAdmissions(patientId, ctrl.signal).then((r) => { setItems(r.items); setError(null); }).catch((err) => !ctrl.signal.aborted && setError(errorText(err)));
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [patientId]);
  if (!error && !items?.length) return null;
  return (
    <section className="panel" aria-labelledby="admissions-title" data-testid="admissions">
      <h2 id="admissions-title">{t('admissions.title')}</h2>
      {error && <Notice kind="error">{error}</Notice>}
      {items && items.length > 0 && (
        <ol className="visit-list">
          {items.map((a) => (
            <li key={a.id} className="visit-item">
              <div className="visit-head">
                <strong>{a.dischargedOn ? t('admissions.stay', { from: date(a.admittedOn), to: date(a.dischargedOn) }) : t('admissions.since', { from: date(a.admittedOn) })}</strong>
                <span className="muted"> · {lang === 'hi' && a.facility.nameHi ? a.facility.nameHi : a.facility.name}{a.source === 'himcare' ? ` · ${t('admissions.himcare')}` : ''}</span>
              </div>
              {a.diagnoses.length > 0 && (
                <ul className="visit-diagnoses" aria-label={t('admissions.diagnoses')}>
                  {a.diagnoses.map((d) => <li key={d.code}><DiagnosisName d={d} /></li>)}
                </ul>
              )}
              {a.procedure && <p>{t('admissions.procedure', { text: a.procedure })}</p>}
              {a.treatment && <p className="visit-notes">{t('admissions.treatment', { text: a.treatment })}</p>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
