import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { DEPARTMENTS, registerOpd, type OpdToken } from './patients.api.ts';

/** Registers today's OPD visit at the user's facility: the next token of the chosen department. */
export function OpdRegisterForm({ patientId, label, onDone }: { patientId: string; label: string; onDone: (token: OpdToken) => void }) {
  const { t } = useI18n();
  const [department, setDepartment] = useState<string>('general');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onDone(await registerOpd(patientId, department));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : t('error.network'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="inline-form" onSubmit={submit}>
      <div className="field">
        <label htmlFor={`opd-dept-${patientId}`}>{t('opd.department')}</label>
        <select id={`opd-dept-${patientId}`} value={department} onChange={(e) => setDepartment(e.target.value)}>
          {DEPARTMENTS.map((d) => <option key={d} value={d}>{t(`opd.dept.${d}`)}</option>)}
        </select>
      </div>
      <button type="submit" disabled={busy}>{busy ? t('common.saving') : label}</button>
      {error && <div className="error" role="alert">{error}</div>}
    </form>
  );
}
