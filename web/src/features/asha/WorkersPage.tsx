import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { get } from '../../api.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Notice } from '../../components/Notice.tsx';
import { formatDate, useI18n } from '../../i18n/i18n.tsx';
import { can, useMe } from '../auth/session.tsx';
import { getChildren, unitName, type GeoUnit } from '../geo/geo.api.ts';
import { addWorker, importWorkers, listWorkers, type ImportReport, type Worker, type WorkerBody } from './asha.api.ts';
import { BlockPicker, readText, useAsha } from './bits.tsx';
import { EscalatedList } from './EscalatedList.tsx';
import { CursorPager } from '../../components/CursorPager.tsx';

interface Facility { id: string; name: string; nameHi?: string | null; type?: string }

/** Which CSV columns the import reads (the server's own word on each row comes back in the report). */
const CSV_HEADER = 'name,name_hi,mobile,sub_centre_id,village_ids,bank_account,ifsc,active_from';

/**
 * The register of a block's ASHAs, for district and block officers: the list (searched by name or
 * mobile, paged), a new ASHA (who gets a user account with the role asha), and an import from a CSV
 * with the server's report of each row it refused and why.
 */
export function WorkersPage() {
  const { t } = useI18n();
  const a = useAsha();
  const me = useMe();
  const [block, setBlock] = useState(me.orgUnit.level.toLowerCase() === 'block' ? me.orgUnit.id : '');
  const [q, setQ] = useState('');
  const [typed, setTyped] = useState('');
  const [cursors, setCursors] = useState<string[]>([]);
  const [page, setPage] = useState<{ items: Worker[]; nextCursor: string | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState<string | null>(null);

  useEffect(() => {
    const id = setTimeout(() => { setQ(typed.trim()); setCursors([]); }, 300);
    return () => clearTimeout(id);
  }, [typed]);

  useEffect(() => {
    if (!block) { setPage(null); return; }
    const ctrl = new AbortController();
    setError(null);
    listWorkers({ block, q: q || undefined, cursor: cursors.at(-1) }, ctrl.signal)
      .then(setPage)
      .catch((err) => { if (!ctrl.signal.aborted) { setPage(null); setError(a.error(err)); } });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [block, q, cursors, reload]);

  if (!can(me, 'can_manage_asha')) {
    return <section><h1>{t('asha.workers.title')}</h1><Notice kind="error">{t('asha.workers.notOfficer')}</Notice></section>;
  }

  return (
    <section aria-labelledby="asha-workers-title" className="asha-workers">
      <div className="page-head">
        <h1 id="asha-workers-title">{t('asha.workers.title')}</h1>
        {block && !adding && <button type="button" onClick={() => { setAdding(true); setAdded(null); }}>{t('asha.workers.add')}</button>}
      </div>
      {/* The district's officers (who have no verification queue) are told here of claims escalated to the district. */}
      {!can(me, 'can_approve_asha_claims') && ['district', 'state', 'country'].includes(me.orgUnit.level.toLowerCase()) && <EscalatedList />}
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label={t('asha.workers.filters')}>
        <BlockPicker me={me} id="asha-w-block" value={block} onChange={(b) => { setBlock(b); setCursors([]); }} />
        <div className="field field-grow">
          <label htmlFor="asha-w-q">{t('asha.workers.search')}</label>
          <input id="asha-w-q" type="search" value={typed} onChange={(e) => setTyped(e.target.value)} />
        </div>
      </form>
      {added && <Notice kind="success"><span data-testid="asha-worker-added">{added}</span></Notice>}
      {adding && block && (
        <WorkerForm block={block} onCancel={() => setAdding(false)} onAdded={(name, username) => {
          setAdding(false);
          setAdded(t('asha.workers.added', { name, username }));
          setReload((n) => n + 1);
        }} />
      )}
      {error && <Notice kind="error">{error}</Notice>}
      {!block && <p className="muted">{t('asha.pay.chooseBlock')}</p>}
      {block && !page && !error && <Notice kind="info">{t('common.loading')}</Notice>}
      {page && (
        <>
          <div className="table-wrap">
            <table className="data-table" data-testid="asha-workers">
              <thead>
                <tr>
                  <th scope="col">{t('asha.workers.name')}</th>
                  <th scope="col">{t('asha.workers.mobile')}</th>
                  <th scope="col">{t('asha.workers.subCentre')}</th>
                  <th scope="col" className="hide-narrow">{t('asha.workers.bank')}</th>
                  <th scope="col" className="hide-narrow">{t('asha.workers.activeFrom')}</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((w) => (
                  <tr key={w.id}>
                    <td>{a.name(w.name, w.nameHi)}{w.active === false && <> <span className="badge">{t('asha.workers.inactive')}</span></>}{w.username && <div className="sub muted mono">{w.username}</div>}</td>
                    <td className="mono">{w.mobile}</td>
                    <td>{w.subCentre ? a.name(w.subCentre.name, w.subCentre.nameHi) : '—'}</td>
                    <td className="hide-narrow mono">{w.bankAccount ?? w.bankAccountMasked ?? '—'}{w.ifsc && <div className="sub">{w.ifsc}</div>}</td>
                    <td className="hide-narrow">{formatDate(w.activeFrom)}</td>
                  </tr>
                ))}
                {page.items.length === 0 && <tr><td colSpan={5} className="empty">{t('asha.workers.empty')}</td></tr>}
              </tbody>
            </table>
          </div>
          <CursorPager cursors={cursors} next={page.nextCursor} onPage={setCursors} />
        </>
      )}
      <ImportPanel block={block} onDone={() => setReload((n) => n + 1)} />
    </section>
  );
}

type FieldKey = 'name' | 'mobile' | 'subCentreId' | 'bankAccount' | 'ifsc';

function WorkerForm({ block, onCancel, onAdded }: { block: string; onCancel: () => void; onAdded: (name: string, username: string) => void }) {
  const { t, lang } = useI18n();
  const a = useAsha();
  const ids = useId();
  const [form, setForm] = useState({ name: '', nameHi: '', mobile: '', subCentreId: '', bankAccount: '', ifsc: '', activeFrom: '' });
  const [villageIds, setVillageIds] = useState<string[]>([]);
  const [facilities, setFacilities] = useState<Facility[]>([]);
  const [villages, setVillages] = useState<GeoUnit[]>([]);
  const [errors, setErrors] = useState<Partial<Record<FieldKey, string>>>({});
  const [top, setTop] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    get<{ items: Facility[] }>('/api/facilities', { block, ownership: 'public', limit: 200 })
      .then((r) => live && setFacilities([...r.items].sort((x, y) => Number(y.type === 'SC') - Number(x.type === 'SC') || x.name.localeCompare(y.name))))
      .catch(() => undefined);
    // Villages of the block: directly under it, or under its panchayats.
    getChildren(block).then(async (kids) => {
      const direct = kids.filter((k) => k.level.toLowerCase() === 'village');
      const panchayats = kids.filter((k) => k.level.toLowerCase() === 'panchayat');
      const nested = (await Promise.all(panchayats.map((p) => getChildren(p.id).catch(() => [])))).flat();
      if (live) setVillages([...direct, ...nested].sort((x, y) => x.name.localeCompare(y.name)));
    }).catch(() => undefined);
    return () => { live = false; };
  }, [block]);

  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => {
    setForm((f) => ({ ...f, [k]: e.target.value }));
    setErrors((x) => ({ ...x, [k]: undefined }));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTop(null);
    const errs: Partial<Record<FieldKey, string>> = {};
    if (!form.name.trim()) errs.name = t('asha.workers.nameMissing');
    if (!/^[6-9]\d{9}$/.test(form.mobile.trim())) errs.mobile = t('asha.workers.mobileBad');
    if (!form.subCentreId) errs.subCentreId = t('asha.workers.subCentreMissing');
    if (!/^\d{9,18}$/.test(form.bankAccount.trim())) errs.bankAccount = t('asha.workers.accountBad');
    if (!/^[A-Z]{4}0[A-Z0-9]{6}$/.test(form.ifsc.trim().toUpperCase())) errs.ifsc = t('asha.workers.ifscBad');
    setErrors(errs);
    if (Object.keys(errs).length) return;
    const body: WorkerBody = {
      name: form.name.trim(), mobile: form.mobile.trim(), subCentreId: form.subCentreId,
      bankAccount: form.bankAccount.trim(), ifsc: form.ifsc.trim().toUpperCase(),
      ...(form.nameHi.trim() ? { nameHi: form.nameHi.trim() } : {}),
      ...(villageIds.length ? { villageIds } : {}),
      ...(form.activeFrom ? { activeFrom: form.activeFrom } : {}),
    };
    setBusy(true);
    try {
      const r = await addWorker(body);
      onAdded(body.name, r.username);
    } catch (err) {
      const p = a.problems(err, (f) => ['name', 'mobile', 'subCentreId', 'bankAccount', 'ifsc'].includes(f));
      setErrors(p.errors);
      setTop(p.top);
    } finally {
      setBusy(false);
    }
  };

  const field = (k: FieldKey, label: string, input: ReactNode) => (
    <div className="field">
      <label htmlFor={`${ids}-${k}`}>{label}</label>
      {input}
      {errors[k] && <span className="error" id={`${ids}-${k}-error`}>{errors[k]}</span>}
    </div>
  );
  const aria = (k: FieldKey) => ({ id: `${ids}-${k}`, 'aria-invalid': !!errors[k], 'aria-describedby': errors[k] ? `${ids}-${k}-error` : undefined });

  return (
    <form className="panel asha-worker-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>{t('asha.workers.add')}</h2>
      {top && <Notice kind="error">{top}</Notice>}
      <div className="field-pair">
        {field('name', t('asha.workers.nameEn'), <input {...aria('name')} value={form.name} onChange={set('name')} autoComplete="off" />)}
        <div className="field">
          <label htmlFor={`${ids}-nameHi`}>{t('asha.workers.nameHi')}</label>
          <input id={`${ids}-nameHi`} lang="hi" value={form.nameHi} onChange={set('nameHi')} autoComplete="off" />
        </div>
      </div>
      {field('mobile', t('asha.workers.mobile'), <input {...aria('mobile')} inputMode="numeric" value={form.mobile} onChange={set('mobile')} autoComplete="off" />)}
      {field('subCentreId', t('asha.workers.subCentre'), (
        <select {...aria('subCentreId')} value={form.subCentreId} onChange={set('subCentreId')}>
          <option value="">{t('asha.choose')}</option>
          {facilities.map((f) => <option key={f.id} value={f.id}>{unitName(f, lang)}{f.type ? ` (${f.type})` : ''}</option>)}
        </select>
      ))}
      {villages.length > 0 && (
        <fieldset className="asha-villages">
          <legend>{t('asha.workers.villages')}</legend>
          {villages.map((v) => (
            <label key={v.id} className="radio">
              <input type="checkbox" checked={villageIds.includes(v.id)}
                onChange={(e) => setVillageIds((list) => (e.target.checked ? [...list, v.id] : list.filter((x) => x !== v.id)))} />
              {unitName(v, lang)}
            </label>
          ))}
        </fieldset>
      )}
      <div className="field-pair">
        {field('bankAccount', t('asha.workers.account'), <input {...aria('bankAccount')} inputMode="numeric" value={form.bankAccount} onChange={set('bankAccount')} autoComplete="off" />)}
        {field('ifsc', t('asha.workers.ifsc'), <input {...aria('ifsc')} value={form.ifsc} onChange={set('ifsc')} autoComplete="off" />)}
      </div>
      <div className="field">
        <label htmlFor={`${ids}-from`}>{t('asha.workers.activeFrom')}</label>
        <input id={`${ids}-from`} type="date" value={form.activeFrom} onChange={set('activeFrom')} />
      </div>
      <div className="form-actions">
        <button type="submit" disabled={busy}>{t('asha.workers.save')}</button>
        <button type="button" className="secondary" onClick={onCancel} disabled={busy}>{t('action.cancel')}</button>
      </div>
    </form>
  );
}

