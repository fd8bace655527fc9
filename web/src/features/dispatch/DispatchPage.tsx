// The dispatcher's screen (#/dispatch): the live map of the area (vehicles by status moving as their
// positions arrive, open calls, facilities, district outlines), the call-taking form (the place by a
// click on the map, or a village), the suggested vehicles with Assign, and the trip's steps.
import { lazy, Suspense, useCallback, useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { ApiError, get } from '../../api.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Notice } from '../../components/Notice.tsx';
import { useApiErrors } from '../../components/useApiErrors.ts';
import { formatDateTime, useI18n } from '../../i18n/i18n.tsx';
import { useMe } from '../auth/session.tsx';
import { facilityPoints } from '../facilities/facilities.api.ts';
import { getBoundaries, unitName, type Feature } from '../geo/geo.api.ts';
import { useGeoScope } from '../geo/GeoScope.tsx';
import { getMapSettings, type MapSettings } from '../map/map.api.ts';
import {
  ACTIVE_TRIP, assign, cancelCall, createCall, declineTrip, getCall, nearest, nextStep, stepTrip,
  type CallDetail, type LiveCall, type LiveVehicle, type Service, type Suggested,
} from './dispatch.api.ts';
import type { FacilityDot } from './DispatchMap.tsx';
import { useLiveMap } from './live.ts';

const DispatchMap = lazy(() => import('./DispatchMap.tsx'));

const STATUSES = ['available', 'dispatched', 'on_trip', 'off_road'] as const;
const HOSPITAL_TYPES = new Set(['DH', 'SDH', 'CHC', 'PHC', 'MC', 'PRIVATE_HOSPITAL', 'NURSING_HOME']);

interface Village { id: string; name: string; nameHi?: string | null; level: string }

export function DispatchPage() {
  const { t, tx, num, lang } = useI18n();
  const me = useMe();
  const scope = useGeoScope();
  const apiErrors = useApiErrors();
  const id = useId();
  const live = useLiveMap();

  const [settings, setSettings] = useState<MapSettings | null>(null);
  const [features, setFeatures] = useState<Feature[]>([]);
  const [facilities, setFacilities] = useState<(FacilityDot & { type: string })[]>([]);
  const [notice, setNotice] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);

  // The call being taken.
  const [phone, setPhone] = useState('');
  const [callerName, setCallerName] = useState('');
  const [complaint, setComplaint] = useState('');
  const [service, setService] = useState<Service>('108');
  const [pregnancy, setPregnancy] = useState('');
  const [picked, setPicked] = useState<{ latitude: number; longitude: number } | null>(null);
  const [villageQuery, setVillageQuery] = useState('');
  const [villages, setVillages] = useState<Village[]>([]);
  const [village, setVillage] = useState<Village | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  // The call being worked: its detail, the vehicles suggested for it.
  const [selected, setSelected] = useState<string | null>(null);
  const [detail, setDetail] = useState<CallDetail | null>(null);
  const [suggested, setSuggested] = useState<Suggested[] | null>(null);
  const [destination, setDestination] = useState('');
  const [asking, setAsking] = useState<null | { kind: 'cancel' | 'decline'; reason: string }>(null);

  const area = scope.fixedDistrict?.id ?? me.orgUnit.id;

  useEffect(() => {
    getMapSettings().then(setSettings, () => setSettings({ tileUrl: null, attribution: null }));
  }, []);
  // A message of the moment is not carried over to the other language.
  useEffect(() => { setNotice(null); }, [lang]);
  useEffect(() => {
    if (!scope.ready) return;
    const ctrl = new AbortController();
    getBoundaries(area, ctrl.signal).then((fc) => setFeatures(fc.features ?? []), () => setFeatures([]));
    const district = scope.fixedDistrict?.id;
    facilityPoints(district ? { district } : { state: scope.stateId ?? undefined }, ctrl.signal)
      .then((r) => setFacilities(r.items.filter((f) => f.latitude != null && f.longitude != null)
        .map((f) => ({ id: f.id, name: f.name, type: f.type, latitude: f.latitude as number, longitude: f.longitude as number }))), () => undefined);
    return () => ctrl.abort();
  }, [scope.ready, area, scope.fixedDistrict?.id, scope.stateId]);

  // Villages of the area whose name holds what was typed.
  useEffect(() => {
    const q = villageQuery.trim();
    if (q.length < 2) { setVillages([]); return; }
    const ctrl = new AbortController();
    const timer = setTimeout(() => {
      get<{ items: Village[] }>(`/api/geo/units/${encodeURIComponent(area)}/places`, { q, limit: 20 }, ctrl.signal)
        .then((r) => setVillages(r.items.filter((p) => p.level === 'village')), () => undefined);
    }, 250);
    return () => { clearTimeout(timer); ctrl.abort(); };
  }, [villageQuery, area]);

  const vehicles = useMemo(() => [...live.vehicles.values()], [live.vehicles]);
  const calls = useMemo(() => [...live.calls.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt)), [live.calls]);
  const liveCall = selected ? live.calls.get(selected) ?? null : null;
  const counts = useMemo(() => {
    const c: Record<string, number> = {};
    for (const v of vehicles) c[v.status] = (c[v.status] ?? 0) + 1;
    return c;
  }, [vehicles]);

  // The selected call's detail, read again whenever the live map says it changed.
  const callKey = liveCall ? `${liveCall.status}|${liveCall.trip?.id ?? ''}|${liveCall.trip?.status ?? ''}` : '';
  const refresh = useCallback(async (callId: string) => {
    try {
      setDetail(await getCall(callId));
    } catch (err) {
      setNotice({ kind: 'error', text: apiErrors.error(err) });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lang]);
  useEffect(() => {
    if (!selected) { setDetail(null); return; }
    void refresh(selected);
  }, [selected, callKey, refresh]);

  const waiting = detail && detail.status === 'waiting';
  const suggestFor = waiting ? `${detail.id}|${detail.latitude}|${detail.longitude}|${detail.service}` : '';
  useEffect(() => {
    if (!waiting || !detail) { setSuggested(null); return; }
    const ctrl = new AbortController();
    nearest({ latitude: detail.latitude, longitude: detail.longitude, service: detail.service as Service }, ctrl.signal)
      .then((r) => setSuggested(r.items), (err) => !ctrl.signal.aborted && setNotice({ kind: 'error', text: apiErrors.error(err) }));
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [suggestFor, counts.available]);

  const trip = detail?.trips.find((x) => ACTIVE_TRIP.includes(x.status)) ?? null;

  const vehicleLabel = useCallback((v: LiveVehicle) => t('dispatch.vehicleLabel', { reg: v.registrationNumber, service: v.service, status: tx(`dispatch.status.${v.status}`, v.status) }), [t, tx]);
  const callLabel = useCallback((c: LiveCall) => t('dispatch.callLabel', { service: c.service, complaint: c.complaint, status: tx(`dispatch.callStatus.${c.status}`, c.status) }), [t, tx]);
  const labels = useMemo(() => ({ zoomIn: t('map.zoomIn'), zoomOut: t('map.zoomOut'), picked: t('dispatch.pickedLabel'), vehicle: vehicleLabel, call: callLabel }), [t, vehicleLabel, callLabel]);
  const onPick = useCallback((latitude: number, longitude: number) => { setPicked({ latitude, longitude }); setFieldErrors((f) => ({ ...f, latitude: '' })); }, []);
  const onSelectCall = useCallback((callId: string) => { setSelected(callId); setNotice(null); }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setNotice(null);
    if (!picked || !Number.isFinite(picked.latitude) || !Number.isFinite(picked.longitude)) { setFieldErrors({ latitude: t('dispatch.placeNeeded') }); return; }
    setBusy(true);
    setFieldErrors({});
    try {
      const made = await createCall({
        callerPhone: phone.trim(), callerName: callerName.trim() || undefined, complaint: complaint.trim(), service,
        latitude: picked.latitude, longitude: picked.longitude, villageId: village?.id,
        pregnancyRegistrationNumber: service === '102' && pregnancy.trim() ? pregnancy.trim() : undefined,
      });
      setNotice({ kind: 'success', text: t('dispatch.callTaken') });
      setPhone(''); setCallerName(''); setComplaint(''); setPregnancy(''); setPicked(null); setVillage(null); setVillageQuery('');
      setSelected(made.id);
    } catch (err) {
      setFieldErrors(apiErrors.fields(err));
      setNotice({ kind: 'error', text: apiErrors.error(err) });
    } finally {
      setBusy(false);
    }
  };

  const act = async (what: () => Promise<unknown>, done: string) => {
    if (!detail) return;
    setBusy(true);
    setNotice(null);
    try {
      await what();
      setNotice({ kind: 'success', text: done });
      await refresh(detail.id);
    } catch (err) {
      const conflict = err instanceof ApiError && err.status === 409;
      setNotice({ kind: 'error', text: conflict ? `${apiErrors.error(err)} ${t('dispatch.conflictHint')}` : apiErrors.error(err) });
      await refresh(detail.id);
    } finally {
      setBusy(false);
    }
  };

  // A place only when both coordinates are there (typed ones may be half done).
  const place = picked && Number.isFinite(picked.latitude) && Number.isFinite(picked.longitude) ? picked : null;
  const step = trip ? nextStep(trip.status) : null;
  const hospitals = facilities.filter((f) => HOSPITAL_TYPES.has(f.type));
  const ask = asking;

  return (
    <section aria-labelledby="dispatch-title" className="dispatch-page">
      <div className="page-head">
        <h1 id="dispatch-title">{t('dispatch.title')}</h1>
        <p className={`dispatch-live${live.connected ? ' on' : ''}`} role="status">
          <span className="dot" aria-hidden="true" />{live.connected ? t('dispatch.live') : t('dispatch.offline')}
        </p>
      </div>
      {live.error && <Notice kind="error">{live.error}</Notice>}
      <ul className="legend" aria-label={t('map.legend')}>
        {STATUSES.map((s) => (
          <li key={s}><span className={`swatch swatch-veh-${s}`} aria-hidden="true" />{t(`dispatch.status.${s}`)} ({num(counts[s] ?? 0)})</li>
        ))}
        <li><span className="swatch swatch-call" aria-hidden="true" />{t('dispatch.openCalls', { count: calls.length })}</li>
        {features.length > 0 && <li><span className="swatch swatch-outline" aria-hidden="true" />{t('map.outline')}</li>}
      </ul>
      <div className="dispatch-layout">
        <figure className="map-figure">
          {settings === null ? <Notice kind="info">{t('common.loading')}</Notice> : (
            <Suspense fallback={<Notice kind="info">{t('common.loading')}</Notice>}>
              <DispatchMap
                features={features} facilities={facilities} vehicles={vehicles} calls={calls} picked={place}
                selectedCallId={selected} onPick={onPick} onSelectCall={onSelectCall} settings={settings} lang={lang}
                label={t('dispatch.mapLabel', { count: vehicles.length })} labels={labels}
              />
            </Suspense>
          )}
          {settings && !settings.tileUrl && <figcaption className="muted">{t('dispatch.noTiles')}</figcaption>}
        </figure>

        <div className="dispatch-side">
          {notice && <Notice kind={notice.kind}>{notice.text}</Notice>}

          {detail ? (
            <section className="panel" aria-labelledby={`${id}-call`}>
              <h2 id={`${id}-call`}>{t('dispatch.callTitle', { service: detail.service, status: tx(`dispatch.callStatus.${detail.status}`, detail.status) })}</h2>
              <p>{detail.complaint}</p>
              <p className="muted">{[detail.callerName, detail.callerPhoneMasked, formatDateTime(detail.createdAt)].filter(Boolean).join(' · ')}</p>

              {waiting && (
                <div aria-labelledby={`${id}-suggested`} role="region">
                  <h3 id={`${id}-suggested`}>{t('dispatch.suggested')}</h3>
                  {suggested === null && <p className="muted">{t('common.loading')}</p>}
                  {suggested && suggested.length === 0 && <p className="muted">{t('dispatch.noneFree', { service: detail.service })}</p>}
                  {suggested && suggested.length > 0 && (
                    <ul className="dispatch-list" aria-label={t('dispatch.suggested')}>
                      {suggested.map((s, i) => (
                        <li key={s.id}>
                          <span>
                            <strong>{s.registrationNumber}</strong> {s.kind} · {t('dispatch.distance', { km: num(s.distanceKm), minutes: s.etaMinutes })}
                            <br /><span className="muted">{s.baseFacilityName}</span>
                          </span>
                          <button type="button" className={i === 0 ? '' : 'secondary'} disabled={busy}
                            aria-label={t('dispatch.assignVehicle', { reg: s.registrationNumber })}
                            onClick={() => void act(() => assign(detail.id, s.id), t('dispatch.assigned', { reg: s.registrationNumber }))}>
                            {t('dispatch.assign')}
                          </button>
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
              )}

              {trip && (
                <div role="region" aria-labelledby={`${id}-trip`}>
                  <h3 id={`${id}-trip`}>{t('dispatch.tripTitle', { reg: trip.registrationNumber })}</h3>
                  <p className="muted">{t('dispatch.tripStatus', { status: tx(`dispatch.callStatus.${trip.status}`, trip.status) })}
                    {trip.distanceKm != null && trip.etaMinutes != null && <> · {t('dispatch.distance', { km: num(trip.distanceKm), minutes: trip.etaMinutes })}</>}</p>
                  <ol className="dispatch-steps" aria-label={t('dispatch.steps')}>
                    {detail.steps.filter((s) => !s.tripId || s.tripId === trip.id).map((s, i) => (
                      <li key={`${s.step}-${i}`}>{tx(`dispatch.step.${s.step}`, s.step)} · {formatDateTime(s.at)}{s.by ? ` · ${s.by.name}` : ''}</li>
                    ))}
                  </ol>
                  {step === 'left_scene' && (
                    <div className="field">
                      <label htmlFor={`${id}-dest`}>{t('dispatch.destination')}</label>
                      <select id={`${id}-dest`} value={destination} onChange={(e) => setDestination(e.target.value)}>
                        <option value="">{t('dispatch.destinationNone')}</option>
                        {hospitals.map((h) => <option key={h.id} value={h.id}>{h.name}</option>)}
                      </select>
                    </div>
                  )}
                  <div className="form-actions">
                    {step && (
                      <button type="button" disabled={busy}
                        onClick={() => void act(() => stepTrip(trip.id, step, step === 'left_scene' && destination ? destination : undefined), t('dispatch.stepDone', { step: t(`dispatch.step.${step}`) }))}>
                        {t(`dispatch.do.${step}`)}
                      </button>
                    )}
                    {(trip.status === 'assigned' || trip.status === 'en_route') && (
                      <button type="button" className="secondary" disabled={busy} onClick={() => setAsking({ kind: 'decline', reason: '' })}>{t('dispatch.decline')}</button>
                    )}
                  </div>
                </div>
              )}

              <div className="form-actions">
                {['waiting', 'assigned', 'en_route'].includes(detail.status) && (
                  <button type="button" className="danger" disabled={busy} onClick={() => setAsking({ kind: 'cancel', reason: '' })}>{t('dispatch.cancelCall')}</button>
                )}
                <button type="button" className="secondary" onClick={() => { setSelected(null); setNotice(null); }}>{t('dispatch.newCall')}</button>
              </div>
            </section>
          ) : (
            <form className="panel dispatch-form" onSubmit={submit} aria-labelledby={`${id}-take`} noValidate>
              <h2 id={`${id}-take`}>{t('dispatch.takeCall')}</h2>
              <div className="row">
                <div className="field">
                  <label htmlFor={`${id}-phone`}>{t('dispatch.phone')}</label>
                  <input id={`${id}-phone`} value={phone} onChange={(e) => setPhone(e.target.value)} required inputMode="tel" maxLength={20} autoComplete="off"
                    aria-invalid={!!fieldErrors.callerPhone} aria-describedby={fieldErrors.callerPhone ? `${id}-phone-err` : undefined} />
                  {fieldErrors.callerPhone && <small className="error" id={`${id}-phone-err`}>{fieldErrors.callerPhone}</small>}
                </div>
                <div className="field">
                  <label htmlFor={`${id}-name`}>{t('dispatch.callerName')}</label>
                  <input id={`${id}-name`} value={callerName} onChange={(e) => setCallerName(e.target.value)} maxLength={100} autoComplete="off" />
                </div>
              </div>
              <div className="field">
                <label htmlFor={`${id}-complaint`}>{t('dispatch.complaint')}</label>
                <input id={`${id}-complaint`} value={complaint} onChange={(e) => setComplaint(e.target.value)} required maxLength={500}
                  aria-invalid={!!fieldErrors.complaint} aria-describedby={fieldErrors.complaint ? `${id}-complaint-err` : undefined} />
                {fieldErrors.complaint && <small className="error" id={`${id}-complaint-err`}>{fieldErrors.complaint}</small>}
              </div>
              <fieldset className="field">
                <legend>{t('dispatch.service')}</legend>
                <label><input type="radio" name={`${id}-service`} value="108" checked={service === '108'} onChange={() => setService('108')} /> {t('dispatch.service108')}</label>{' '}
                <label><input type="radio" name={`${id}-service`} value="102" checked={service === '102'} onChange={() => setService('102')} /> {t('dispatch.service102')}</label>
              </fieldset>
              {service === '102' && (
                <div className="field">
                  <label htmlFor={`${id}-preg`}>{t('dispatch.pregnancy')}</label>
                  <input id={`${id}-preg`} value={pregnancy} onChange={(e) => setPregnancy(e.target.value)} inputMode="numeric" maxLength={20} autoComplete="off" className="mono" />
                  {fieldErrors.pregnancyRegistrationNumber && <small className="error">{fieldErrors.pregnancyRegistrationNumber}</small>}
                </div>
              )}
              <div className="field">
                <label htmlFor={`${id}-village`}>{t('dispatch.village')}</label>
                <input id={`${id}-village`} list={`${id}-villages`} value={villageQuery} autoComplete="off"
                  onChange={(e) => {
                    const v = e.target.value;
                    setVillageQuery(v);
                    setVillage(villages.find((x) => unitName(x, lang) === v || x.name === v) ?? null);
                  }} />
                <datalist id={`${id}-villages`}>{villages.map((v) => <option key={v.id} value={unitName(v, lang)} />)}</datalist>
                {fieldErrors.villageId && <small className="error">{fieldErrors.villageId}</small>}
              </div>
              <p className="dispatch-place" aria-live="polite">
                {picked && Number.isFinite(picked.latitude) && Number.isFinite(picked.longitude)
                  ? t('dispatch.picked', { lat: picked.latitude.toFixed(5), lon: picked.longitude.toFixed(5) }) : t('dispatch.pickHint')}
              </p>
              <details className="dispatch-coords">
                <summary>{t('dispatch.coords')}</summary>
                <div className="row">
                  <div className="field">
                    <label htmlFor={`${id}-lat`}>{t('dispatch.latitude')}</label>
                    <input id={`${id}-lat`} type="number" step="0.00001" min={6} max={37.6} inputMode="decimal" value={picked && Number.isFinite(picked.latitude) ? picked.latitude : ''}
                      onChange={(e) => { const v = Number(e.target.value); if (e.target.value && Number.isFinite(v)) setPicked((p) => ({ latitude: v, longitude: p?.longitude ?? Number.NaN })); }} />
                  </div>
                  <div className="field">
                    <label htmlFor={`${id}-lon`}>{t('dispatch.longitude')}</label>
                    <input id={`${id}-lon`} type="number" step="0.00001" min={68} max={97.5} inputMode="decimal" value={picked && Number.isFinite(picked.longitude) ? picked.longitude : ''}
                      onChange={(e) => { const v = Number(e.target.value); if (e.target.value && Number.isFinite(v)) setPicked((p) => ({ latitude: p?.latitude ?? Number.NaN, longitude: v })); }} />
                  </div>
                </div>
              </details>
              {fieldErrors.latitude && <p className="error" role="alert">{fieldErrors.latitude}</p>}
              <div className="form-actions">
                <button type="submit" disabled={busy}>{t('dispatch.saveCall')}</button>
              </div>
            </form>
          )}

          <section className="panel" aria-labelledby={`${id}-open`}>
            <h2 id={`${id}-open`}>{t('dispatch.openCalls', { count: calls.length })}</h2>
            {calls.length === 0 ? <p className="muted">{t('dispatch.noCalls')}</p> : (
              <ul className="dispatch-list" aria-label={t('dispatch.callsList')}>
                {calls.map((c) => (
                  <li key={c.id} aria-current={c.id === selected ? 'true' : undefined}>
                    <span>
                      <strong>{c.service}</strong> {c.complaint}
                      <br /><span className="muted">{tx(`dispatch.callStatus.${c.status}`, c.status)}{c.trip ? ` · ${c.trip.registrationNumber}` : ''} · {formatDateTime(c.createdAt)}</span>
                    </span>
                    <button type="button" className="secondary" onClick={() => onSelectCall(c.id)}>{t('dispatch.open')}</button>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      </div>

      <ConfirmDialog
        open={!!ask}
        title={ask?.kind === 'cancel' ? t('dispatch.cancelTitle') : t('dispatch.declineTitle')}
        confirmLabel={ask?.kind === 'cancel' ? t('dispatch.cancelConfirm') : t('dispatch.declineConfirm')}
        cancelLabel={t('dispatch.keep')}
        danger={ask?.kind === 'cancel'}
        busy={busy}
        onCancel={() => setAsking(null)}
        onConfirm={() => {
          if (!ask || !detail || !ask.reason.trim()) return;
          const reason = ask.reason.trim();
          setAsking(null);
          if (ask.kind === 'cancel') void act(() => cancelCall(detail.id, reason), t('dispatch.cancelled'));
          else if (trip) void act(() => declineTrip(trip.id, reason), t('dispatch.declined', { reg: trip.registrationNumber }));
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-reason`}>{t('dispatch.reason')}</label>
          <input id={`${id}-reason`} value={ask?.reason ?? ''} maxLength={500} required onChange={(e) => setAsking((a) => (a ? { ...a, reason: e.target.value } : a))} />
        </div>
      </ConfirmDialog>
    </section>
  );
}
