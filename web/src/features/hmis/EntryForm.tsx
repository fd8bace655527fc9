import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { can, useMe } from '../auth/session.tsx';
import { ReturnBadge } from './ReturnBadge.tsx';
import { SectionTabs } from './SectionTabs.tsx';
import {
  getHistory, getValues, listReturns, returnStep, runValidation, sendValues,
  type DataSetForm, type HistoryStat, type Ref, type ReturnState, type Violation,
} from './hmis.api.ts';
import { conflictsByCell, loadDraft, saveDraft, syncDrafts, toDataValues, type SyncResult } from './drafts.ts';
import { useOnline } from '../../components/useOnline.ts';
import { dateTimeIst, dueDate, monthLabel } from './months.ts';
import { cellKey, checkRules, type RuleViolation, type Values } from './rules.ts';
import { SyncReport } from './SyncReport.tsx';
import { FailingRules } from './FailingRules.tsx';
import type { FailingRule } from './hmis.api.ts';

type Msg = { kind: 'error' | 'info' | 'success'; text: string } | null;

export function EntryForm({ form, refKey, unitLabel }: { form: DataSetForm; refKey: Ref; unitLabel?: string }) {
  const { t, lang } = useI18n();
  const online = useOnline();
  const mayEdit = can(useMe(), 'can_submit_data');
  const [values, setValues] = useState<Values>({});
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [loaded, setLoaded] = useState(false);
  const [restored, setRestored] = useState<string | null>(null);
  const [status, setStatus] = useState<ReturnState | null>(null);
  const [history, setHistory] = useState<Map<string, HistoryStat>>(new Map());
  const [conflicts, setConflicts] = useState<Record<string, string>>({});
  const [serverViolations, setServerViolations] = useState<Violation[] | null>(null);
  const [unreachable, setUnreachable] = useState(false);
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<Msg>(null);
  const [synced, setSynced] = useState<SyncResult[] | null>(null);
  // The rules the server found failing when completing, and the comments typed for them.
  const [failing, setFailing] = useState<{ rules: FailingRule[]; commentsAllowed: boolean; missing: Set<string> } | null>(null);
  const [ruleComments, setRuleComments] = useState<Record<string, string>>({});
  const { dataSet, period, orgUnit } = refKey;
  const ref = useMemo(() => ({ dataSet, period, orgUnit }), [dataSet, period, orgUnit]);

  const elements = useMemo(() => new Map(form.sections.flatMap((s) => s.elements).map((e) => [e.id, e])), [form]);
  const networkFailed = (err: unknown) => err instanceof ApiError && err.status === 0;

  const loadStatus = useCallback(() => {
    listReturns(ref)
      .then((r) => setStatus(r.items.find((i) => i.id === ref.orgUnit) ?? r.items[0] ?? null))
      .catch((err) => networkFailed(err) && setUnreachable(true));
  }, [ref]);

  // Stored values, overlaid with the unsent cells of this device's draft.
  useEffect(() => {
    const ctrl = new AbortController();
    const draft = loadDraft(ref);
    getValues(ref, ctrl.signal)
      .then((r) => {
        const server: Values = {};
        for (const v of r.dataValues ?? []) server[cellKey(v.dataElement, v.categoryOptionCombo)] = String(v.value ?? '');
        setUnreachable(false);
        return server;
      })
      .catch((err) => {
        if (ctrl.signal.aborted) throw err;
        if (networkFailed(err)) setUnreachable(true);
        else setMsg({ kind: 'error', text: err instanceof Error ? err.message : String(err) });
        return draft?.values ?? {};
      })
      .then((base) => {
        const next = { ...base };
        if (draft?.touched.length) {
          for (const k of draft.touched) next[k] = draft.values[k] ?? '';
          setRestored(dateTimeIst(draft.savedAt));
        }
        setValues(next);
        setTouched(new Set(draft?.touched ?? []));
        setLoaded(true);
      })
      .catch(() => undefined);
    loadStatus();
    getHistory(ref.dataSet, ref.orgUnit, ref.period, ctrl.signal)
      .then((h) => h && setHistory(new Map(h.items.map((s) => [cellKey(s.dataElement, s.categoryOptionCombo), s]))))
      .catch(() => undefined);
    return () => ctrl.abort();
  }, [ref, loadStatus]);

  // Back online: send every draft kept on this device and say what went.
  useEffect(() => {
    const onOnline = async () => {
      const results = await syncDrafts();
      setSynced(results);
      setUnreachable(false);
      setMsg(null);
      const mine = results.find((r) => r.ref.dataSet === ref.dataSet && r.ref.period === ref.period && r.ref.orgUnit === ref.orgUnit);
      if (mine) setTouched(new Set(loadDraft(ref)?.touched ?? []));
      loadStatus();
    };
    window.addEventListener('online', onOnline);
    return () => window.removeEventListener('online', onOnline);
  }, [ref, loadStatus]);

  const violations: RuleViolation[] = useMemo(() => checkRules(form.validationRules, values, elements), [form, values, elements]);
  const byElement = useMemo(() => {
    const m = new Map<string, RuleViolation[]>();
    for (const v of violations) for (const de of v.elements) m.set(de, [...(m.get(de) ?? []), v]);
    return m;
  }, [violations]);

  const locked = !!status?.locked || !mayEdit;
  const onChange = (key: string, value: string) => {
    if (locked) return;
    const nextValues = { ...values, [key]: value };
    const nextTouched = new Set(touched).add(key);
    setValues(nextValues);
    setTouched(nextTouched);
    saveDraft(ref, nextValues, nextTouched, unitLabel);
    if (conflicts[key]) setConflicts(({ [key]: _gone, ...rest }) => rest);
  };

  /** Sends the changed cells; true when nothing is left unsent. */
  const save = async (): Promise<boolean> => {
    const sent = toDataValues(values, touched);
    if (!sent.length) return true;
    try {
      const summary = await sendValues(ref, sent);
      const { cells, other } = conflictsByCell(summary, sent);
      const left = new Set([...touched].filter((k) => k in cells));
      setConflicts(cells);
      setTouched(left);
      saveDraft(ref, values, left, unitLabel);
      setUnreachable(false);
      if (other.length || left.size) {
        setMsg({ kind: 'error', text: [t('hmis.conflicts', { count: summary.conflicts.length }), ...other].join(' ') });
        return false;
      }
      return true;
    } catch (err) {
      if (networkFailed(err)) {
        setUnreachable(true);
        setMsg({ kind: 'info', text: t('hmis.keptOffline') });
      } else setMsg({ kind: 'error', text: err instanceof Error ? err.message : String(err) });
      return false;
    }
  };

  const onSave = async () => {
    setBusy(true);
    setMsg(null);
    if (await save()) {
      setMsg({ kind: 'success', text: t('hmis.saved') });
      runValidation(ref).then((r) => setServerViolations(r ? r.violations : null)).catch(() => undefined);
      loadStatus();
    }
    setBusy(false);
  };

  const onComplete = async () => {
    setBusy(true);
    setMsg(null);
    try {
      if (!(await save())) return;
      const comments = failing?.commentsAllowed ? failing.rules.map((f) => ({ rule: f.rule.id, comment: ruleComments[f.rule.id] ?? '' })) : undefined;
      const st = await returnStep('complete', ref, undefined, { comments });
      setStatus(st);
      setFailing(null);
      setMsg({ kind: 'success', text: st.status === 'completed_late' ? t('hmis.completedLate') : t('hmis.completedOnTime') });
    } catch (err) {
      if (err instanceof ApiError && err.details?.reason === 'validation_rules_fail') {
        const d = err.details as { failingRules: FailingRule[]; commentsAllowed: boolean; missingComments?: string[] };
        setFailing({ rules: d.failingRules, commentsAllowed: d.commentsAllowed, missing: new Set(failing ? d.missingComments ?? [] : []) });
      }
      if (networkFailed(err)) setUnreachable(true);
      setMsg({ kind: 'error', text: networkFailed(err) ? t('hmis.keptOffline') : err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  };

  const onReopen = async () => {
    setBusy(true);
    try {
      setStatus(await returnStep('uncomplete', ref));
      setMsg(null);
    } catch (err) {
      setMsg({ kind: 'error', text: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  };

  const offline = !online || unreachable;
  const completed = status?.status === 'completed_on_time' || status?.status === 'completed_late';
  return (
    <div className="entry">
      <div className="entry-status">
        <span>{t('hmis.period')}: <strong>{monthLabel(ref.period, lang)}</strong></span>
        <span>{t('hmis.dueDate')}: <strong>{dueDate(ref.period, form.dataSet.timelyDays)}</strong></span>
        <span>{t('hmis.status')}: {status ? <ReturnBadge status={status.status} /> : '—'}</span>
        {status?.completedAt && <span>{t('hmis.completedAt')}: {dateTimeIst(status.completedAt)}</span>}
        <span className="muted">{touched.size ? t('hmis.unsent', { count: touched.size }) : t('hmis.allSent')}</span>
      </div>
      {offline && <div className="offline-banner" role="status">{t('hmis.offline')}</div>}
      {synced && <SyncReport results={synced} onClose={() => setSynced(null)} />}
      {restored && <Notice kind="info">{t('hmis.restored', { time: restored })}</Notice>}
      {status?.locked && <Notice kind="info">{t('hmis.locked')}</Notice>}
      {!mayEdit && <Notice kind="info">{t('hmis.readOnly')}</Notice>}
      {status?.status === 'returned' && <Notice kind="error">{t('hmis.returnedReason', { reason: status.reason ?? '—' })}</Notice>}
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
      {failing && (
        <section className="failing-panel" aria-labelledby="failing-title">
          <h2 id="failing-title">{t('hmis.failingRulesTitle', { count: failing.rules.length })}</h2>
          <p>{failing.commentsAllowed ? t('hmis.failingExplain') : t('hmis.failingCorrect')}</p>
          <FailingRules rules={failing.rules} comments={ruleComments} missing={failing.missing}
            onComment={failing.commentsAllowed ? (id, text) => setRuleComments((c) => ({ ...c, [id]: text })) : undefined} />
          {failing.commentsAllowed && (
            <button type="button" onClick={onComplete} disabled={busy || locked}>{t('hmis.completeWithComments')}</button>
          )}
        </section>
      )}
      {violations.length > 0 && <p className="rule-summary" role="status">{t('hmis.warnings', { count: violations.length })}</p>}
      {serverViolations && serverViolations.length > 0 && (
        <Notice kind="info">
          {t('hmis.serverViolations', { count: serverViolations.length })}{' '}
          {serverViolations.map((v) => (lang === 'hi' && v.rule.nameHi) || v.rule.instruction || v.rule.name).join('; ')}
        </Notice>
      )}
      {!loaded ? <Notice kind="info">{t('common.loading')}</Notice> : (
        <SectionTabs form={form} values={values} readOnly={locked} violations={byElement} history={history}
          conflicts={conflicts} onChange={onChange} />
      )}
      <div className="form-actions entry-actions">
        <button type="button" className="secondary" onClick={onSave} disabled={busy || locked || !loaded}>{t('action.save')}</button>
        <button type="button" onClick={onComplete} disabled={busy || locked || !loaded}>{t('hmis.complete')}</button>
        {completed && !locked && (
          <button type="button" className="link-button" onClick={onReopen} disabled={busy}>{t('hmis.reopen')}</button>
        )}
      </div>
    </div>
  );
}
