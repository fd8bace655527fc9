import { useEffect, useId, useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Notice } from '../../components/Notice.tsx';
import { formatDateTime, useI18n } from '../../i18n/i18n.tsx';
import { can, useMe } from '../auth/session.tsx';
import { downloadBatchFile, getBatch, listBatches, makeBatch, claimMonthIst, uploadReturns, type Batch, type ReturnsReport } from './asha.api.ts';
import { BlockPicker, readText, useAsha } from './bits.tsx';

/**
 * The block accountant's month: make the block's batch of approved claims (totals, and rows held back
 * with their reasons, such as a wrong IFSC, without sinking the batch), download its payment file for
 * the bank, and upload the bank's return file, which marks each payment paid or failed.
 */
export function PaymentsPage() {
  const { t, num } = useI18n();
  const a = useAsha();
  const me = useMe();
  const ids = useId();
  const [block, setBlock] = useState(me.orgUnit.level.toLowerCase() === 'block' ? me.orgUnit.id : '');
  const [month, setMonth] = useState(claimMonthIst());
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [made, setMade] = useState<Batch | null>(null);
  const [batches, setBatches] = useState<Batch[] | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    if (!block) { setBatches(null); return; }
    const ctrl = new AbortController();
    listBatches(block, ctrl.signal)
      .then((r) => setBatches(r.items))
      .catch((err) => { if (!ctrl.signal.aborted) setError(a.error(err)); });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [block, reload]);

  const make = async () => {
    setBusy(true);
    setError(null);
    try {
      const b = await makeBatch(block, month);
      setMade(b);
      setOpenId(b.id);
      setReload((n) => n + 1);
    } catch (err) {
      setError(a.error(err));
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  if (!can(me, 'can_pay_asha')) {
    return <section><h1>{t('asha.pay.title')}</h1><Notice kind="error">{t('asha.pay.notAccountant')}</Notice></section>;
  }

  return (
    <section aria-labelledby="asha-pay-title" className="asha-pay">
      <h1 id="asha-pay-title">{t('asha.pay.title')}</h1>
      <p className="lead">{t('asha.pay.lead')}</p>
      <form className="filters" onSubmit={(e) => { e.preventDefault(); if (block && month) setConfirming(true); }} aria-labelledby={`${ids}-make`}>
        <h2 id={`${ids}-make`} className="visually-hidden">{t('asha.pay.make')}</h2>
        <BlockPicker me={me} id="asha-p-block" value={block} onChange={(b) => { setBlock(b); setMade(null); setOpenId(null); }} />
        <div className="field">
          <label htmlFor={`${ids}-month`}>{t('asha.pay.month')}</label>
          <input id={`${ids}-month`} type="month" value={month} onChange={(e) => setMonth(e.target.value)} />
        </div>
        <div className="field">
          <span aria-hidden="true">&nbsp;</span>
          <button type="submit" disabled={!block || !/^\d{4}-\d{2}$/.test(month) || busy}>{t('asha.pay.make')}</button>
        </div>
      </form>
      {error && <Notice kind="error">{error}</Notice>}
      {made && (
        <Notice kind="success">
          <span data-testid="asha-batch-made">{t('asha.pay.made', { month: a.month(made.month ?? month), total: a.money(made.total), count: made.rows })}</span>
        </Notice>
      )}
      {made && made.heldBack.length > 0 && <HeldBackTable rows={made.heldBack} />}

      <h2>{t('asha.pay.batches')}</h2>
      {!block && <p className="muted">{t('asha.pay.chooseBlock')}</p>}
      {block && !batches && !error && <Notice kind="info">{t('common.loading')}</Notice>}
      {batches && batches.length === 0 && <p className="muted">{t('asha.pay.none')}</p>}
      {batches && batches.length > 0 && (
        <div className="table-wrap">
          <table className="data-table" data-testid="asha-batches">
            <thead>
              <tr>
                <th scope="col">{t('asha.pay.month')}</th>
                <th scope="col" className="num">{t('asha.pay.rows')}</th>
                <th scope="col" className="num">{t('asha.pay.total')}</th>
                <th scope="col">{t('asha.pay.state')}</th>
                <th scope="col"><span className="visually-hidden">{t('asha.pay.open')}</span></th>
              </tr>
            </thead>
            <tbody>
              {batches.map((b) => (
                <tr key={b.id} data-batch-id={b.id}>
                  <th scope="row">{a.month(b.month)}{b.createdAt && <div className="sub muted">{formatDateTime(b.createdAt)}</div>}</th>
                  <td className="num">{num(b.rows)}</td>
                  <td className="num">{a.money(b.total)}</td>
                  <td>{b.status ? a.batchStatus(b.status) : '—'}</td>
                  <td><button type="button" className="secondary small" aria-expanded={openId === b.id} onClick={() => setOpenId(openId === b.id ? null : b.id)}>{t('asha.pay.open')}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {openId && <BatchPanel key={openId} id={openId} onChanged={() => setReload((n) => n + 1)} />}
      <ConfirmDialog
        open={confirming}
        title={t('asha.pay.confirmTitle')}
        confirmLabel={t('asha.pay.make')}
        cancelLabel={t('action.cancel')}
        busy={busy}
        onConfirm={() => void make()}
        onCancel={() => setConfirming(false)}
      >
        <p>{t('asha.pay.confirmText', { month: a.month(month) })}</p>
      </ConfirmDialog>
    </section>
  );
}

function HeldBackTable({ rows }: { rows: { ashaId: string; name: string; reason: string }[] }) {
  const { t } = useI18n();
  return (
    <section className="panel asha-heldback" aria-labelledby="asha-heldback-title">
      <h3 id="asha-heldback-title">{t('asha.pay.heldBack', { count: rows.length })}</h3>
      <table className="data-table" data-testid="asha-heldback">
        <thead><tr><th scope="col">{t('asha.verify.asha')}</th><th scope="col">{t('asha.list.reason')}</th></tr></thead>
        <tbody>{rows.map((r) => <tr key={r.ashaId}><td>{r.name}</td><td>{r.reason}</td></tr>)}</tbody>
      </table>
    </section>
  );
}

/** One batch: its totals, held-back rows, the payment file, and the bank's return file. */
function BatchPanel({ id, onChanged }: { id: string; onChanged: () => void }) {
  const { t, num } = useI18n();
  const a = useAsha();
  const ids = useId();
  const [batch, setBatch] = useState<Batch | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [fileKey, setFileKey] = useState(0);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<ReturnsReport | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    const ctrl = new AbortController();
    getBatch(id, ctrl.signal).then(setBatch).catch((err) => { if (!ctrl.signal.aborted) setError(a.error(err)); });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, reload]);

  const download = async () => {
    setError(null);
    try {
      await downloadBatchFile(id, `asha-payments-${batch?.month ?? ''}-${id.slice(0, 8)}.csv`);
    } catch (err) {
      setError(a.error(err));
    }
  };

  const upload = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const r = await uploadReturns(id, await readText(file));
      setReport(r);
      setFile(null);
      setFileKey((k) => k + 1);
      setReload((n) => n + 1);
      onChanged();
    } catch (err) {
      setError(a.error(err));
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  const unknown = report ? (Array.isArray(report.unknown) ? report.unknown.length : report.unknown) : 0;
  const counts = batch?.items ? {
    paid: batch.items.filter((r) => r.status === 'paid').length,
    failed: batch.items.filter((r) => r.status === 'failed').length,
  } : null;
  return (
    <section className="panel asha-batch" aria-labelledby={`${ids}-title`} data-testid="asha-batch">
      <h2 id={`${ids}-title`}>{batch ? t('asha.pay.batchOf', { month: a.month(batch.month) }) : t('common.loading')}</h2>
      {error && <Notice kind="error">{error}</Notice>}
      {batch && (
        <>
          <div className="cards">
            <div className="card"><div className="card-value">{a.money(batch.total)}</div><div className="card-label">{t('asha.pay.total')}</div></div>
            <div className="card"><div className="card-value">{num(batch.rows)}</div><div className="card-label">{t('asha.pay.rows')}</div></div>
            {counts && <div className="card"><div className="card-value" data-testid="asha-batch-paid">{num(counts.paid)}</div><div className="card-label">{t('asha.pay.paid')}</div></div>}
            {counts && <div className="card"><div className="card-value" data-testid="asha-batch-failed">{num(counts.failed)}</div><div className="card-label">{t('asha.pay.failed')}</div></div>}
          </div>
          {batch.heldBack?.length > 0 && <HeldBackTable rows={batch.heldBack} />}
          {batch.items && batch.items.length > 0 && (
            <div className="table-wrap">
              <table className="data-table" data-testid="asha-batch-rows">
                <thead>
                  <tr>
                    <th scope="col">{t('asha.pay.reference')}</th>
                    <th scope="col">{t('asha.verify.asha')}</th>
                    <th scope="col" className="hide-narrow">{t('asha.workers.bank')}</th>
                    <th scope="col">{t('asha.pay.fund')}</th>
                    <th scope="col" className="num">{t('asha.list.amount')}</th>
                    <th scope="col">{t('asha.pay.state')}</th>
                  </tr>
                </thead>
                <tbody>
                  {batch.items.map((r) => (
                    <tr key={r.reference} data-reference={r.reference} data-status={r.status}>
                      <td className="mono">{r.reference}</td>
                      <td>{r.name}</td>
                      <td className="hide-narrow mono">{r.bankAccountMasked ?? '—'}{r.ifsc && <div className="sub">{r.ifsc}</div>}</td>
                      <td>{a.fund(r.fundSource)}</td>
                      <td className="num">{a.money(r.amount)}</td>
                      <td>
                        {a.rowStatus(r.status)}
                        {r.utr && <div className="sub mono">{t('asha.pay.utr', { utr: r.utr })}</div>}
                        {r.reason && <div className="sub asha-reason">{r.reason}</div>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <div className="asha-row-actions">
            <button type="button" className="secondary" onClick={() => void download()}>{t('asha.pay.download')}</button>
          </div>
          <form className="inline-form" onSubmit={(e) => { e.preventDefault(); if (file) setConfirming(true); }}>
            <div className="field">
              <label htmlFor={`${ids}-returns`}>{t('asha.pay.returnsFile')}</label>
              <input key={fileKey} id={`${ids}-returns`} type="file" accept=".csv,text/csv,text/plain" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
            </div>
            <div className="field">
              <span aria-hidden="true">&nbsp;</span>
              <button type="submit" disabled={!file || busy}>{t('asha.pay.upload')}</button>
            </div>
          </form>
          {report && (
            <Notice kind={report.failed || unknown ? 'info' : 'success'}>
              <span data-testid="asha-returns-report">{t('asha.pay.returned', { paid: report.paid, failed: report.failed, unknown })}</span>
            </Notice>
          )}
        </>
      )}
      <ConfirmDialog
        open={confirming}
        title={t('asha.pay.uploadTitle')}
        confirmLabel={t('asha.pay.upload')}
        cancelLabel={t('action.cancel')}
        busy={busy}
        onConfirm={() => void upload()}
        onCancel={() => setConfirming(false)}
      >
        <p>{t('asha.pay.uploadText', { file: file?.name ?? '' })}</p>
      </ConfirmDialog>
    </section>
  );
}
