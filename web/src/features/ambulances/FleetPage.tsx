import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { Pager } from '../../components/Pager.tsx';
import { useApiErrors } from '../../components/useApiErrors.ts';
import { formatDateTime, useI18n } from '../../i18n/i18n.tsx';
import { can, useMe } from '../auth/session.tsx';
import { listFacilities, type Facility } from '../facilities/facilities.api.ts';
import { KINDS, listVehicles, PAGE_SIZE, registerVehicle, SERVICES, setCrew, setVehicleStatus, type Vehicle } from './fleet.api.ts';
import { NormsPanel } from './NormsPanel.tsx';

/** `datetime-local` text for a time (the browser's own zone, as the field shows it). */
function localInput(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}
function shiftDefaults() {
  const from = new Date();
  from.setMinutes(0, 0, 0);
  return { from: localInput(from), to: localInput(new Date(from.getTime() + 12 * 3_600_000)) };
}

/**
 * The fleet of the caller's area (#/ambulances): vehicles with status, crew on shift and the time of
 * the last position; register a vehicle (admin, district officer); set a shift's crew (base facility
 * operator, dispatcher, district officer); take a vehicle off the road and back; and the National
 * Ambulance Service norm per district with the gap.
 */
export function FleetPage() {
  const { t, tx } = useI18n();
  const me = useMe();
  const { error: errorText, problems } = useApiErrors();
  const mayRegister = can(me, 'can_manage_ambulances');
  const mayCrew = can(me, 'can_manage_ambulance_crew');
  const mayStatus = mayCrew || can(me, 'can_dispatch_ambulances') || mayRegister;
  const [offset, setOffset] = useState(0);
  const [reload, setReload] = useState(0);
  const [answer, setAnswer] = useState<{ items: Vehicle[]; total: number } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<{ key: 'fleet.registered' | 'fleet.statusChanged' | 'fleet.crewSaved'; reg: string; status?: string } | null>(null);

  const [facilities, setFacilities] = useState<Facility[]>([]);
  const [form, setForm] = useState({ registrationNumber: '', service: '108', kind: 'BLS', baseFacilityId: '', deviceId: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});

  const [crewFor, setCrewFor] = useState<Vehicle | null>(null);
  const [crew, setCrewForm] = useState({ ...shiftDefaults(), driverName: '', driverMobile: '', emtName: '', emtMobile: '' });
  const [crewErrors, setCrewErrors] = useState<Record<string, string>>({});
  const [crewProblem, setCrewProblem] = useState<string | null>(null);

  useEffect(() => {
    if (!mayRegister) return;
    const ctrl = new AbortController();
    const district = me.orgUnit.level === 'district' && me.orgUnit.lgdCode ? String(me.orgUnit.lgdCode) : undefined;
    listFacilities({ district, limit: 200 }, ctrl.signal).then((p) => {
      setFacilities(p.items);
      setForm((f) => (f.baseFacilityId ? f : { ...f, baseFacilityId: p.items[0]?.id ?? '' }));
    }).catch(() => undefined);
    return () => ctrl.abort();
  }, [mayRegister, me.orgUnit.level, me.orgUnit.lgdCode]);

  useEffect(() => {
    const ctrl = new AbortController();
    listVehicles(offset, ctrl.signal).then(setAnswer).catch((err) => { if (!ctrl.signal.aborted) setProblem(errorText(err)); });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [offset, reload]);

  async function register(e: FormEvent) {
    e.preventDefault();
    setProblem(null); setDone(null); setErrors({});
    try {
      const v = await registerVehicle({ ...form, registrationNumber: form.registrationNumber.trim(), deviceId: form.deviceId.trim() });
      setDone({ key: 'fleet.registered', reg: v.registrationNumber });
      setForm({ ...form, registrationNumber: '', deviceId: '' });
      setReload((n) => n + 1);
    } catch (err) {
      const p = problems(err, (f) => f in form);
      setErrors(p.errors); setProblem(p.top);
    }
  }

  async function changeStatus(v: Vehicle, status: string) {
    setProblem(null); setDone(null);
    try {
      await setVehicleStatus(v.id, status);
      setDone({ key: 'fleet.statusChanged', reg: v.registrationNumber, status });
      setReload((n) => n + 1);
    } catch (err) {
      setProblem(errorText(err));
      setReload((n) => n + 1);
    }
  }

  function openCrew(v: Vehicle) {
    setCrewFor(v); setCrewErrors({}); setCrewProblem(null); setDone(null);
    setCrewForm({ ...shiftDefaults(), driverName: '', driverMobile: '', emtName: '', emtMobile: '' });
  }

  async function saveCrew(e: FormEvent) {
    e.preventDefault();
    if (!crewFor) return;
    setCrewErrors({}); setCrewProblem(null);
    const at = (s: string) => { const d = new Date(s); return Number.isNaN(d.getTime()) ? s : d.toISOString(); };
    const person = (name: string, mobile: string) => (name.trim() || mobile.trim() ? { name, mobile } : undefined);
    try {
      await setCrew(crewFor.id, { from: at(crew.from), to: at(crew.to), driver: person(crew.driverName, crew.driverMobile), emt: person(crew.emtName, crew.emtMobile) });
      setDone({ key: 'fleet.crewSaved', reg: crewFor.registrationNumber });
      setCrewFor(null);
      setReload((n) => n + 1);
    } catch (err) {
      const shown: Record<string, string> = { from: 'from', to: 'to', 'driver.name': 'driverName', 'driver.mobile': 'driverMobile', 'emt.name': 'emtName', 'emt.mobile': 'emtMobile', driver: 'driverName' };
      const p = problems(err, (f) => f in shown);
      setCrewErrors(Object.fromEntries(Object.entries(p.errors).map(([k, v]) => [shown[k] ?? k, v])));
      setCrewProblem(p.top);
    }
  }

  const field = (id: string, label: string, error: string | undefined, input: ReactNode) => (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {input}
      {error && <div className="field-error" id={`${id}-error`}>{error}</div>}
    </div>
  );
  const crewName = (m: { name: string } | null | undefined) => m?.name ?? t('fleet.nobody');
  const items = answer?.items ?? [];
  return (
    <section aria-labelledby="fleet-title">
      <h1 id="fleet-title">{t('fleet.title')}</h1>
      <p className="muted">{t('fleet.lead')}</p>
      {done && <Notice kind="success">{t(done.key, { reg: done.reg, status: done.status ? tx(`dispatch.status.${done.status}`, done.status) : '' })}</Notice>}
      {problem && <Notice kind="error">{problem}</Notice>}

      {mayRegister && (
        <form className="facility-form" onSubmit={(e) => void register(e)} noValidate aria-labelledby="fleet-new">
          <h2 id="fleet-new">{t('fleet.new')}</h2>
          {field('fleet-reg', t('fleet.registrationNumber'), errors.registrationNumber, (
            <input id="fleet-reg" value={form.registrationNumber} placeholder="HR 39 GA 1082" aria-invalid={!!errors.registrationNumber} onChange={(e) => setForm({ ...form, registrationNumber: e.target.value })} />
          ))}
          {field('fleet-service', t('fleet.service'), errors.service, (
            <select id="fleet-service" value={form.service} onChange={(e) => setForm({ ...form, service: e.target.value, kind: e.target.value === '102' && form.kind === 'ALS' ? 'BLS' : form.kind })}>
              {SERVICES.map((s) => <option key={s} value={s}>{t(s === '108' ? 'fleet.service108' : 'fleet.service102')}</option>)}
            </select>
          ))}
          {field('fleet-kind', t('fleet.kind'), errors.kind, (
            <select id="fleet-kind" value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value })}>
              {KINDS.filter((k) => form.service === '108' || k !== 'ALS').map((k) => <option key={k} value={k}>{tx(`fleet.kind.${k}`, k)}</option>)}
            </select>
          ))}
          {field('fleet-base', t('fleet.base'), errors.baseFacilityId, (
            <select id="fleet-base" value={form.baseFacilityId} aria-invalid={!!errors.baseFacilityId} onChange={(e) => setForm({ ...form, baseFacilityId: e.target.value })}>
              {facilities.map((f) => <option key={f.id} value={f.id}>{`${f.name} (${f.type})`}</option>)}
            </select>
          ))}
          {field('fleet-device', t('fleet.deviceId'), errors.deviceId, (
            <input id="fleet-device" value={form.deviceId} autoComplete="off" aria-describedby="fleet-device-hint" aria-invalid={!!errors.deviceId} onChange={(e) => setForm({ ...form, deviceId: e.target.value })} />
          ))}
          <div className="sub" id="fleet-device-hint">{t('fleet.deviceHint')}</div>
          <button type="submit">{t('fleet.register')}</button>
        </form>
      )}

      <h2 id="fleet-vehicles">{t('fleet.vehicles')}</h2>
      {answer && <div className="table-meta" aria-live="polite">{t('fleet.total', { count: answer.total })}</div>}
      {answer && items.length === 0 && <p className="muted">{t('fleet.none')}</p>}
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="data-table" aria-labelledby="fleet-vehicles">
            <thead>
              <tr>
                <th scope="col">{t('fleet.registrationNumber')}</th>
                <th scope="col">{t('fleet.base')}</th>
                <th scope="col">{t('fleet.status')}</th>
                <th scope="col">{t('fleet.crew')}</th>
                <th scope="col">{t('fleet.lastPosition')}</th>
                <th scope="col">{t('fleet.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((v) => (
                <tr key={v.id}>
                  <th scope="row">{v.registrationNumber}<div className="sub">{`${v.service} · ${tx(`fleet.kind.${v.kind}`, v.kind)}`}</div></th>
                  <td>{v.baseFacilityName}</td>
                  <td>{tx(`dispatch.status.${v.status}`, v.status)}</td>
                  <td>
                    <div>{t('fleet.driverIs', { name: crewName(v.crew?.driver) })}</div>
                    <div>{t('fleet.emtIs', { name: crewName(v.crew?.emt) })}</div>
                  </td>
                  <td>{v.position ? formatDateTime(v.position.fixTime) : <span className="muted">{t('fleet.noPosition')}</span>}</td>
                  <td>
                    <div className="inline-form">
                      {mayCrew && (
                        <button type="button" className="small secondary" onClick={() => openCrew(v)}
                          aria-label={t('fleet.setCrewFor', { reg: v.registrationNumber })}>{t('fleet.setCrew')}</button>
                      )}
                      {mayStatus && v.status === 'available' && (
                        <button type="button" className="small secondary" onClick={() => void changeStatus(v, 'off_road')}
                          aria-label={t('fleet.offRoadFor', { reg: v.registrationNumber })}>{t('fleet.offRoad')}</button>
                      )}
                      {mayStatus && v.status === 'off_road' && (
                        <button type="button" className="small secondary" onClick={() => void changeStatus(v, 'available')}
                          aria-label={t('fleet.backFor', { reg: v.registrationNumber })}>{t('fleet.back')}</button>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {answer && <Pager offset={offset} pageSize={PAGE_SIZE} hasNext={offset + items.length < answer.total} onPage={setOffset} />}

      {crewFor && (
        <form className="facility-form" onSubmit={(e) => void saveCrew(e)} noValidate aria-labelledby="fleet-crew-title">
          <h2 id="fleet-crew-title">{t('fleet.crewTitle', { reg: crewFor.registrationNumber })}</h2>
          <p className="sub">{t('fleet.crewHint')}</p>
          {crewProblem && <Notice kind="error">{crewProblem}</Notice>}
          {field('crew-from', t('fleet.shiftFrom'), crewErrors.from, <input id="crew-from" type="datetime-local" value={crew.from} onChange={(e) => setCrewForm({ ...crew, from: e.target.value })} />)}
          {field('crew-to', t('fleet.shiftTo'), crewErrors.to, <input id="crew-to" type="datetime-local" value={crew.to} onChange={(e) => setCrewForm({ ...crew, to: e.target.value })} />)}
          <fieldset>
            <legend>{t('fleet.driver')}</legend>
            {field('crew-driver-name', t('fleet.driverName'), crewErrors.driverName, <input id="crew-driver-name" value={crew.driverName} autoComplete="off" onChange={(e) => setCrewForm({ ...crew, driverName: e.target.value })} />)}
            {field('crew-driver-mobile', t('fleet.driverMobile'), crewErrors.driverMobile, <input id="crew-driver-mobile" type="tel" inputMode="numeric" value={crew.driverMobile} autoComplete="off" onChange={(e) => setCrewForm({ ...crew, driverMobile: e.target.value })} />)}
          </fieldset>
          <fieldset>
            <legend>{t('fleet.emt')}</legend>
            {field('crew-emt-name', t('fleet.emtName'), crewErrors.emtName, <input id="crew-emt-name" value={crew.emtName} autoComplete="off" onChange={(e) => setCrewForm({ ...crew, emtName: e.target.value })} />)}
            {field('crew-emt-mobile', t('fleet.emtMobile'), crewErrors.emtMobile, <input id="crew-emt-mobile" type="tel" inputMode="numeric" value={crew.emtMobile} autoComplete="off" onChange={(e) => setCrewForm({ ...crew, emtMobile: e.target.value })} />)}
          </fieldset>
          <div>
            <button type="submit">{t('fleet.saveCrew')}</button>{' '}
            <button type="button" className="secondary" onClick={() => setCrewFor(null)}>{t('action.cancel')}</button>
          </div>
        </form>
      )}

      <NormsPanel reload={reload} />
    </section>
  );
}
