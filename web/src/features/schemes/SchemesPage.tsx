import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { useApiErrors } from '../../components/useApiErrors.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { can, useMe } from '../auth/session.tsx';
import { CoverageView } from './CoverageView.tsx';
import {
  addPackage, decidePreauth, dischargeClaim, enrol, fileClaim, getSetup, listClaims, listEnrolments, printCard, settleClaim,
  CLAIM_STATUSES, type Claim, type ClaimPage, type ClaimStatus, type Enrolled, type EnrolmentItem, type Flag, type Setup,
} from './schemes.api.ts';
import { Field, useRupees } from './schemes.parts.tsx';
import './schemes.css';

type Me = ReturnType<typeof useMe>;
const mayUse = (me: Me) => ['can_manage_schemes', 'can_enrol_schemes', 'can_read_schemes', 'can_file_scheme_claims', 'can_settle_scheme_claims'].some((p) => can(me, p));
const today = () => new Date().toISOString().slice(0, 10);
const TABS = ['setup', 'enrol', 'claims', 'coverage'] as const;
type Tab = (typeof TABS)[number];

function Flags({ flags }: { flags: Flag[] }) {
  const { t, lang } = useI18n();
  if (!flags.length) return null;
  return (
    <ul className="scheme-flags" aria-label={t('schemes.flags')}>
      {flags.map((f) => <li key={f.code} data-flag={f.code}>⚠ {lang === 'hi' && f.messageHi ? f.messageHi : f.message}</li>)}
    </ul>
  );
}

/**
 * HIMCARE: `#/schemes` (and `#/schemes/enrol`, `#/schemes/claims`). The set-up in force and its
 * versions; enrolling a register family and printing its card; claims with the dues and the next
 * step for whoever may take it (pre-authorisation, discharge, settlement).
 */
export function SchemesPage({ tab }: { tab?: string }) {
  const { t } = useI18n();
  const me = useMe();
  const [active, setActive] = useState<Tab>((TABS as readonly string[]).includes(tab ?? '') ? tab as Tab : can(me, 'can_file_scheme_claims') ? 'claims' : 'setup');
  if (!mayUse(me)) return <section><h1>{t('schemes.title')}</h1><Notice kind="error">{t('schemes.notAllowed')}</Notice></section>;
  return (
    <section aria-labelledby="schemes-title" className="schemes">
      <h1 id="schemes-title">{t('schemes.title')}</h1>
      <p>{t('schemes.intro')}</p>
      <div role="tablist" className="scheme-tabs">
        {TABS.map((k) => (
          <button key={k} type="button" role="tab" aria-selected={active === k} className={active === k ? 'active' : ''} onClick={() => setActive(k)}>{t(`schemes.tab.${k}`)}</button>
        ))}
      </div>
      <div role="tabpanel">
        {active === 'setup' && <SetupView />}
        {active === 'enrol' && <EnrolView />}
        {active === 'claims' && <ClaimsView />}
        {active === 'coverage' && <CoverageView />}
      </div>
    </section>
  );
}

