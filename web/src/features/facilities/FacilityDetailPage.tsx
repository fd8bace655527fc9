import { useEffect, useState, type ReactNode } from 'react';
import { ApiError } from '../../api.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { takeFlash } from '../../components/Flash.tsx';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { navigate } from '../../router.ts';
import { can, useMe } from '../auth/session.tsx';
import { unitName } from '../geo/geo.api.ts';
import { deleteFacility, getFacility, markRegistered, type Facility } from './facilities.api.ts';
import { StatusBadge } from './StatusBadge.tsx';
import { UpgradeHistory } from './UpgradeHistory.tsx';

export function FacilityDetailPage({ id }: { id: string }) {
  const { t, tx, num, date, lang } = useI18n();
  const me = useMe();
  const [facility, setFacility] = useState<Facility | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(takeFlash);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);

  useEffect(() => {
    const ctrl = new AbortController();
    getFacility(id, ctrl.signal)
      .then(setFacility)
      .catch((err) => !ctrl.signal.aborted && setError(err instanceof ApiError ? err.message : t('error.network')));
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id]);

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await action();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : t('error.network'));
    } finally {
      setBusy(false);
    }
  }

  const register = () =>
    run(async () => {
      setFacility(await markRegistered(id));
      setNotice(t('detail.registeredDone'));
    });

  const remove = () =>
    run(async () => {
      await deleteFacility(id);
      setConfirming(false);
      navigate('/facilities');
    });

  if (!facility) {
    return error ? <Notice kind="error">{error}</Notice> : <Notice kind="info">{t('common.loading')}</Notice>;
  }

  const f = facility;
  const title = lang === 'hi' && f.nameHi ? f.nameHi : f.name;
  const ref = (u: Facility['district']) => (u ? unitName(u, lang) : '—');
  const text = (s: string | null | undefined) => (s ? s : '—');
  const rows: [string, ReactNode][] = [
    [t('field.name'), f.name],
    [t('field.nameHi'), <span lang="hi">{text(f.nameHi)}</span>],
    [t('field.type'), tx(`type.${f.type}`, f.type)],
    [t('field.ownership'), tx(`ownership.${f.ownership}`, f.ownership)],
    [t('field.system'), tx(`system.${f.system}`, f.system)],
    ...(f.system === 'ayush' ? [[t('field.ayushSystem'), f.ayushSystem ? tx(`ayushSystem.${f.ayushSystem}`, f.ayushSystem) : '—'] as [string, ReactNode]] : []),
    [t('field.portalStatus'), <StatusBadge status={f.portalStatus} />],
    [t('field.registeredOn'), date(f.registeredOn)],
    [t('field.hfrId'), text(f.hfrId)],
    [t('field.state'), ref(f.state)],
    [t('field.district'), ref(f.district)],
    [t('field.block'), ref(f.block)],
    [t('field.latitude'), f.latitude ?? '—'],
    [t('field.longitude'), f.longitude ?? '—'],
    [t('field.address'), text(f.address)],
    [t('field.pincode'), text(f.pincode)],
    [t('field.phone'), text(f.phone)],
    [t('field.email'), text(f.email)],
    [t('field.beds'), num(f.beds)],
    [t('field.hwc'), f.hwc ? `${t('common.yes')}${f.hwcSince ? ` (${t('detail.since', { date: date(f.hwcSince) })})` : ''}` : t('common.no')],
    [t('field.createdAt'), date(f.createdAt)],
    [t('field.updatedAt'), date(f.updatedAt)],
  ];

  return (
    <section aria-labelledby="detail-title">
      {/* Staff of one facility have no registry to go back to: their facility is all of it they see. */}
      {me.orgUnit.level.toLowerCase() !== 'facility' && <p className="breadcrumb"><a href="#/facilities">← {t('facilities.title')}</a></p>}
      <div className="page-head">
        <h1 id="detail-title">{title}</h1>
        <div className="actions">
          {f.portalStatus !== 'registered' && can(me, 'can_update_facility') && (
            <button type="button" onClick={register} disabled={busy}>{t('detail.markRegistered')}</button>
          )}
          {can(me, 'can_update_facility') && (
            <a className="button secondary" href={`#/facilities/${encodeURIComponent(f.id)}/edit`}>{t('action.edit')}</a>
          )}
          {can(me, 'can_delete_facility') && (
            <button type="button" className="danger" onClick={() => setConfirming(true)} disabled={busy}>
              {t('action.delete')}
            </button>
          )}
        </div>
      </div>
      {error && <Notice kind="error">{error}</Notice>}
      {notice && <Notice kind="success">{notice}</Notice>}
      <div className="detail-grid">
        <dl className="facts">
          {rows.map(([label, value]) => (
            <div key={label} className="fact">
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
        <div>
          <h2>{t('detail.equipment')}</h2>
          <dl className="facts facts-compact">
            <div className="fact"><dt>{t('field.desktops')}</dt><dd>{num(f.desktops ?? 0)}</dd></div>
            <div className="fact"><dt>{t('field.webcams')}</dt><dd>{num(f.webcams ?? 0)}</dd></div>
            {equipmentRows(f.equipment).map(([k, v]) => (
              <div className="fact" key={k}><dt>{tx(`field.${k}`, k)}</dt><dd>{v}</dd></div>
            ))}
          </dl>
          <h2>{t('detail.upgrades')}</h2>
          <UpgradeHistory upgrades={f.upgrades ?? []} />
        </div>
      </div>
      <ConfirmDialog
        open={confirming}
        title={t('detail.deleteTitle')}
        confirmLabel={t('action.delete')}
        cancelLabel={t('action.cancel')}
        busy={busy}
        danger
        onConfirm={remove}
        onCancel={() => setConfirming(false)}
      >
        <p>{t('detail.deleteQuestion', { name: title })}</p>
        <p className="muted">{t('detail.deleteWarning')}</p>
      </ConfirmDialog>
    </section>
  );
}

/** Any further equipment the server sends, as label/value pairs (desktops and webcams shown above). */
function equipmentRows(equipment: unknown): [string, string][] {
  if (!equipment || typeof equipment !== 'object' || Array.isArray(equipment)) return [];
  return Object.entries(equipment as Record<string, unknown>)
    .filter(([k, v]) => k !== 'desktops' && k !== 'webcams' && (typeof v === 'number' || typeof v === 'string'))
    .map(([k, v]) => [k, String(v)]);
}
