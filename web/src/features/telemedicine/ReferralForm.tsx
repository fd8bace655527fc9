import { useEffect, useState, type FormEvent } from 'react';
import { get } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { useSearch } from '../../components/useSearch.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { FormField } from '../facilities/FormField.tsx';
import { useTele } from './bits.tsx';
import { createReferral, searchFacilities, URGENCIES, type Named, type Referral, type TeleRequest, type Urgency } from './tele.api.ts';

type Place = Named & { district?: { name: string; nameHi?: string | null } | null; type?: string };
/** A facility id or HFR id typed in full (no spaces), usable when the search cannot reach the facility. */
const ID_LIKE = /^[A-Za-z0-9-]{6,40}$/;

/** Refer the patient to another hospital: destination (searched by name), specialty, urgency, reason. */
export function ReferralForm({ request }: { request: TeleRequest }) {
  const { t, lang } = useI18n();
  const tele = useTele();
  const [q, setQ] = useState('');
  const [to, setTo] = useState<Place | null>(null);
  const [specialties, setSpecialties] = useState<{ code: string; name: string; nameHi: string }[]>([]);
  const [specialty, setSpecialty] = useState('');
  const [urgency, setUrgency] = useState<Urgency>('routine');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [top, setTop] = useState<string | null>(null);
  const [made, setMade] = useState<Referral[]>([]);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    get<{ items: { code: string; name: string; nameHi: string }[] }>('/api/telemedicine/specialties').then((r) => setSpecialties(r.items)).catch(() => undefined);
  }, []);

  const [hits] = useSearch<Place>(q, (text, signal) => searchFacilities(text, signal).then((r) => r.items.filter((f) => f.id !== request.spoke?.id)),
    (err) => setTop(tele.error(err)), { paused: !!to });

  async function submit(e: FormEvent) {
    e.preventDefault();
    setTop(null);
    const errs: Record<string, string> = {};
    if (!to) errs.toFacilityId = t('tele.err.destination');
    if (reason.trim().length < 3) errs.reason = t('tele.err.reason');
    setErrors(errs);
    if (!to || Object.keys(errs).length) return;
    setBusy(true);
    try {
      const r = await createReferral({
        patientId: request.patientId, requestId: request.id, toFacilityId: to.id, urgency, reason: reason.trim(), ...(specialty ? { specialty } : {}),
      });
      setMade((list) => [...list, r]);
      setTo(null);
      setQ('');
      setReason('');
      setSpecialty('');
      setUrgency('routine');
    } catch (err) {
      const p = tele.problems(err, (f) => ['toFacilityId', 'reason', 'specialty'].includes(f));
      setErrors(p.errors);
      setTop(p.top);
    } finally {
      setBusy(false);
    }
  }

  const typedId = q.trim();
  return (
    <form className="panel tele-referral" onSubmit={submit} noValidate aria-labelledby="tele-ref-title">
      <h3 id="tele-ref-title">{t('tele.referral')}</h3>
      {top && <Notice kind="error">{top}</Notice>}
      {made.map((r) => (
        <Notice key={r.id} kind="success">{t('tele.referred', { to: tele.name(r.to), urgency: t(`tele.urgency.${r.urgency}`) })}</Notice>
      ))}
      {to ? (
        <div className="tele-chosen-patient" role="group" aria-label={t('tele.destination')}>
          <div><strong data-testid="tele-destination">{tele.name(to)}</strong>{to.district && <div className="sub">{tele.name(to.district)}</div>}</div>
          <button type="button" className="secondary small" onClick={() => setTo(null)}>{t('tele.changeDestination')}</button>
        </div>
      ) : (
        <div className={`field${errors.toFacilityId ? ' has-error' : ''}`}>
          <label htmlFor="tele-ref-q">{t('tele.destination')}</label>
          <input id="tele-ref-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} autoComplete="off" aria-describedby="tele-ref-hint" />
          <div className="hint" id="tele-ref-hint">{t('tele.destinationHint')}</div>
          {errors.toFacilityId && <div className="error" role="alert">{errors.toFacilityId}</div>}
          {hits && (
            <ul className="icd-hits" aria-label={t('tele.facilityMatches')}>
              {hits.map((f) => (
                <li key={f.id}>
                  <button type="button" className="link-button" onClick={() => setTo(f)}>
                    {tele.name(f)} {f.district && <span className="sub">· {tele.name(f.district)}</span>}
                  </button>
                </li>
              ))}
              {ID_LIKE.test(typedId) && !hits.some((f) => f.id === typedId) && (
                <li><button type="button" className="link-button" onClick={() => setTo({ id: typedId, name: typedId, nameHi: null })}>{t('tele.useFacilityId', { id: typedId })}</button></li>
              )}
              {hits.length === 0 && !ID_LIKE.test(typedId) && <li className="muted">{t('tele.noFacility', { q: typedId })}</li>}
            </ul>
          )}
        </div>
      )}
      <FormField id="tele-ref-specialty" label={t('tele.specialty')} value={specialty} onChange={setSpecialty} emptyLabel={t('tele.anySpecialty')}
        options={specialties.map((s) => ({ value: s.code, label: lang === 'hi' ? s.nameHi : s.name }))} error={errors.specialty} />
      <fieldset className="radio-group">
        <legend>{t('tele.urgency')}</legend>
        {URGENCIES.map((u) => (
          <label key={u} className="radio">
            <input type="radio" name={`tele-urgency-${request.id}`} value={u} checked={urgency === u} onChange={() => setUrgency(u)} />
            {t(`tele.urgency.${u}`)}
          </label>
        ))}
      </fieldset>
      <FormField id="tele-ref-reason" label={t('tele.reason')} value={reason} onChange={setReason} multiline error={errors.reason} />
      <div className="form-actions"><button type="submit" disabled={busy}>{busy ? t('common.saving') : t('tele.refer')}</button></div>
    </form>
  );
}
