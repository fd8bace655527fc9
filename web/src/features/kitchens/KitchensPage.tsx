import { useEffect, useId, useState, type FormEvent } from 'react';
import { get } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { useApiErrors } from '../../components/useApiErrors.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { href } from '../../router.ts';
import { can, useMe } from '../auth/session.tsx';
import {
  addKitchen, getBill, getKitchen, lastMonth, listDays, listKitchens, moveBill, recordDay,
  type Bill, type Day, type Flag, type Kitchen, type KitchenItem,
} from './kitchens.api.ts';
import './kitchens.css';

const mayUse = (me: ReturnType<typeof useMe>) => can(me, 'can_run_kitchen') || can(me, 'can_manage_kitchens') || can(me, 'can_pay_kitchens');
const rupees = (n: number, lang: string) => `₹${n.toLocaleString(lang === 'hi' ? 'hi-IN' : 'en-IN', { minimumFractionDigits: 0, maximumFractionDigits: 2 })}`;

/** A bill's or a day's flags, in the UI language. */
function Flags({ flags }: { flags: Flag[] }) {
  const { t, lang } = useI18n();
  if (!flags.length) return null;
  return (
    <div className="kitchen-flags" role="note" aria-label={t('kitchens.flags')}>
      <strong>⚠ {t('kitchens.flags')}</strong>
      <ul>{flags.map((f, i) => <li key={`${f.code}-${i}`} data-flag={f.code}>{lang === 'hi' && f.messageHi ? f.messageHi : f.message}</li>)}</ul>
    </div>
  );
}

/**
 * Didi ki Rasoi: `#/kitchens` lists the kitchens of the caller's area (and registers one);
 * `#/kitchens/{id}?month=YYYY-MM` is a kitchen's days of a month, the day entry for the hospital's
 * operator, and the month's bill with its status and the next step for whoever may take it.
 */
export function KitchensPage({ id, query }: { id?: string; query: URLSearchParams }) {
  const { t } = useI18n();
  const me = useMe();
  if (!mayUse(me)) return <section><h1>{t('kitchens.title')}</h1><Notice kind="error">{t('kitchens.notAllowed')}</Notice></section>;
  return id ? <KitchenPage id={id} month={query.get('month') ?? lastMonth()} /> : <KitchenList />;
}

