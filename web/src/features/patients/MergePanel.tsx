import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Notice } from '../../components/Notice.tsx';
import { Pager } from '../../components/Pager.tsx';
import { useApiErrors } from '../../components/useApiErrors.ts';
import { formatDateTime, useI18n } from '../../i18n/i18n.tsx';
import { can, useMe } from '../auth/session.tsx';
import { PatientName, placeOf, useAgeSex } from './PatientBits.tsx';
import { namesOf, PAGE_SIZE, searchPatients, type SearchAnswer } from './patients.api.ts';
import { getEditable, getMerges, mergePatients, undoMerge, type EditableRecord, type MergeEntry, type MergeSide } from './patients.edit.api.ts';
import './edit.css';

/** Undo of one merge, asked for again in a dialog; `onDone` after the server has undone it. */
function UndoButton({ mergeId, label, onDone }: { mergeId: string; label: string; onDone: () => void }) {
  const { t } = useI18n();
  const apiErrors = useApiErrors();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await undoMerge(mergeId);
      setOpen(false);
      onDone();
    } catch (err) {
      setError(apiErrors.error(err));
      setOpen(false);
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <button type="button" className="secondary small" onClick={() => setOpen(true)}>{label}</button>
      {error && <Notice kind="error">{error}</Notice>}
      <ConfirmDialog open={open} title={t('patients.merge.undoTitle')} confirmLabel={t('patients.merge.undoConfirm')} cancelLabel={t('patients.merge.keepMerged')}
        busy={busy} danger onConfirm={() => void confirm()} onCancel={() => setOpen(false)}>
        <p>{t('patients.merge.undoText')}</p>
      </ConfirmDialog>
    </>
  );
}

const sideName = (s: MergeSide, lang: string) => (s.name ? `${namesOf({ name: s.name, nameHi: s.nameHi ?? null }, lang).main} (${s.stateNumber})` : s.stateNumber);

/** The merges a record took part in, each with its undoing; and the way to merge another record into it. */
export function MergeHistoryPanel({ patientId }: { patientId: string }) {
  const { t, lang } = useI18n();
  const me = useMe();
  const [items, setItems] = useState<MergeEntry[] | null>(null);
  const [reload, setReload] = useState(0);
  useEffect(() => {
    const ctrl = new AbortController();
    getMerges(patientId, ctrl.signal).then((r) => setItems(r.items)).catch(() => !ctrl.signal.aborted && setItems([]));
    return () => ctrl.abort();
  }, [patientId, reload]);
  const mayMerge = can(me, 'can_update_patient');
  return (
    <section className="panel" aria-labelledby="merges-title">
      <h2 id="merges-title">{t('patients.merge.history')}</h2>
      {!items ? <p className="muted">{t('common.loading')}</p> : items.length === 0 ? <p className="muted">{t('patients.merge.none')}</p> : (
        <ul className="merge-history">
          {items.map((m) => (
            <li key={m.id}>
              <div>{t('patients.merge.entry', { from: sideName(m.from, lang), into: sideName(m.into, lang) })}</div>
              <div className="sub">
                {formatDateTime(m.mergedAt)} · {m.mergedBy ?? '—'} · {m.reason}
              </div>
              {m.undoneAt
                ? <div className="sub">{t('patients.merge.undoneBy', { by: m.undoneBy ?? '—', at: formatDateTime(m.undoneAt) })}</div>
                : mayMerge && <UndoButton mergeId={m.id} label={t('patients.merge.undo')} onDone={() => setReload((n) => n + 1)} />}
            </li>
          ))}
        </ul>
      )}
      {mayMerge && <p><a href={`#/patients/${encodeURIComponent(patientId)}/merge`}>{t('patients.merge.start')}</a></p>}
    </section>
  );
}

