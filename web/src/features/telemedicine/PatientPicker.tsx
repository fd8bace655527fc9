import { useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import { PatientName, useAgeSex } from '../patients/PatientBits.tsx';
import { searchPatients, type PatientHit } from '../patients/patients.api.ts';
import { PresencePanel } from '../patients/PresencePanel.tsx';
import { useTele } from './bits.tsx';

/** Find the patient by name (either script), mobile, ABHA or state number, and choose one; or register a new one. */
export function PatientPicker({ value, onChange, error }: { value: PatientHit | null; onChange: (p: PatientHit | null) => void; error?: string }) {
  const { t } = useI18n();
  const tele = useTele();
  const ageSex = useAgeSex();
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<PatientHit[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Chosen but not readable here yet: the patient is first shown present (code, card or break-glass).
  const [pending, setPending] = useState<PatientHit | null>(null);

  async function search(e: FormEvent) {
    e.preventDefault();
    e.stopPropagation();
    if (!q.trim()) return;
    setBusy(true);
    setProblem(null);
    try {
      setHits((await searchPatients(q.trim(), 0)).items);
    } catch (err) {
      setHits(null);
      setProblem(tele.error(err));
    } finally {
      setBusy(false);
    }
  }

  if (pending && !value) {
    return (
      <div className="tele-chosen-patient" role="group" aria-label={t('tele.patient')}>
        <div>
          <strong><PatientName p={pending} /></strong> <span className="mono">{pending.stateNumber}</span>
          <div className="sub">{ageSex(pending)}</div>
        </div>
        <PresencePanel patientId={pending.id} mobileLast4={pending.mobileLast4} onPresent={() => { onChange(pending); setPending(null); }} />
        <button type="button" className="secondary small" onClick={() => setPending(null)}>{t('tele.changePatient')}</button>
      </div>
    );
  }
  if (value) {
    return (
      <div className="tele-chosen-patient" role="group" aria-label={t('tele.patient')}>
        <div>
          <strong><PatientName p={value} /></strong> <span className="mono">{value.stateNumber}</span>
          <div className="sub">{ageSex(value)}</div>
        </div>
        <button type="button" className="secondary small" onClick={() => onChange(null)}>{t('tele.changePatient')}</button>
      </div>
    );
  }
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      {/* A form inside a form is not allowed: the search is a group with its own button. */}
      <label htmlFor="tele-patient-q">{t('tele.findPatient')}</label>
      <div className="input-with-button">
        <input id="tele-patient-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} autoComplete="off"
          aria-describedby="tele-patient-q-hint" aria-invalid={error ? true : undefined}
          onKeyDown={(e) => { if (e.key === 'Enter') void search(e); }} />
        <button type="button" className="secondary" disabled={busy} onClick={(e) => void search(e)}>{t('action.search')}</button>
      </div>
      <div className="hint" id="tele-patient-q-hint">{t('patients.searchHint')}</div>
      {error && <div className="error" role="alert">{error}</div>}
      {problem && <div className="error" role="alert">{problem}</div>}
      {hits && (
        <ul className="tele-hits" aria-label={t('tele.patientMatches')}>
          {hits.length === 0 && <li className="muted">{t('tele.noPatientFound')} <a href="#/patients/new">{t('patients.new')}</a></li>}
          {hits.map((p) => (
            <li key={p.id}>
              <span><PatientName p={p} /> <span className="mono">{p.stateNumber}</span> <span className="sub">{ageSex(p)}</span></span>
              <button type="button" className="small" onClick={() => { if (p.canRead) onChange(p); else setPending(p); setHits(null); setQ(''); }} aria-label={t('tele.choosePatient', { number: p.stateNumber })}>
                {t('tele.choose')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
