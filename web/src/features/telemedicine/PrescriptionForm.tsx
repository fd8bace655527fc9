import { useState, type FormEvent } from 'react';
import { useSearch } from '../../components/useSearch.ts';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { medicineLabel, useTele } from './bits.tsx';
import { FREQUENCIES, prescribe, searchFormulary, type Frequency, type Medicine, type Prescription } from './tele.api.ts';

interface Line { medicine: Medicine; dose: string; frequency: Frequency; days: string; instructions: string }

/** An e-prescription from the formulary: search a medicine (with the spoke's stock), set dose, frequency and days, issue. */
export function PrescriptionForm({ requestId }: { requestId: string }) {
  const { t, num, lang } = useI18n();
  const tele = useTele();
  const [q, setQ] = useState('');
  const [lines, setLines] = useState<Line[]>([]);
  const [issued, setIssued] = useState<Prescription[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [top, setTop] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const [hits, setHits] = useSearch<Medicine>(q, (text, signal) => searchFormulary(text, requestId, signal).then((r) => r.items), (err) => setTop(tele.error(err)), { deps: [requestId] });

  const add = (m: Medicine) => {
    if (!lines.some((l) => l.medicine.code === m.code)) {
      const countable = ['tablet', 'dispersible_tablet', 'capsule', 'sachet'].includes(m.form);
      setLines((ls) => [...ls, { medicine: m, dose: countable ? `1 ${m.form === 'sachet' ? 'sachet' : m.form === 'capsule' ? 'capsule' : 'tablet'}` : '', frequency: 'BD', days: '5', instructions: '' }]);
    }
    setQ('');
    setHits(null);
  };
  const set = (i: number, patch: Partial<Line>) => setLines((ls) => ls.map((l, j) => (j === i ? { ...l, ...patch } : l)));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setTop(null);
    const errs: Record<string, string> = {};
    lines.forEach((l, i) => {
      if (!l.dose.trim()) errs[`items.${i}.dose`] = t('tele.err.dose');
      const d = Number(l.days);
      if (!Number.isInteger(d) || d < 1 || d > 365) errs[`items.${i}.days`] = t('tele.err.days');
    });
    if (!lines.length) errs.items = t('tele.err.noLines');
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      const rx = await prescribe(requestId, lines.map((l) => ({
        code: l.medicine.code, dose: l.dose.trim(), frequency: l.frequency, days: Number(l.days), ...(l.instructions.trim() ? { instructions: l.instructions.trim() } : {}),
      })));
      setIssued((list) => [...list, rx]);
      setLines([]);
    } catch (err) {
      const p = tele.problems(err, (f) => /^items\.\d+\.(dose|days|code)$/.test(f));
      setErrors(p.errors);
      setTop(p.top);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel tele-prescribe" onSubmit={submit} noValidate aria-labelledby="tele-rx-title">
      <h3 id="tele-rx-title">{t('tele.prescription')}</h3>
      {top && <Notice kind="error">{top}</Notice>}
      <div className="field">
        <label htmlFor="tele-formulary-q">{t('tele.searchMedicine')}</label>
        <input id="tele-formulary-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} autoComplete="off" aria-describedby="tele-formulary-hint"
          onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); if (hits?.[0]) add(hits[0]); } }} />
        <div className="hint" id="tele-formulary-hint">{t('tele.searchMedicineHint')}</div>
      </div>
      {hits && (
        <ul className="icd-hits tele-medicines" aria-label={t('tele.medicineMatches')}>
          {hits.length === 0 && <li className="muted">{t('tele.noMedicine', { q: q.trim() })}</li>}
          {hits.map((m) => (
            <li key={m.code}>
              <button type="button" className="link-button" onClick={() => add(m)}>
                {medicineLabel(m, lang)}
                {m.inStock !== undefined && (
                  <span className={`tele-stock ${m.inStock ? 'in' : 'out'}`}> — {m.inStock ? t('tele.inStock', { n: num(m.quantity ?? 0) }) : t('tele.notInStock')}</span>
                )}
              </button>
            </li>
          ))}
        </ul>
      )}
      {lines.map((l, i) => (
        <div className="tele-rx-line" key={l.medicine.code} role="group" aria-label={medicineLabel(l.medicine, lang)}>
          <div className="tele-rx-name">
            <strong>{medicineLabel(l.medicine, lang)}</strong>
            {l.medicine.inStock !== undefined && <div className={`tele-stock ${l.medicine.inStock ? 'in' : 'out'}`}>{l.medicine.inStock ? t('tele.inStock', { n: num(l.medicine.quantity ?? 0) }) : t('tele.notInStock')}</div>}
          </div>
          <div className={`field${errors[`items.${i}.dose`] ? ' has-error' : ''}`}>
            <label htmlFor={`rx-dose-${i}`}>{t('tele.dose')}</label>
            <input id={`rx-dose-${i}`} value={l.dose} onChange={(e) => set(i, { dose: e.target.value })} maxLength={60} />
            {errors[`items.${i}.dose`] && <div className="error" role="alert">{errors[`items.${i}.dose`]}</div>}
          </div>
          <div className="field">
            <label htmlFor={`rx-frequency-${i}`}>{t('tele.frequency')}</label>
            <select id={`rx-frequency-${i}`} value={l.frequency} onChange={(e) => set(i, { frequency: e.target.value as Frequency })}>
              {FREQUENCIES.map((f) => <option key={f} value={f}>{f} — {t(`tele.freq.${f}`)}</option>)}
            </select>
          </div>
          <div className={`field${errors[`items.${i}.days`] ? ' has-error' : ''}`}>
            <label htmlFor={`rx-days-${i}`}>{t('tele.days')}</label>
            <input id={`rx-days-${i}`} value={l.days} inputMode="numeric" maxLength={3} onChange={(e) => set(i, { days: e.target.value })} />
            {errors[`items.${i}.days`] && <div className="error" role="alert">{errors[`items.${i}.days`]}</div>}
          </div>
          <div className="field">
            <label htmlFor={`rx-instructions-${i}`}>{t('tele.instructions')}</label>
            <input id={`rx-instructions-${i}`} value={l.instructions} maxLength={300} onChange={(e) => set(i, { instructions: e.target.value })} />
          </div>
          <button type="button" className="secondary small" onClick={() => setLines((ls) => ls.filter((_, j) => j !== i))}>{t('tele.removeLine')}</button>
          {errors[`items.${i}.code`] && <div className="error" role="alert">{errors[`items.${i}.code`]}</div>}
        </div>
      ))}
      {errors.items && <div className="error" role="alert">{errors.items}</div>}
      {lines.length > 0 && <div className="form-actions"><button type="submit" disabled={busy}>{busy ? t('common.saving') : t('tele.issuePrescription')}</button></div>}
      {issued.map((rx) => (
        <div key={rx.id} className="tele-issued" role="status">
          <strong>{t('tele.prescriptionIssued')}</strong>
          <ul>{rx.items.map((i) => <li key={i.id}>{i.label} — {i.dose}, {lang === 'hi' ? i.frequencyTextHi : i.frequencyText}, {t('tele.forDays', { n: num(i.days) })}</li>)}</ul>
        </div>
      ))}
    </form>
  );
}
