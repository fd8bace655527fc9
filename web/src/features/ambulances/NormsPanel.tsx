import { useEffect, useState, type FormEvent } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { useApiErrors } from '../../components/useApiErrors.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { can, useMe } from '../auth/session.tsx';
import { getNorms, setPopulation, type Norms } from './fleet.api.ts';

/**
 * Vehicles against the National Ambulance Service norm (1 BLS per 1 lakh people, 1 ALS per 5 lakh)
 * per district of the caller's state (a district's own people: their district), with the gap; the
 * state enters populations here (or imports them: POST /api/ambulances/norms/population/import).
 */
export function NormsPanel({ reload }: { reload: number }) {
  const { t, num, lang } = useI18n();
  const me = useMe();
  const { error: errorText, problems } = useApiErrors();
  const mayEnter = can(me, 'can_manage_population');
  const [norms, setNorms] = useState<Norms | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null); // the district saved
  const [again, setAgain] = useState(0);
  const [form, setForm] = useState({ districtId: '', population: '', year: String(new Date().getFullYear()) });
  const [errors, setErrors] = useState<Record<string, string>>({});

  useEffect(() => {
    const ctrl = new AbortController();
    getNorms(undefined, ctrl.signal).then((n) => {
      setNorms(n);
      setForm((f) => (f.districtId ? f : { ...f, districtId: n.items[0]?.districtId ?? '' }));
    }).catch((err) => { if (!ctrl.signal.aborted) setProblem(errorText(err)); });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [reload, again]);

  async function save(e: FormEvent) {
    e.preventDefault();
    setErrors({}); setProblem(null); setDone(null);
    const population = Number(form.population.replace(/[,\s]/g, ''));
    try {
      const r = await setPopulation({ districtId: form.districtId, population, year: Number(form.year) });
      setDone(r.districtId);
      setForm({ ...form, population: '' });
      setAgain((n) => n + 1);
    } catch (err) {
      const p = problems(err, (f) => f in form);
      setErrors(p.errors); setProblem(p.top);
    }
  }

  const name = (d: { name: string; nameHi: string | null }) => (lang === 'hi' && d.nameHi ? d.nameHi : d.name);
  const gapCell = (gap: number | undefined) => (gap === undefined ? '' : gap > 0 ? t('norms.short', { count: gap }) : t('norms.met'));
  return (
    <section aria-labelledby="norms-title">
      <h2 id="norms-title">{norms ? t('norms.titleOf', { state: name(norms.state) }) : t('norms.title')}</h2>
      <p className="sub">{t('norms.lead')}</p>
      {done && <Notice kind="success">{t('norms.saved', { district: ((d) => (d ? name(d) : done))(norms?.items.find((x) => x.districtId === done)) })}</Notice>}
      {problem && <Notice kind="error">{problem}</Notice>}
      {norms && (
        <div className="table-wrap">
          <table className="data-table" aria-labelledby="norms-title">
            <thead>
              <tr>
                <th scope="col">{t('norms.district')}</th>
                <th scope="col" className="num">{t('norms.population')}</th>
                <th scope="col" className="num">{t('norms.bls')}</th>
                <th scope="col" className="num">{t('norms.als')}</th>
                <th scope="col">{t('norms.gapBls')}</th>
                <th scope="col">{t('norms.gapAls')}</th>
              </tr>
            </thead>
            <tbody>
              {norms.items.map((d) => (
                <tr key={d.districtId}>
                  <th scope="row">{name(d)}</th>
                  <td className="num">
                    {d.population === null ? <span className="muted">{t('norms.noPopulation')}</span>
                      : <>{num(d.population)}<div className="sub">{t('norms.year', { year: String(d.year) })}</div></>}
                  </td>
                  <td className="num">{d.required ? t('norms.haveOf', { have: num(d.vehicles.bls), need: num(d.required.bls) }) : num(d.vehicles.bls)}</td>
                  <td className="num">{d.required ? t('norms.haveOf', { have: num(d.vehicles.als), need: num(d.required.als) }) : num(d.vehicles.als)}</td>
                  <td>{gapCell(d.gap?.bls)}</td>
                  <td>{gapCell(d.gap?.als)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {mayEnter && norms && norms.items.length > 0 && (
        <form className="inline-form" onSubmit={(e) => void save(e)} noValidate aria-labelledby="norms-entry">
          <h3 id="norms-entry">{t('norms.entry')}</h3>
          <div className="field">
            <label htmlFor="norms-district">{t('norms.district')}</label>
            <select id="norms-district" value={form.districtId} onChange={(e) => setForm({ ...form, districtId: e.target.value })}>
              {norms.items.map((d) => <option key={d.districtId} value={d.districtId}>{name(d)}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor="norms-population">{t('norms.population')}</label>
            <input id="norms-population" inputMode="numeric" value={form.population} aria-invalid={!!errors.population} onChange={(e) => setForm({ ...form, population: e.target.value })} />
            {errors.population && <div className="field-error">{errors.population}</div>}
          </div>
          <div className="field">
            <label htmlFor="norms-year">{t('norms.yearLabel')}</label>
            <input id="norms-year" inputMode="numeric" value={form.year} aria-invalid={!!errors.year} onChange={(e) => setForm({ ...form, year: e.target.value })} />
            {errors.year && <div className="field-error">{errors.year}</div>}
          </div>
          <button type="submit">{t('norms.save')}</button>
        </form>
      )}
    </section>
  );
}
