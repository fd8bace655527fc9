import { useEffect, useState } from 'react';
import { get } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { Pager } from '../../components/Pager.tsx';
import { formatDate, formatDateTime, useI18n } from '../../i18n/i18n.tsx';
import { replaceQuery } from '../../router.ts';
import { useMe } from '../auth/session.tsx';
import { useGeoScope } from '../geo/GeoScope.tsx';
import { unitName } from '../geo/geo.api.ts';
import { StatusBadge, useGrv } from './bits.tsx';
import { getNotifications, GRIEVANCE_STATUSES, GRIEVANCE_TYPES, listGrievances, type ListPage, type OfficerNotice } from './grievances.api.ts';

const PAGE = 25;
const PATH = '/grievances';

/** Days a ticket is past its due date (resolution, or first response while none was given), 0 when not. */
export function daysOverdue(due: string, now = Date.now()): number {
  const late = now - new Date(due).getTime();
  return late > 0 ? Math.max(1, Math.floor(late / 86_400_000)) : 0;
}

/**
 * Complaints of the officer's area (the server holds each officer to it): filters by status, type,
 * district and facility, kept in the address; pages of 25; overdue complaints marked in colour and words.
 */
export function OfficerListPage({ query }: { query: URLSearchParams }) {
  const { t, lang } = useI18n();
  const g = useGrv();
  const scope = useGeoScope();
  const me = useMe();
  const atFacility = me.orgUnit.level.toLowerCase() === 'facility';
  const status = query.get('status') ?? 'open';
  const type = query.get('type') ?? '';
  // A district officer (or anyone below) is held to their own area by the server: only a chosen district is sent.
  const district = scope.fixedDistrict ? '' : query.get('district') ?? '';
  const facilitiesOf = scope.fixedDistrict && !atFacility ? scope.fixedDistrict.id : district;
  const facility = query.get('facility') ?? '';
  const overdue = query.get('overdue') === '1';
  const offset = Math.max(0, Number(query.get('offset')) || 0);
  const [page, setPage] = useState<ListPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [facilities, setFacilities] = useState<{ id: string; name: string; nameHi?: string | null }[]>([]);

  const set = (changes: Record<string, string | undefined>) => {
    const next: Record<string, string | undefined> = { status, type, district: scope.fixedDistrict ? undefined : district, facility, overdue: overdue ? '1' : undefined, ...changes };
    // Any filter change starts at the first page again.
    if (!('offset' in changes)) next.offset = undefined;
    if (next.status === 'open') next.status = undefined;
    replaceQuery(PATH, next);
  };

  useEffect(() => {
    if (!scope.ready) return;
    const ctrl = new AbortController();
    setError(null);
    listGrievances({ status: status === 'all' ? undefined : status, type: type || undefined, district: district || undefined, facility: facility || undefined, overdue, limit: PAGE, offset }, ctrl.signal)
      .then(setPage)
      .catch((err) => { if (!ctrl.signal.aborted) { setPage(null); setError(g.error(err)); } });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [status, type, district, facility, overdue, offset, scope.ready]);

  useEffect(() => {
    setFacilities([]);
    if (!facilitiesOf) return;
    const ctrl = new AbortController();
    get<{ items: { id: string; name: string; nameHi?: string | null }[] }>('/api/facilities', { orgUnit: facilitiesOf, ownership: 'public', limit: 200 }, ctrl.signal)
      .then((r) => setFacilities(r.items)).catch(() => undefined);
    return () => ctrl.abort();
  }, [facilitiesOf]);

  return (
    <section aria-labelledby="grv-list-title" className="grv-list">
      <div className="page-head">
        <h1 id="grv-list-title">{t('grv.list.title')}</h1>
        <div className="actions"><a className="button secondary" href="#/grievances/figures">{t('nav.grievanceFigures')}</a></div>
      </div>
      <p className="lead">{t('grv.list.lead')}</p>
      <Told />
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label={t('grv.filter.show')}>
        <div className="field">
          <label htmlFor="grv-f-status">{t('grv.filter.status')}</label>
          <select id="grv-f-status" value={status} onChange={(e) => set({ status: e.target.value })}>
            <option value="open">{t('grv.filter.open')}</option>
            <option value="all">{t('grv.filter.all')}</option>
            {GRIEVANCE_STATUSES.map((s) => <option key={s} value={s}>{g.status(s)}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="grv-f-type">{t('grv.filter.type')}</label>
          <select id="grv-f-type" value={type} onChange={(e) => set({ type: e.target.value || undefined })}>
            <option value="">{t('grv.filter.all')}</option>
            {GRIEVANCE_TYPES.map((c) => <option key={c} value={c}>{g.type(c)}</option>)}
          </select>
        </div>
        {!scope.fixedDistrict && scope.districts.length > 0 && (
          <div className="field">
            <label htmlFor="grv-f-district">{t('grv.filter.district')}</label>
            <select id="grv-f-district" value={district} onChange={(e) => set({ district: e.target.value || undefined, facility: undefined })}>
              <option value="">{t('grv.filter.all')}</option>
              {scope.districts.map((d) => <option key={d.id} value={d.id}>{unitName(d, lang)}</option>)}
            </select>
          </div>
        )}
        {facilities.length > 0 && (
          <div className="field field-grow">
            <label htmlFor="grv-f-facility">{t('grv.filter.facility')}</label>
            <select id="grv-f-facility" value={facility} onChange={(e) => set({ facility: e.target.value || undefined })}>
              <option value="">{t('grv.filter.all')}</option>
              {facilities.map((f) => <option key={f.id} value={f.id}>{unitName(f, lang)}</option>)}
            </select>
          </div>
        )}
        <div className="field">
          <span>&nbsp;</span>
          <label className="radio"><input type="checkbox" checked={overdue} onChange={(e) => set({ overdue: e.target.checked ? '1' : undefined })} />{t('grv.filter.overdue')}</label>
        </div>
      </form>
      {error && <Notice kind="error">{error}</Notice>}
      {!page && !error && <Notice kind="info">{t('common.loading')}</Notice>}
      {page && (
        <>
          <p className="table-meta" role="status" data-testid="grv-total">{t('grv.list.total', { count: page.total })}</p>
          <div className="table-wrap">
            <table className="data-table grv-list-table">
              <thead>
                <tr>
                  <th scope="col">{t('grv.col.ticket')}</th>
                  <th scope="col">{t('grv.col.type')}</th>
                  <th scope="col" className="hide-narrow">{t('grv.col.place')}</th>
                  <th scope="col">{t('grv.col.status')}</th>
                  <th scope="col" className="hide-narrow">{t('grv.col.level')}</th>
                  <th scope="col" className="hide-narrow">{t('grv.col.filed')}</th>
                  <th scope="col">{t('grv.col.due')}</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((i) => {
                  const due = i.firstRespondedAt ? i.resolutionDue : i.firstResponseDue;
                  const late = i.overdue ? daysOverdue(due) : 0;
                  return (
                    <tr key={i.id} className={i.overdue ? 'grv-row-overdue' : undefined} data-ticket={i.ticketNumber}>
                      <td><a href={`#/grievances/${encodeURIComponent(i.ticketNumber)}`} aria-label={t('grv.open', { ticket: i.ticketNumber })}>{i.ticketNumber}</a></td>
                      <td>{g.type(i.type)}</td>
                      <td className="hide-narrow">{i.facilityName ?? i.districtName}{i.facilityName && <div className="sub">{i.districtName}</div>}</td>
                      <td>
                        <StatusBadge status={i.status} />
                        {i.overdue && <> <span className="badge grv-overdue">{t('grv.overdue')}</span></>}
                      </td>
                      <td className="hide-narrow">{g.level(i.level)}{i.assignedTo && <div className="sub">{i.assignedTo.name}</div>}</td>
                      <td className="hide-narrow nowrap">{formatDate(i.filedAt)}</td>
                      <td className="nowrap">{formatDate(i.resolutionDue)}{late > 0 && <div className="sub grv-late">{t('grv.overdueBy', { count: late })}</div>}</td>
                    </tr>
                  );
                })}
                {page.items.length === 0 && <tr><td colSpan={7} className="empty">{t('grv.list.empty')}</td></tr>}
              </tbody>
            </table>
          </div>
          <Pager offset={offset} pageSize={PAGE} hasNext={offset + page.items.length < page.total} onPage={(o) => set({ offset: o ? String(o) : undefined })} />
        </>
      )}
    </section>
  );
}

const TOLD_DAYS = 14;
const TOLD_SHOWN = 5;

/** Escalations and appeals the officers of the caller's level were told of lately, newest first, each linked to its ticket. */
function Told() {
  const { t } = useI18n();
  const g = useGrv();
  const [items, setItems] = useState<OfficerNotice[]>([]);
  useEffect(() => {
    const ctrl = new AbortController();
    const since = Date.now() - TOLD_DAYS * 86_400_000;
    getNotifications(ctrl.signal)
      .then((r) => setItems(r.items.filter((n) => new Date(n.at).getTime() >= since).sort((a, b) => b.at.localeCompare(a.at))))
      .catch(() => undefined);
    return () => ctrl.abort();
  }, []);
  if (!items.length) return null;
  return (
    <section className="panel grv-told" aria-labelledby="grv-told-title" data-testid="grv-told">
      <h2 id="grv-told-title">{t('grv.notes.title')}</h2>
      <ul>
        {items.slice(0, TOLD_SHOWN).map((n) => (
          <li key={n.id}>
            <strong>{g.event(n.kind)}</strong>{' · '}
            <a href={`#/grievances/${encodeURIComponent(n.ticketNumber)}`}>{n.ticketNumber}</a>
            <span className="muted"> · {formatDateTime(n.at)}</span>
            <div className="sub muted">{n.text}</div>
          </li>
        ))}
      </ul>
      {items.length > TOLD_SHOWN && <p className="muted">{t('grv.notes.more', { count: items.length - TOLD_SHOWN })}</p>}
    </section>
  );
}
