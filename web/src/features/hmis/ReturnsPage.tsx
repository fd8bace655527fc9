import { useCallback, useEffect, useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { href, replaceQuery } from '../../router.ts';
import { can, useMe } from '../auth/session.tsx';
import { useGeoScope } from '../geo/GeoScope.tsx';
import { unitName } from '../geo/geo.api.ts';
import { DefaultersList } from './DefaultersList.tsx';
import { FailingRules } from './FailingRules.tsx';
import { ApiError } from '../../api.ts';
import { DEFAULT_DATA_SET } from './EntryPage.tsx';
import {
  getOutliers, getReview, listDataSets, listReturns, remindDefaulters, reportingRates, returnStep, RETURN_STATUSES,
  type FailingRule, type OutlierItem, type StepExtra, type RatesAnswer, type ReturnItem, type ReminderOutcome,
} from './hmis.api.ts';
import { dueDate, isMonthly, lastMonth, monthLabel, recentMonths } from './months.ts';
import { OutlierList } from './OutlierList.tsx';
import { RatesBreakdown } from './RatesBreakdown.tsx';
import { ReasonDialog } from './ReasonDialog.tsx';
import { ReturnBadge } from './ReturnBadge.tsx';
import { ReturnsTable, type RowAction } from './ReturnsTable.tsx';
import { Pager } from '../../components/Pager.tsx';

interface Data { rates: RatesAnswer; byType: RatesAnswer | null; byOwnership: RatesAnswer | null; items: ReturnItem[]; summary: Record<string, number>; total: number }

/** Facilities a page: a screen or two of rows, not the 14,000 px a district's every facility made. */
const PAGE_SIZES = [25, 50, 100];
const DEFAULT_SIZE = 25;

export function ReturnsPage({ query }: { query: URLSearchParams }) {
  const { t, num, lang } = useI18n();
  const me = useMe();
  const scope = useGeoScope();
  const dataSet = query.get('dataSet') || DEFAULT_DATA_SET;
  const period = isMonthly(query.get('period')) ? query.get('period')! : lastMonth();
  const orgUnit = scope.fixedDistrict?.id ?? query.get('orgUnit') ?? scope.districts[0]?.id ?? '';
  const status = query.get('status') ?? '';
  const offset = Math.max(0, Number(query.get('offset')) || 0);
  const pageSize = PAGE_SIZES.includes(Number(query.get('size'))) ? Number(query.get('size')) : DEFAULT_SIZE;
  const ref = { dataSet, period, orgUnit };
  const [data, setData] = useState<Data | null>(null);
  const [outliers, setOutliers] = useState<OutlierItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [msg, setMsg] = useState<string | null>(null);
  // The last round of reminders: what was queued, sent and failed, and the facilities nobody could reach.
  const [reminded, setReminded] = useState<ReminderOutcome | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [pending, setPending] = useState<RowAction | null>(null);
  const [dialogError, setDialogError] = useState<string | null>(null);
  // A return with failing validation rules, shown with the facility's comments before it is approved.
  const [approving, setApproving] = useState<{ a: RowAction; rules: FailingRule[] } | null>(null);
  const [remind, setRemind] = useState<'closed' | 'open' | 'busy'>('closed');
  const [version, setVersion] = useState(0);
  const [timelyDays, setTimelyDays] = useState(5);
  const canApprove = can(me, 'can_approve_data');
  const canAccept = canApprove && ['admin', 'state_officer'].includes(me.role);

  // A new filter starts at the first page; paging keeps the filters (all of them are in the address).
  const setQuery = (next: Record<string, string | undefined>) =>
    replaceQuery('/hmis/returns', {
      dataSet, period, orgUnit: orgUnit || undefined, status: status || undefined,
      size: pageSize === DEFAULT_SIZE ? undefined : String(pageSize), offset: undefined, ...next,
    });

  useEffect(() => {
    listDataSets()
      .then((r) => {
        const ds = r.items.find((d) => d.code === dataSet || d.id === dataSet);
        if (ds) setTimelyDays(ds.timelyDays);
      })
      .catch(() => undefined);
  }, [dataSet]);

  useEffect(() => {
    if (!orgUnit) return;
    const ctrl = new AbortController();
    const r = { dataSet, period, orgUnit };
    setError(null);
    Promise.all([
      reportingRates(r, undefined, ctrl.signal),
      reportingRates(r, 'type', ctrl.signal).catch(() => null),
      reportingRates(r, 'ownership', ctrl.signal).catch(() => null),
      listReturns(r, ctrl.signal, { status: status || undefined, limit: pageSize, offset }),
    ])
      .then(([rates, byType, byOwnership, list]) => setData({ rates, byType, byOwnership, items: list.items, summary: list.summary, total: list.total }))
      .catch((err) => !ctrl.signal.aborted && setError(err instanceof Error ? err.message : String(err)));
    getOutliers(r, ctrl.signal).then((o) => setOutliers(o ? o.items : null)).catch(() => setOutliers(null));
    return () => ctrl.abort();
  }, [dataSet, period, orgUnit, version, status, offset, pageSize]);

  const act = useCallback(async (a: RowAction, reason?: string, extra?: StepExtra) => {
    setBusyId(a.item.id);
    setMsg(null);
    try {
      await returnStep(a.action, { dataSet, period: a.item.period, orgUnit: a.item.id }, reason, extra);
      setPending(null);
      setApproving(null);
      setMsg(t(`hmis.done.${a.action}` as 'hmis.done.approve', { name: a.item.name }));
      setVersion((v) => v + 1);
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      if (err instanceof ApiError && err.details?.reason === 'confirm_failing_rules') setApproving({ a, rules: (err.details as { failingRules: FailingRule[] }).failingRules });
      else if (reason !== undefined || extra) setDialogError(text);
      else setError(text);
    } finally {
      setBusyId(null);
    }
  }, [dataSet, t]);

  const onAction = (a: RowAction) => {
    if (a.action === 'return' || a.action === 'unapprove') {
      setDialogError(null);
      setPending(a);
    } else if (a.action === 'approve') {
      // Failing rules and the facility's comments are read before approving; such a return needs a confirmation.
      setDialogError(null);
      setBusyId(a.item.id);
      getReview({ dataSet, period: a.item.period, orgUnit: a.item.id })
        .then((r) => (r.failingRules.length ? setApproving({ a, rules: r.failingRules }) : act(a)))
        .catch((err) => setError(err instanceof Error ? err.message : String(err)))
        .finally(() => setBusyId(null));
    } else void act(a);
  };

  const sendReminders = async () => {
    setRemind('busy');
    try {
      const r = await remindDefaulters(ref);
      setMsg(null);
      setReminded(r);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setRemind('closed');
    }
  };

  // The server sends one status's page; the rows on screen are filtered at once too, until that page arrives.
  const items = (data?.items ?? []).filter((i) => !status || i.status === status);
  const allCount = data ? Object.values(data.summary).reduce((a, b) => a + b, 0) : 0;
  const entryHref = (id: string) => href('/hmis/entry', { dataSet, period, orgUnit: id, district: orgUnit });
  const defaulters = data ? data.rates.expected - data.rates.actual : 0;

  return (
    <section aria-labelledby="returns-title">
      <div className="page-head">
        <h1 id="returns-title">{t('hmis.returnsTitle')}</h1>
        {canApprove && (
          <div className="actions">
            <button type="button" onClick={() => setRemind('open')} disabled={!data || defaulters === 0}>{t('hmis.remind')}</button>
          </div>
        )}
      </div>
      <div className="filters">
        {!scope.fixedDistrict && (
          <div className="field">
            <label htmlFor="ret-district">{t('field.district')}</label>
            <select id="ret-district" value={orgUnit} onChange={(e) => setQuery({ orgUnit: e.target.value })}>
              {scope.districts.map((d) => <option key={d.id} value={d.id}>{unitName(d, lang)}</option>)}
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor="ret-period">{t('hmis.period')}</label>
          <select id="ret-period" value={period} onChange={(e) => setQuery({ period: e.target.value })}>
            {[...new Set([period, ...recentMonths()])].sort().reverse().map((p) => <option key={p} value={p}>{monthLabel(p, lang)}</option>)}
          </select>
        </div>
        <p className="muted filters-note">
          {scope.fixedDistrict && <>{t('field.district')}: <strong>{unitName(scope.fixedDistrict, lang)}</strong> · </>}
          {t('hmis.dueDate')}: <strong>{dueDate(period, timelyDays)}</strong>
        </p>
      </div>
      {error && <Notice kind="error">{error}</Notice>}
      {msg && <Notice kind="success">{msg}</Notice>}
      {reminded && (
        <Notice kind={reminded.messages.failed ? 'error' : 'success'}>
          <span data-testid="reminder-outcome">{t('hmis.reminderOutcome', { facilities: reminded.inApp, queued: num(reminded.messages.queued), sent: num(reminded.messages.sent), failed: num(reminded.messages.failed), waiting: num(reminded.messages.waiting) })}</span>
          {reminded.withoutContact.length > 0 && <> {t('hmis.reminderNoContact', { count: reminded.withoutContact.length, names: reminded.withoutContact.slice(0, 10).map((f) => f.name).join(', ') + (reminded.withoutContact.length > 10 ? '…' : '') })}</>}
          {reminded.messages.queued > 0 && can(me, 'can_read_messages') && <> <a href={href('/messages', { about: 'hmis_reminder', aboutId: reminded.round })}>{t('hmis.reminderMessages')}</a></>}
        </Notice>
      )}
      {!data && !error && <Notice kind="info">{t('common.loading')}</Notice>}
      {data && (
        <>
          <div className="big-numbers">
            <div className="big-number">
              <span className="big" data-testid="reporting-rate">{num(data.rates.rate)}%</span>
              <span className="big-label">{t('hmis.rate')}</span>
              <span className="sub">{t('hmis.ofExpected', { actual: num(data.rates.actual), expected: num(data.rates.expected) })}</span>
            </div>
            <div className="big-number">
              <span className="big" data-testid="ontime-rate">{num(data.rates.rateOnTime)}%</span>
              <span className="big-label">{t('hmis.rateOnTime')}</span>
              <span className="sub">{t('hmis.ofExpected', { actual: num(data.rates.actualOnTime), expected: num(data.rates.expected) })}</span>
            </div>
          </div>
          <div className="status-filter" role="group" aria-label={t('hmis.filterStatus')}>
            <button type="button" className={`chip${status ? '' : ' active'}`} aria-pressed={!status} onClick={() => setQuery({ status: undefined })}>
              {t('filters.all')} ({num(allCount)})
            </button>
            {RETURN_STATUSES.map((s) => (
              <button key={s} type="button" className={`chip${status === s ? ' active' : ''}`} aria-pressed={status === s}
                onClick={() => setQuery({ status: s })}>
                <ReturnBadge status={s} /> {num(data.summary[s] ?? 0)}
              </button>
            ))}
          </div>
          <div className="returns-paging">
            <p className="muted" data-testid="returns-showing">
              {data.total > 0 && t('returns.showing', { from: num(offset + 1), to: num(offset + items.length), total: num(data.total) })}
            </p>
            <label className="field inline">
              <span>{t('returns.pageSize')}</span>
              <select id="ret-size" value={pageSize} onChange={(e) => setQuery({ size: e.target.value === String(DEFAULT_SIZE) ? undefined : e.target.value })}>
                {PAGE_SIZES.map((n) => <option key={n} value={n}>{num(n)}</option>)}
              </select>
            </label>
          </div>
          <ReturnsTable items={items} canApprove={canApprove} canAccept={canAccept} busyId={busyId}
            entryHref={(i) => entryHref(i.id)} onAction={onAction} />
          <Pager offset={offset} pageSize={pageSize} hasNext={offset + items.length < data.total}
            onPage={(o) => setQuery({ status: status || undefined, offset: o ? String(o) : undefined })} />
          <h2>{t('hmis.byTypeOwnership')}</h2>
          <RatesBreakdown byType={data.byType} byOwnership={data.byOwnership} />
          {outliers && <OutlierList items={outliers} entryHref={entryHref} />}
          <DefaultersList refKey={ref} version={version} />
        </>
      )}
      <ReasonDialog open={!!pending} busy={!!busyId} error={dialogError} facility={pending?.item.name ?? ''}
        title={pending?.action === 'unapprove' ? t('hmis.unapproveTitle') : t('hmis.sendBackTitle')}
        confirmLabel={pending?.action === 'unapprove' ? t('hmis.unapprove') : t('hmis.sendBack')}
        onConfirm={(reason) => pending && void act(pending, reason)} onCancel={() => setPending(null)} />
      <ConfirmDialog open={!!approving} title={t('hmis.approveFailingTitle')} confirmLabel={t('hmis.approveAnyway')} cancelLabel={t('action.cancel')}
        busy={!!busyId} danger onConfirm={() => approving && void act(approving.a, undefined, { confirmFailingRules: true })} onCancel={() => setApproving(null)}>
        <p>{approving ? (lang === 'hi' && approving.a.item.nameHi ? approving.a.item.nameHi : approving.a.item.name) : ''}</p>
        <p>{t('hmis.approveFailingQuestion', { count: num(approving?.rules.length ?? 0) })}</p>
        {approving && <FailingRules rules={approving.rules} />}
        {dialogError && <span className="error" role="alert">{dialogError}</span>}
      </ConfirmDialog>
      <ConfirmDialog open={remind !== 'closed'} title={t('hmis.remindTitle')} confirmLabel={t('hmis.remindConfirm')}
        cancelLabel={t('action.cancel')} busy={remind === 'busy'} onConfirm={sendReminders} onCancel={() => setRemind('closed')}>
        <p>{t('hmis.remindQuestion', { count: num(defaulters), month: monthLabel(period, lang) })}</p>
      </ConfirmDialog>
    </section>
  );
}