/** Finds the other record: search in either script, number or mobile; only records this user may read can be chosen. */
function PickOther({ selfId, onPick }: { selfId: string; onPick: (id: string) => void }) {
  const { t, lang } = useI18n();
  const ageSex = useAgeSex();
  const apiErrors = useApiErrors();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [offset, setOffset] = useState(0);
  const [answer, setAnswer] = useState<SearchAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!q) return;
    const ctrl = new AbortController();
    searchPatients(q, offset, ctrl.signal).then(setAnswer).catch((err) => !ctrl.signal.aborted && setError(apiErrors.error(err)));
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q, offset]);
  const submit = (e: FormEvent) => { e.preventDefault(); setError(null); setOffset(0); setQ(text.trim()); };
  const items = (answer?.items ?? []).filter((p) => p.id !== selfId);
  return (
    <div className="panel">
      <h2>{t('patients.merge.pickTitle')}</h2>
      <form className="input-with-button" onSubmit={submit} role="search">
        <label htmlFor="merge-q" className="visually-hidden">{t('patients.merge.searchLabel')}</label>
        <input id="merge-q" type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder={t('patients.merge.searchLabel')} />
        <button type="submit">{t('patients.merge.search')}</button>
      </form>
      {error && <Notice kind="error">{error}</Notice>}
      {answer && items.length === 0 && <p className="muted">{t('patients.merge.noHits')}</p>}
      <ul className="dup-list">
        {items.map((p) => (
          <li key={p.id}>
            <div>
              <PatientName p={p} /> <span className="mono">{p.stateNumber}</span>
              <div className="sub">{ageSex(p)} · {placeOf(p, lang)}</div>
            </div>
            {p.canRead
              ? <button type="button" className="secondary small" onClick={() => onPick(p.id)}>{t('patients.merge.choose')}<span className="visually-hidden">: {p.stateNumber}</span></button>
              : <span className="muted">{t('patients.merge.notReadable')}</span>}
          </li>
        ))}
      </ul>
      {answer && <Pager offset={offset} pageSize={PAGE_SIZE} hasNext={answer.more} onPage={setOffset} />}
    </div>
  );
}

/**
 * Merging two records of one person: pick the other record, see both side by side, choose which is
 * kept, give the reason, confirm. Afterwards the merge can be undone from here or from either record.
 */