function ImportPanel({ block, onDone }: { block: string; onDone: () => void }) {
  const { t, lang } = useI18n();
  const a = useAsha();
  const ids = useId();
  const [file, setFile] = useState<File | null>(null);
  const [fileKey, setFileKey] = useState(0);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [centres, setCentres] = useState<Facility[]>([]);

  // The file names each ASHA's sub-centre by its id: the block's public facilities with theirs.
  useEffect(() => {
    setCentres([]);
    if (!block) return;
    const ctrl = new AbortController();
    get<{ items: Facility[] }>('/api/facilities', { block, ownership: 'public', limit: 200 }, ctrl.signal).then((r) => setCentres(r.items)).catch(() => undefined);
    return () => ctrl.abort();
  }, [block]);

  const run = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const r = await importWorkers(await readText(file));
      setReport(r);
      setFile(null);
      setFileKey((k) => k + 1);
      onDone();
    } catch (err) {
      setError(a.error(err));
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  return (
    <section className="panel asha-import" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>{t('asha.import.title')}</h2>
      <p className="muted">{t('asha.import.columns')} <code>{CSV_HEADER}</code>. {t('asha.import.hint')}</p>
      {centres.length > 0 && (
        <details className="asha-centres">
          <summary>{t('asha.import.centres')}</summary>
          <table className="data-table">
            <thead><tr><th scope="col">{t('asha.workers.subCentre')}</th><th scope="col">sub_centre_id</th></tr></thead>
            <tbody>{centres.map((f) => <tr key={f.id}><td>{unitName(f, lang)}{f.type ? ` (${f.type})` : ''}</td><td className="mono">{f.id}</td></tr>)}</tbody>
          </table>
        </details>
      )}
      <form className="inline-form" onSubmit={(e) => { e.preventDefault(); if (file) setConfirming(true); }}>
        <div className="field">
          <label htmlFor={`${ids}-file`}>{t('asha.import.file')}</label>
          <input key={fileKey} id={`${ids}-file`} type="file" accept=".csv,text/csv,text/plain" onChange={(e) => { setFile(e.target.files?.[0] ?? null); setReport(null); }} />
        </div>
        <div className="field">
          <span aria-hidden="true">&nbsp;</span>
          <button type="submit" disabled={!file || busy}>{t('asha.import.run')}</button>
        </div>
      </form>
      {error && <Notice kind="error">{error}</Notice>}
      {report && (
        <>
          <Notice kind={report.refused.length ? 'info' : 'success'}>
            <span data-testid="asha-import-report">{t('asha.import.report', { created: report.created, refused: report.refused.length })}</span>
          </Notice>
          {report.refused.length > 0 && (
            <table className="data-table" data-testid="asha-import-refused">
              <thead><tr><th scope="col">{t('asha.import.row')}</th><th scope="col">{t('asha.list.reason')}</th></tr></thead>
              <tbody>{report.refused.map((r) => <tr key={r.row}><td className="num">{r.row}</td><td>{r.reason}</td></tr>)}</tbody>
            </table>
          )}
        </>
      )}
      <ConfirmDialog
        open={confirming}
        title={t('asha.import.confirmTitle')}
        confirmLabel={t('asha.import.run')}
        cancelLabel={t('action.cancel')}
        busy={busy}
        onConfirm={() => void run()}
        onCancel={() => setConfirming(false)}
      >
        <p>{t('asha.import.confirmText', { file: file?.name ?? '' })}</p>
      </ConfirmDialog>
    </section>
  );
}