function SetupView() {
  const { t, lang, date } = useI18n();
  const me = useMe();
  const rupees = useRupees();
  const { error } = useApiErrors();
  const [on, setOn] = useState(today());
  const [setup, setSetup] = useState<Setup | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  useEffect(() => {
    const ctrl = new AbortController();
    getSetup(on, ctrl.signal).then(setSetup).catch((err) => { if (!ctrl.signal.aborted) setProblem(error(err)); });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [on, reload]);
  const name = (x: { name: string; nameHi: string | null }) => (lang === 'hi' && x.nameHi ? x.nameHi : x.name);
  const ids = useId();
  return (
    <div className="scheme-setup">
      <Field id={`${ids}-on`} label={t('schemes.onDay')}><input id={`${ids}-on`} type="date" value={on} onChange={(e) => setOn(e.target.value || today())} /></Field>
      {problem && <Notice kind="error">{problem}</Notice>}
      {setup && (
        <>
          <dl className="scheme-facts" data-testid="scheme-settings">
            <dt>{t('schemes.cover')}</dt><dd>{rupees(setup.settings.coverAmount)}</dd>
            <dt>{t('schemes.membersPerCard')}</dt><dd>{setup.settings.membersPerCard}</dd>
            <dt>{t('schemes.windows')}</dt><dd>{setup.settings.windows.map((w) => `${w.from} – ${w.to}`).join(', ') || t('schemes.allYear')} · {setup.window.open ? t('schemes.windowOpen') : t('schemes.windowClosed', { date: setup.window.nextOpensOn ?? '' })}</dd>
            <dt>{t('schemes.settleWithin')}</dt><dd>{t('schemes.days', { n: setup.settings.settleWithinDays })}</dd>
            <dt>{t('schemes.versionFrom')}</dt><dd>{date(setup.settings.validFrom)}</dd>
          </dl>
          <h2>{t('schemes.categories')}</h2>
          <div className="table-wrap"><table className="data-table" data-testid="scheme-categories">
            <thead><tr><th>{t('schemes.code')}</th><th>{t('schemes.name')}</th><th>{t('schemes.premium')}</th><th>{t('schemes.versionFrom')}</th></tr></thead>
            <tbody>{setup.categories.map((c) => <tr key={c.code}><td>{c.code}</td><td>{name(c)}</td><td>{rupees(c.premium)}</td><td>{date(c.validFrom)}</td></tr>)}</tbody>
          </table></div>
          <h2>{t('schemes.packages')}</h2>
          <div className="table-wrap"><table className="data-table" data-testid="scheme-packages">
            <thead><tr><th>{t('schemes.code')}</th><th>{t('schemes.name')}</th><th>{t('schemes.rate')}</th><th>{t('schemes.preauth')}</th><th>{t('schemes.versionFrom')}</th></tr></thead>
            <tbody>{setup.packages.map((p) => <tr key={p.code}><td>{p.code}</td><td>{name(p)}</td><td>{rupees(p.rate)}</td><td>{p.preauth ? t('schemes.yes') : t('schemes.no')}</td><td>{date(p.validFrom)}</td></tr>)}</tbody>
          </table></div>
          <h2>{t('schemes.exclusions')}</h2>
          <ul>{setup.settings.exclusions.map((x) => <li key={x}>{x}</li>)}</ul>
          {can(me, 'can_manage_schemes') && <PackageForm onDone={() => setReload((n) => n + 1)} />}
        </>
      )}
    </div>
  );
}

function PackageForm({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const { problems } = useApiErrors();
  const ids = useId();
  const [form, setForm] = useState({ code: '', name: '', rate: '', preauth: false, validFrom: today() });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [top, setTop] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setDone(false);
    try {
      await addPackage({ code: form.code.trim(), name: form.name.trim(), rate: Number(form.rate), preauth: form.preauth, validFrom: form.validFrom });
      setErrors({}); setTop(null); setDone(true); onDone();
    } catch (err) {
      const p = problems(err, (f) => f in form);
      setErrors(p.errors); setTop(p.top);
    }
  }
  return (
    <form className="card scheme-form" onSubmit={submit} aria-label={t('schemes.packageChange')}>
      <h2>{t('schemes.packageChange')}</h2>
      <p className="hint">{t('schemes.packageChangeHint')}</p>
      {top && <Notice kind="error">{top}</Notice>}
      {done && <Notice kind="success">{t('schemes.saved')}</Notice>}
      <Field id={`${ids}-code`} label={t('schemes.code')} error={errors.code}><input id={`${ids}-code`} required value={form.code} onChange={(e) => setForm({ ...form, code: e.target.value })} /></Field>
      <Field id={`${ids}-name`} label={t('schemes.name')} error={errors.name}><input id={`${ids}-name`} required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} /></Field>
      <Field id={`${ids}-rate`} label={t('schemes.rate')} error={errors.rate}><input id={`${ids}-rate`} type="number" min="0" step="0.01" required value={form.rate} onChange={(e) => setForm({ ...form, rate: e.target.value })} /></Field>
      <Field id={`${ids}-from`} label={t('schemes.versionFrom')} error={errors.validFrom}><input id={`${ids}-from`} type="date" required value={form.validFrom} onChange={(e) => setForm({ ...form, validFrom: e.target.value })} /></Field>
      <div className="scheme-field"><label><input type="checkbox" checked={form.preauth} onChange={(e) => setForm({ ...form, preauth: e.target.checked })} /> {t('schemes.preauth')}</label></div>
      <div><button type="submit">{t('schemes.save')}</button></div>
    </form>
  );
}