function KitchenList() {
  const { t, date } = useI18n();
  const me = useMe();
  const { error } = useApiErrors();
  const [items, setItems] = useState<KitchenItem[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    const ctrl = new AbortController();
    listKitchens({}, ctrl.signal).then((p) => setItems(p.items)).catch((err) => { if (!ctrl.signal.aborted) setProblem(error(err)); });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [reload]);

  return (
    <section aria-labelledby="kitchens-title" className="kitchens">
      <div className="page-head">
        <h1 id="kitchens-title">{t('kitchens.title')}</h1>
        {(can(me, 'can_manage_kitchens') || can(me, 'can_run_kitchen')) && !adding && <button type="button" onClick={() => setAdding(true)}>{t('kitchens.add')}</button>}
      </div>
      <p>{t('kitchens.intro')}</p>
      {adding && <AddKitchen onDone={() => { setAdding(false); setReload((n) => n + 1); }} onCancel={() => setAdding(false)} />}
      {problem && <Notice kind="error">{problem}</Notice>}
      {items && !items.length && <Notice kind="info">{t('kitchens.none')}</Notice>}
      {items && items.length > 0 && (
        <div className="table-wrap">
          <table className="data-table" data-testid="kitchens">
            <thead><tr><th>{t('kitchens.hospital')}</th><th>{t('kitchens.group')}</th><th>{t('kitchens.account')}</th><th>{t('kitchens.startedOn')}</th></tr></thead>
            <tbody>
              {items.map((k) => (
                <tr key={k.id}>
                  <td><a href={href(`/kitchens/${k.id}`)}>{k.hospital.name}</a></td>
                  <td>{k.groupName}{k.groupNameHi ? ` (${k.groupNameHi})` : ''}</td>
                  <td>{k.bankAccount ?? k.bankAccountMasked} · {k.ifsc}</td>
                  <td>{date(k.startedOn)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function AddKitchen({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const me = useMe();
  const { problems } = useApiErrors();
  const ids = useId();
  const atFacility = me.orgUnit.level.toLowerCase() === 'facility';
  const [search, setSearch] = useState('');
  const [hospitals, setHospitals] = useState<{ id: string; name: string; type?: string }[]>([]);
  const [form, setForm] = useState({ hospitalId: atFacility ? me.orgUnit.id : '', groupName: '', groupNameHi: '', members: '', bankAccount: '', ifsc: '', startedOn: new Date().toISOString().slice(0, 10) });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [top, setTop] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const field = (k: keyof typeof form) => ({ id: `${ids}-${k}`, value: form[k], onChange: (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value }) });

  // Officers pick the hospital from the public facilities of their area (searched by name); an operator's is their own.
  useEffect(() => {
    if (atFacility) return;
    const ctrl = new AbortController();
    const id = setTimeout(() => {
      get<{ items: { id: string; name: string; type?: string }[] }>('/api/facilities', { q: search.trim() || undefined, ownership: 'public', limit: 50 }, ctrl.signal)
        .then((r) => setHospitals(r.items)).catch(() => undefined);
    }, 250);
    return () => { clearTimeout(id); ctrl.abort(); };
  }, [search, atFacility]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    try {
      const members = form.members.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
        const [name, mobile, role] = l.split(',').map((s) => s.trim());
        return { name: name ?? '', ...(mobile ? { mobile } : {}), ...(role ? { role } : {}) };
      });
      await addKitchen({ hospitalId: form.hospitalId.trim(), groupName: form.groupName, ...(form.groupNameHi.trim() ? { groupNameHi: form.groupNameHi } : {}), members, bankAccount: form.bankAccount, ifsc: form.ifsc, startedOn: form.startedOn });
      onDone();
    } catch (err) {
      const p = problems(err, (f) => f in form || f.startsWith('members'));
      setErrors(p.errors);
      setTop(p.top);
    } finally {
      setBusy(false);
    }
  }

  const label = (k: keyof typeof form, text: string) => (
    <label htmlFor={`${ids}-${k}`}>{text}{errors[k] && <span className="field-error" role="alert"> {errors[k]}</span>}</label>
  );
  return (
    <form className="card kitchen-add" onSubmit={submit} aria-label={t('kitchens.add')}>
      {top && <Notice kind="error">{top}</Notice>}
      {atFacility ? <p className="kitchen-wide">{t('kitchens.hospital')}: {me.orgUnit.name}</p> : (
        <>
          <div className="kitchen-field"><label htmlFor={`${ids}-search`}>{t('kitchens.findHospital')}</label><input id={`${ids}-search`} type="search" value={search} onChange={(e) => setSearch(e.target.value)} /></div>
          <div className="kitchen-field">
            {label('hospitalId', t('kitchens.hospital'))}
            <select {...field('hospitalId')} required>
              <option value="">{t('kitchens.pickHospital')}</option>
              {hospitals.map((h) => <option key={h.id} value={h.id}>{h.name}{h.type ? ` (${h.type})` : ''}</option>)}
            </select>
          </div>
        </>
      )}
      <div className="kitchen-field">{label('groupName', t('kitchens.group'))}<input {...field('groupName')} required /></div>
      <div className="kitchen-field">{label('groupNameHi', t('kitchens.groupHi'))}<input {...field('groupNameHi')} lang="hi" /></div>
      <div className="kitchen-field kitchen-wide">
        <label htmlFor={`${ids}-members`}>{t('kitchens.members')}{Object.keys(errors).some((k) => k.startsWith('members')) && <span className="field-error" role="alert"> {Object.entries(errors).filter(([k]) => k.startsWith('members')).map(([, v]) => v).join('; ')}</span>}</label>
        <textarea {...field('members')} rows={3} required placeholder={t('kitchens.membersHint')} />
      </div>
      <div className="kitchen-field">{label('bankAccount', t('kitchens.bankAccount'))}<input {...field('bankAccount')} inputMode="numeric" required /></div>
      <div className="kitchen-field">{label('ifsc', t('kitchens.ifsc'))}<input {...field('ifsc')} required /></div>
      <div className="kitchen-field">{label('startedOn', t('kitchens.startedOn'))}<input type="date" {...field('startedOn')} required /></div>
      <div className="actions">
        <button type="submit" disabled={busy}>{t('kitchens.register')}</button>
        <button type="button" className="secondary" onClick={onCancel}>{t('kitchens.cancel')}</button>
      </div>
    </form>
  );
}

function KitchenPage({ id, month }: { id: string; month: string }) {
  const { t, lang, date } = useI18n();
  const me = useMe();
  const { error, problems } = useApiErrors();
  const ids = useId();
  const [kitchen, setKitchen] = useState<Kitchen | null>(null);
  const [days, setDays] = useState<Day[]>([]);
  const [bill, setBill] = useState<Bill | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const [entry, setEntry] = useState({ date: `${month}-01`, inpatients: '', mealsServed: '', attendantMeals: '', correctionReason: '' });
  const [entryErrors, setEntryErrors] = useState<Record<string, string>>({});
  const [reference, setReference] = useState('');

  useEffect(() => {
    const ctrl = new AbortController();
    setProblem(null);
    Promise.all([getKitchen(id, ctrl.signal), listDays(id, month, ctrl.signal), getBill(id, month, ctrl.signal)])
      .then(([k, d, b]) => { setKitchen(k); setDays(d.items); setBill(b); })
      .catch((err) => { if (!ctrl.signal.aborted) setProblem(error(err)); });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, month, reload]);

  async function saveDay(e: FormEvent) {
    e.preventDefault();
    setSaved(null);
    try {
      await recordDay(id, {
        date: entry.date, inpatients: Number(entry.inpatients), mealsServed: Number(entry.mealsServed),
        ...(entry.attendantMeals ? { attendantMeals: Number(entry.attendantMeals) } : {}),
        ...(entry.correctionReason.trim() ? { correctionReason: entry.correctionReason.trim() } : {}),
      });
      setEntryErrors({});
      setSaved(t('kitchens.daySaved', { date: date(entry.date) }));
      setEntry({ ...entry, inpatients: '', mealsServed: '', attendantMeals: '', correctionReason: '' });
      setReload((n) => n + 1);
    } catch (err) {
      const p = problems(err, () => false);
      setEntryErrors({ ...p.errors, _top: p.top ?? error(err) });
    }
  }

  async function move(action: 'submit' | 'approve' | 'pay') {
    setProblem(null);
    try {
      setBill(await moveBill(id, month, action, action === 'pay' ? reference.trim() : undefined));
      setReload((n) => n + 1);
    } catch (err) {
      setProblem(error(err));
    }
  }

  const status = bill?.status ?? 'draft';
  const entryField = (k: keyof typeof entry) => ({ id: `${ids}-${k}`, value: entry[k], onChange: (e: { target: { value: string } }) => setEntry({ ...entry, [k]: e.target.value }) });
  return (
    <section aria-labelledby="kitchen-title" className="kitchen">
      <p><a href={href('/kitchens')}>← {t('kitchens.title')}</a></p>
      <h1 id="kitchen-title">{kitchen ? `${kitchen.hospital.name}: ${lang === 'hi' && kitchen.groupNameHi ? kitchen.groupNameHi : kitchen.groupName}` : t('kitchens.title')}</h1>
      {problem && <Notice kind="error">{problem}</Notice>}
      {kitchen && (
        <p className="kitchen-meta">
          {t('kitchens.members')}: {kitchen.members.map((m) => m.name).join(', ')} · {t('kitchens.account')}: {kitchen.bankAccount ?? kitchen.bankAccountMasked} · {kitchen.ifsc}
        </p>
      )}
      <form className="inline-form" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor={`${ids}-month`}>{t('kitchens.month')}</label>
        <input id={`${ids}-month`} type="month" value={month} onChange={(e) => { if (e.target.value) window.location.hash = href(`/kitchens/${id}`, { month: e.target.value }); }} />
      </form>

      <h2>{t('kitchens.bill')}</h2>
      {bill && (
        <div className="card kitchen-bill" data-testid="kitchen-bill" data-status={status}>
          <p><span className={`badge kitchen-status-${status}`}>{t(`kitchens.status.${status}` as 'kitchens.status.draft')}</span></p>
          <dl>
            <dt>{t('kitchens.amount')}</dt><dd data-testid="kitchen-bill-amount">{rupees(bill.amount, lang)}</dd>
            <dt>{t('kitchens.daysEntered')}</dt><dd>{t('kitchens.dayCount', { count: bill.days })}</dd>
            <dt>{t('kitchens.patientDays')}</dt><dd>{bill.patientDays.toLocaleString(lang === 'hi' ? 'hi-IN' : 'en-IN')}</dd>
            <dt>{t('kitchens.attendantMeals')}</dt><dd>{bill.attendantMeals.toLocaleString(lang === 'hi' ? 'hi-IN' : 'en-IN')}</dd>
            {bill.paymentReference && <><dt>{t('kitchens.reference')}</dt><dd>{bill.paymentReference}</dd></>}
          </dl>
          <Flags flags={bill.flags} />
          <div className="actions">
            {status === 'draft' && can(me, 'can_run_kitchen') && <button type="button" onClick={() => move('submit')}>{t('kitchens.submitBill')}</button>}
            {status === 'submitted' && can(me, 'can_manage_kitchens') && <button type="button" onClick={() => move('approve')}>{t('kitchens.approveBill')}</button>}
            {status === 'approved' && can(me, 'can_pay_kitchens') && (
              <>
                <label htmlFor={`${ids}-ref`}>{t('kitchens.reference')}</label>
                <input id={`${ids}-ref`} value={reference} onChange={(e) => setReference(e.target.value)} />
                <button type="button" disabled={reference.trim().length < 3} onClick={() => move('pay')}>{t('kitchens.markPaid')}</button>
              </>
            )}
          </div>
        </div>
      )}

      <h2>{t('kitchens.days')}</h2>
      {can(me, 'can_run_kitchen') && status === 'draft' && (
        <form className="card kitchen-day" onSubmit={saveDay} aria-label={t('kitchens.enterDay')}>
          {entryErrors._top && <Notice kind="error">{entryErrors._top}</Notice>}
          {saved && <Notice kind="success">{saved}</Notice>}
          <div className="kitchen-field"><label htmlFor={`${ids}-date`}>{t('kitchens.date')}</label><input type="date" {...entryField('date')} required /></div>
          <div className="kitchen-field"><label htmlFor={`${ids}-inpatients`}>{t('kitchens.inpatients')}</label><input type="number" min={0} {...entryField('inpatients')} required /></div>
          <div className="kitchen-field"><label htmlFor={`${ids}-mealsServed`}>{t('kitchens.mealsServed')}</label><input type="number" min={0} {...entryField('mealsServed')} required /></div>
          <div className="kitchen-field"><label htmlFor={`${ids}-attendantMeals`}>{t('kitchens.attendantMeals')}</label><input type="number" min={0} {...entryField('attendantMeals')} /></div>
          <div className="kitchen-field"><label htmlFor={`${ids}-correctionReason`}>{t('kitchens.correctionReason')}</label><input {...entryField('correctionReason')} placeholder={t('kitchens.correctionHint')} /></div>
          <div className="actions"><button type="submit">{t('kitchens.saveDay')}</button></div>
        </form>
      )}
      {days.length === 0 ? <Notice kind="info">{t('kitchens.noDays')}</Notice> : (
        <div className="table-wrap">
          <table className="data-table" data-testid="kitchen-days">
            <thead><tr><th>{t('kitchens.date')}</th><th>{t('kitchens.inpatients')}</th><th>{t('kitchens.mealsServed')}</th><th>{t('kitchens.attendantMeals')}</th><th>{t('kitchens.correctionReason')}</th></tr></thead>
            <tbody>
              {days.map((d) => (
                <tr key={d.date} className={d.flags.length ? 'flagged' : undefined}>
                  <td>{date(d.date)}</td><td>{d.inpatients}</td><td>{d.mealsServed}{d.flags.length ? ' ⚠' : ''}</td><td>{d.attendantMeals}</td><td>{d.correctionReason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