export function MergePage({ id, query }: { id: string; query: URLSearchParams }) {
  const { t, lang } = useI18n();
  const apiErrors = useApiErrors();
  const [otherId, setOtherId] = useState(query.get('with') ?? '');
  const [pair, setPair] = useState<[EditableRecord, EditableRecord] | null>(null);
  const [kept, setKept] = useState<string>(id);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ mergeId: string; keptId: string; from: string; into: string; undone?: boolean } | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    setPair(null);
    Promise.all([getEditable(id, ctrl.signal), otherId ? getEditable(otherId, ctrl.signal) : Promise.resolve(null)])
      .then(([a, b]) => { if (b) setPair([a, b]); else setPair(null); setKept(a.id); })
      .catch((err) => !ctrl.signal.aborted && setError(apiErrors.error(err)));
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, otherId]);

  async function merge() {
    if (!pair) return;
    const into = pair.find((p) => p.id === kept)!;
    const from = pair.find((p) => p.id !== kept)!;
    setBusy(true);
    setError(null);
    try {
      const r = await mergePatients(from.id, into.id, reason.trim());
      setDone({ mergeId: r.mergeId, keptId: into.id, from: r.from, into: r.into });
    } catch (err) {
      setError(apiErrors.error(err));
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  }

  const title = <h1 id="merge-title">{t('patients.merge.title')}</h1>;
  if (done) {
    return (
      <section aria-labelledby="merge-title">
        {title}
        {done.undone
          ? <Notice kind="success">{t('patients.merge.undoneNotice', { from: done.from })}</Notice>
          : <Notice kind="success">{t('patients.merge.doneNotice', { from: done.from, into: done.into })}</Notice>}
        <p className="actions-row">
          <a className="button" href={`#/patients/${encodeURIComponent(done.keptId)}`}>{t('patients.merge.openKept')}</a>{' '}
          {!done.undone && <UndoButton mergeId={done.mergeId} label={t('patients.merge.undo')} onDone={() => setDone({ ...done, undone: true })} />}
        </p>
      </section>
    );
  }

  const rows: [string, (p: EditableRecord) => ReactNode][] = [
    ['patients.stateNumber', (p) => <span className="mono">{p.stateNumber}</span>],
    ['patients.edit.name', (p) => <PatientName p={p} />],
    ['patients.sex', (p) => t(`patients.sex.${p.sex}`)],
    ['patients.edit.birth', (p) => (p.birthDateEstimated ? t('patients.bornIn', { year: p.birthDate.slice(0, 4) }) : p.birthDate.split('-').reverse().join('/'))],
    ['patients.mobile', (p) => p.mobile ?? '—'],
    ['patients.abhaNumber', (p) => p.abha ?? '—'],
    ['patients.abhaAddress', (p) => p.abhaAddress ?? '—'],
    ['patients.aadhaar', (p) => (p.aadhaarLast4 ? `XXXX XXXX ${p.aadhaarLast4}` : '—')],
    ['patients.address', (p) => [p.address.line, lang === 'hi' && p.address.placeHi ? p.address.placeHi : p.address.place].filter(Boolean).join(', ') || '—'],
    ['patients.facilities', (p) => p.facilities.map((f) => (lang === 'hi' && f.nameHi ? f.nameHi : f.name)).join(', ') || '—'],
  ];
  const dropped = pair?.find((p) => p.id !== kept);
  const keptRecord = pair?.find((p) => p.id === kept);

  return (
    <section aria-labelledby="merge-title">
      <p className="breadcrumb"><a href="#/patients">{t('patients.title')}</a> › <a href={`#/patients/${encodeURIComponent(id)}`}>{t('patients.recordTitle')}</a></p>
      {title}
      <p className="muted">{t('patients.merge.intro')}</p>
      {error && <Notice kind="error">{error}</Notice>}
      {!pair && <PickOther selfId={id} onPick={setOtherId} />}
      {pair && (
        <form onSubmit={(e) => { e.preventDefault(); if (reason.trim().length < 3) { setError(t('patients.merge.reasonNeeded')); return; } setConfirming(true); }}>
          <div className="table-wrap">
            <table className="data-table merge-compare">
              <caption className="visually-hidden">{t('patients.merge.compare')}</caption>
              <thead>
                <tr>
                  <td />
                  {pair.map((p, i) => (
                    <th key={p.id} scope="col">
                      <label className="keep-choice">
                        <input type="radio" name="kept" value={p.id} checked={kept === p.id} onChange={() => setKept(p.id)} />{' '}
                        {t('patients.merge.keepThis', { n: i + 1 })}
                      </label>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map(([key, cell]) => (
                  <tr key={key}>
                    <th scope="row">{t(key as 'patients.sex')}</th>
                    {pair.map((p) => <td key={p.id} className={p.id === kept ? 'kept' : 'dropped'}>{cell(p)}</td>)}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="field">
            <label htmlFor="merge-reason">{t('patients.merge.reason')}</label>
            <input id="merge-reason" value={reason} maxLength={300} onChange={(e) => setReason(e.target.value)} />
          </div>
          <div className="form-actions">
            <button type="submit">{t('patients.merge.submit')}</button>
            <button type="button" className="secondary" onClick={() => { setOtherId(''); setPair(null); }}>{t('patients.merge.pickAnother')}</button>
          </div>
        </form>
      )}
      {pair && dropped && keptRecord && (
        <ConfirmDialog open={confirming} title={t('patients.merge.confirmTitle')} confirmLabel={t('patients.merge.confirm')} cancelLabel={t('patients.edit.cancel')}
          busy={busy} danger onConfirm={() => void merge()} onCancel={() => setConfirming(false)}>
          <p>{t('patients.merge.confirmText', { from: `${namesOf(dropped, lang).main} (${dropped.stateNumber})`, into: `${namesOf(keptRecord, lang).main} (${keptRecord.stateNumber})` })}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