function EnrolView() {
  const { t, date } = useI18n();
  const me = useMe();
  const rupees = useRupees();
  const { error, problems } = useApiErrors();
  const ids = useId();
  const [categories, setCategories] = useState<Setup['categories']>([]);
  const [items, setItems] = useState<EnrolmentItem[] | null>(null);
  const [form, setForm] = useState({ familyId: '', category: '', premiumReference: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [top, setTop] = useState<string | null>(null);
  const [made, setMade] = useState<Enrolled | null>(null);
  const [reload, setReload] = useState(0);
  useEffect(() => {
    const ctrl = new AbortController();
    getSetup(undefined, ctrl.signal).then((s) => { setCategories(s.categories); setForm((f) => ({ ...f, category: f.category || s.categories[0]?.code || '' })); }).catch(() => undefined);
    listEnrolments(ctrl.signal).then((p) => setItems(p.items)).catch((err) => { if (!ctrl.signal.aborted) setTop(error(err)); });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [reload]);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setMade(null);
    try {
      const r = await enrol({ familyId: form.familyId.trim(), category: form.category, ...(form.premiumReference.trim() ? { premiumReference: form.premiumReference.trim() } : {}) });
      setMade(r); setErrors({}); setTop(null); setReload((n) => n + 1);
    } catch (err) {
      const p = problems(err, (f) => f in form || f === 'members');
      setErrors(p.errors); setTop(p.top);
    }
  }
  const print = (n: string) => printCard(n).catch((err) => setTop(error(err)));
  return (
    <div>
      {can(me, 'can_enrol_schemes') && (
        <form className="card scheme-form" onSubmit={submit} aria-label={t('schemes.enrol')}>
          <h2>{t('schemes.enrol')}</h2>
          {top && <Notice kind="error">{top}</Notice>}
          <Field id={`${ids}-family`} label={t('schemes.family')} error={errors.familyId ?? errors.members}><input id={`${ids}-family`} required value={form.familyId} onChange={(e) => setForm({ ...form, familyId: e.target.value })} placeholder="F06…" /></Field>
          <Field id={`${ids}-cat`} label={t('schemes.category')} error={errors.category}>
            <select id={`${ids}-cat`} value={form.category} onChange={(e) => setForm({ ...form, category: e.target.value })}>
              {categories.map((c) => <option key={c.code} value={c.code}>{c.code} · {rupees(c.premium)}</option>)}
            </select>
          </Field>
          <Field id={`${ids}-ref`} label={t('schemes.premiumReference')} error={errors.premiumReference}><input id={`${ids}-ref`} value={form.premiumReference} onChange={(e) => setForm({ ...form, premiumReference: e.target.value })} /></Field>
          <div><button type="submit">{t('schemes.enrolSubmit')}</button></div>
          {made && (
            <Notice kind="success">
              <span data-testid="card-number">{t('schemes.enrolled', { card: made.cardNumber, premium: rupees(made.premium), members: made.members })}</span>{' '}
              <button type="button" onClick={() => print(made.cardNumber)}>{t('schemes.printCard')}</button>
            </Notice>
          )}
        </form>
      )}
      <h2>{t('schemes.cards')}</h2>
      {items && !items.length && <Notice kind="info">{t('schemes.noCards')}</Notice>}
      {items && items.length > 0 && (
        <div className="table-wrap"><table className="data-table" data-testid="scheme-cards">
          <thead><tr><th>{t('schemes.cardNumber')}</th><th>{t('schemes.family')}</th><th>{t('schemes.year')}</th><th>{t('schemes.category')}</th><th>{t('schemes.members')}</th><th>{t('schemes.enrolledOn')}</th><th /></tr></thead>
          <tbody>{items.map((e) => (
            <tr key={e.id}><td>{e.cardNumber}</td><td>{e.family.familyNumber}{e.family.externalId ? ` (${e.family.externalId})` : ''}</td><td>{e.schemeYear}</td><td>{e.category}</td><td>{e.members}</td><td>{date(e.enrolledAt.slice(0, 10))}</td>
              <td><button type="button" onClick={() => print(e.cardNumber)}>{t('schemes.printCard')}</button></td></tr>
          ))}</tbody>
        </table></div>
      )}
    </div>
  );
}

function ClaimsView() {
  const { t, date } = useI18n();
  const me = useMe();
  const rupees = useRupees();
  const { error } = useApiErrors();
  const ids = useId();
  const [status, setStatus] = useState('');
  const [overdue, setOverdue] = useState(false);
  const [page, setPage] = useState<ClaimPage | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  useEffect(() => {
    const ctrl = new AbortController();
    listClaims({ status, overdue }, ctrl.signal).then(setPage).catch((err) => { if (!ctrl.signal.aborted) setProblem(error(err)); });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [status, overdue, reload]);
  const refresh = () => setReload((n) => n + 1);
  return (
    <div>
      {can(me, 'can_file_scheme_claims') && <ClaimForm onDone={refresh} />}
      {page && (
        <p className="scheme-dues" data-testid="scheme-dues">
          {t('schemes.dues', { pending: page.dues.pending, amount: rupees(page.dues.pendingAmount) })}{' '}
          <strong className={page.dues.overdue ? 'overdue' : ''}>{t('schemes.overdue', { n: page.dues.overdue, amount: rupees(page.dues.overdueAmount), days: page.dues.settleWithinDays })}</strong>
        </p>
      )}
      <div className="scheme-filters">
        <Field id={`${ids}-status`} label={t('schemes.status')}>
          <select id={`${ids}-status`} value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">{t('schemes.allStatuses')}</option>
            {CLAIM_STATUSES.map((s) => <option key={s} value={s}>{t(`schemes.status.${s}`)}</option>)}
          </select>
        </Field>
        <div className="scheme-field"><label><input type="checkbox" checked={overdue} onChange={(e) => setOverdue(e.target.checked)} /> {t('schemes.onlyOverdue')}</label></div>
      </div>
      {problem && <Notice kind="error">{problem}</Notice>}
      {page && !page.items.length && <Notice kind="info">{t('schemes.noClaims')}</Notice>}
      {page && page.items.length > 0 && (
        <div className="table-wrap"><table className="data-table" data-testid="scheme-claims">
          <thead><tr><th>{t('schemes.cardNumber')}</th><th>{t('schemes.hospital')}</th><th>{t('schemes.package')}</th><th>{t('schemes.diagnosis')}</th><th>{t('schemes.stay')}</th><th>{t('schemes.amount')}</th><th>{t('schemes.status')}</th><th>{t('schemes.daysTaken')}</th><th /></tr></thead>
          <tbody>{page.items.map((c) => (
            <tr key={c.id} className={c.overdue ? 'overdue' : ''} data-claim={c.id}>
              <td>{c.cardNumber}</td><td>{c.hospital.name}</td><td>{c.packageCode}{c.packageName ? ` · ${c.packageName}` : ''}</td><td>{c.diagnosis}</td>
              <td>{date(c.admittedOn)}{c.dischargedOn ? ` – ${date(c.dischargedOn)}` : ''}</td>
              <td>{rupees(c.amount)}{c.settledAmount != null && c.settledAmount !== c.amount ? ` → ${rupees(c.settledAmount)}` : ''}{c.settlementReason ? <div className="hint">{c.settlementReason}</div> : null}</td>
              <td>{t(`schemes.status.${c.status}`)}<Flags flags={c.flags} /></td>
              <td>{[c.days.preauth != null ? t('schemes.preauthDays', { n: c.days.preauth }) : null, c.days.settlement != null ? t('schemes.settledDays', { n: c.days.settlement }) : null, c.days.pending != null ? t('schemes.pendingDays', { n: c.days.pending }) : null].filter(Boolean).join(' · ')}</td>
              <td><ClaimActions claim={c} onDone={refresh} /></td>
            </tr>
          ))}</tbody>
        </table></div>
      )}
    </div>
  );
}

function ClaimActions({ claim, onDone }: { claim: Claim; onDone: () => void }) {
  const { t } = useI18n();
  const me = useMe();
  const { error } = useApiErrors();
  const [reason, setReason] = useState('');
  const [amount, setAmount] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const run = async (p: Promise<unknown>) => { try { await p; setProblem(null); onDone(); } catch (err) { setProblem(error(err)); } };
  const settler = can(me, 'can_settle_scheme_claims');
  const inputs = (
    <>
      <input aria-label={t('schemes.amountPaid')} placeholder={t('schemes.amountPaid')} type="number" min="0" value={amount} onChange={(e) => setAmount(e.target.value)} />
      <input aria-label={t('schemes.reason')} placeholder={t('schemes.reason')} value={reason} onChange={(e) => setReason(e.target.value)} />
    </>
  );
  let body: ReactNode = null;
  if (claim.status === 'preauth_pending' && settler) {
    body = <>
      <input aria-label={t('schemes.reason')} placeholder={t('schemes.reason')} value={reason} onChange={(e) => setReason(e.target.value)} />
      <button type="button" onClick={() => run(decidePreauth(claim.id, true))}>{t('schemes.approvePreauth')}</button>
      <button type="button" onClick={() => run(decidePreauth(claim.id, false, reason))}>{t('schemes.rejectPreauth')}</button>
    </>;
  } else if (claim.status === 'admitted' && can(me, 'can_file_scheme_claims')) {
    body = <button type="button" onClick={() => run(dischargeClaim(claim.id, claim.dischargedOn ?? today()))}>{t('schemes.discharge')}</button>;
  } else if (claim.status === 'claimed' && settler) {
    body = <>
      {inputs}
      <button type="button" onClick={() => run(settleClaim(claim.id, 'approved'))}>{t('schemes.settle.approved')}</button>
      <button type="button" onClick={() => run(settleClaim(claim.id, 'deducted', amount ? Number(amount) : undefined, reason))}>{t('schemes.settle.deducted')}</button>
      <button type="button" onClick={() => run(settleClaim(claim.id, 'rejected', undefined, reason))}>{t('schemes.settle.rejected')}</button>
    </>;
  }
  if (!body) return null;
  return <div className="scheme-actions">{body}{problem && <span className="field-error" role="alert">{problem}</span>}</div>;
}

function ClaimForm({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const me = useMe();
  const { problems } = useApiErrors();
  const ids = useId();
  const [packages, setPackages] = useState<Setup['packages']>([]);
  const [form, setForm] = useState({ cardNumber: '', memberPatientId: '', hospitalId: me.orgUnit.level.toLowerCase() === 'facility' ? me.orgUnit.id : '', packageCode: '', admittedOn: today(), dischargedOn: '', amount: '', diagnosis: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [top, setTop] = useState<string | null>(null);
  const [filed, setFiled] = useState<{ id: string; status: ClaimStatus; flags: Flag[] } | null>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    getSetup(undefined, ctrl.signal).then((s) => { setPackages(s.packages); setForm((f) => ({ ...f, packageCode: f.packageCode || s.packages[0]?.code || '' })); }).catch(() => undefined);
    return () => ctrl.abort();
  }, []);
  const f = (k: keyof typeof form, label: string, type = 'text', required = true) => (
    <Field id={`${ids}-${k}`} label={label} error={errors[k]}>
      <input id={`${ids}-${k}`} type={type} required={required} value={form[k]} onChange={(e) => setForm({ ...form, [k]: e.target.value })} {...(type === 'number' ? { min: '0', step: '0.01' } : {})} />
    </Field>
  );
  async function submit(e: FormEvent) {
    e.preventDefault();
    setFiled(null);
    try {
      const r = await fileClaim({
        cardNumber: form.cardNumber.trim(), memberPatientId: form.memberPatientId.trim(), hospitalId: form.hospitalId.trim(), packageCode: form.packageCode, admittedOn: form.admittedOn,
        ...(form.dischargedOn ? { dischargedOn: form.dischargedOn } : {}), amount: Number(form.amount), diagnosis: form.diagnosis.trim(),
      });
      setFiled(r); setErrors({}); setTop(null); onDone();
    } catch (err) {
      const p = problems(err, (k) => k in form);
      setErrors(p.errors); setTop(p.top);
    }
  }
  return (
    <form className="card scheme-form" onSubmit={submit} aria-label={t('schemes.fileClaim')}>
      <h2>{t('schemes.fileClaim')}</h2>
      {top && <Notice kind="error">{top}</Notice>}
      {f('cardNumber', t('schemes.cardNumber'))}
      {f('memberPatientId', t('schemes.member'))}
      {f('hospitalId', t('schemes.hospital'))}
      <Field id={`${ids}-pkg`} label={t('schemes.package')} error={errors.packageCode}>
        <select id={`${ids}-pkg`} value={form.packageCode} onChange={(e) => setForm({ ...form, packageCode: e.target.value })}>
          {packages.map((p) => <option key={p.code} value={p.code}>{p.code} · {p.name}{p.preauth ? ` (${t('schemes.preauth')})` : ''}</option>)}
        </select>
      </Field>
      {f('admittedOn', t('schemes.admittedOn'), 'date')}
      {f('dischargedOn', t('schemes.dischargedOn'), 'date', false)}
      {f('amount', t('schemes.amount'), 'number')}
      {f('diagnosis', t('schemes.diagnosis'))}
      <div><button type="submit">{t('schemes.fileSubmit')}</button></div>
      {filed && <Notice kind="success"><span data-testid="claim-filed">{t('schemes.filed', { status: t(`schemes.status.${filed.status}`) })}</span><Flags flags={filed.flags} /></Notice>}
    </form>
  );
}
