import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { medicineLabel, useTele } from './bits.tsx';
import { getStock, saveStock, STOCK_CHANGED, type StockList } from './tele.api.ts';

type Row = StockList['items'][number];

/**
 * The centre's medicine stock: what is on the shelf now, for every medicine of the formulary. Handing
 * medicines over lowers it by itself; the CHO sets it here after a supply arrives or after counting.
 * Only the rows changed are sent.
 */
export function StockPanel() {
  const { t, num, date, lang } = useI18n();
  const tele = useTele();
  const [stock, setStock] = useState<StockList | null>(null);
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [filter, setFilter] = useState('');
  // Kept as what happened, not as text, so that a switch of language changes them too.
  const [problem, setProblem] = useState<string | { bad: Row } | null>(null);
  const [done, setDone] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);

  // Loaded at first, and again whenever medicines are handed over on this page (what is being typed stays).
  useEffect(() => {
    let ctrl = new AbortController();
    const load = () => {
      ctrl.abort();
      ctrl = new AbortController();
      const { signal } = ctrl;
      getStock(signal).then(setStock).catch((err) => !signal.aborted && setProblem(tele.error(err)));
    };
    load();
    window.addEventListener(STOCK_CHANGED, load);
    return () => {
      window.removeEventListener(STOCK_CHANGED, load);
      ctrl.abort();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const shown = useMemo(() => {
    const words = filter.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const text = (r: Row) => `${r.genericName} ${r.nameHi ?? ''} ${r.strength} ${r.form} ${r.formHi}`.toLowerCase();
    return (stock?.items ?? []).filter((r) => words.every((w) => text(r).includes(w)));
  }, [stock, filter]);

  const changed = (stock?.items ?? []).filter((r) => edits[r.code] !== undefined && edits[r.code]!.trim() !== String(r.quantity));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    setDone(null);
    const items: { code: string; quantity: number }[] = [];
    for (const r of changed) {
      const s = edits[r.code]!.trim();
      const n = Number(s);
      if (!/^\d+$/.test(s) || !Number.isSafeInteger(n)) {
        setProblem({ bad: r });
        document.getElementById(`tele-stock-${r.code}`)?.focus();
        return;
      }
      items.push({ code: r.code, quantity: n });
    }
    if (!items.length) {
      setDone(0);
      return;
    }
    setBusy(true);
    try {
      const saved = await saveStock(items);
      const now = new Map(saved.items.map((x) => [x.code, x]));
      setStock((s) => s && { ...s, items: s.items.map((r) => now.get(r.code) ?? r) });
      setEdits({});
      setDone(items.length);
    } catch (err) {
      setProblem(tele.error(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel tele-stock" onSubmit={submit} noValidate aria-labelledby="tele-stock-title">
      <h2 id="tele-stock-title">{t('tele.stockTitle')}{stock && <span className="sub"> · {tele.name(stock.facility)}</span>}</h2>
      <p className="muted">{t('tele.stockLead')}</p>
      {problem && <Notice kind="error">{typeof problem === 'string' ? problem : t('tele.stockBad', { medicine: medicineLabel(problem.bad, lang) })}</Notice>}
      {done !== null && <Notice kind="success">{done ? t('tele.stockSaved', { n: num(done) }) : t('tele.stockNothing')}</Notice>}
      {stock === null && !problem && <p className="muted">{t('common.loading')}</p>}
      {stock && (
        <>
          <label htmlFor="tele-stock-filter">{t('tele.stockFilter')}</label>
          <input id="tele-stock-filter" type="search" value={filter} onChange={(e) => setFilter(e.target.value)} autoComplete="off" />
          <div className="table-scroll">
            <table className="data-table compact">
              <thead>
                <tr>
                  <th scope="col">{t('tele.stockMedicine')}</th>
                  <th scope="col" className="num">{t('tele.stockQuantity')}</th>
                  <th scope="col">{t('tele.stockUpdated')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((r) => (
                  <tr key={r.code} data-code={r.code}>
                    <td><label htmlFor={`tele-stock-${r.code}`}>{medicineLabel(r, lang)}</label></td>
                    <td className="num">
                      <input id={`tele-stock-${r.code}`} className="qty" inputMode="numeric" value={edits[r.code] ?? String(r.quantity)}
                        onChange={(e) => { const v = e.target.value; setEdits((x) => ({ ...x, [r.code]: v })); }} />
                    </td>
                    <td className="sub">{r.updatedAt ? date(r.updatedAt) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {shown.length === 0 && <p className="muted">{t('tele.noMedicine', { q: filter.trim() })}</p>}
          <div className="form-actions">
            <button type="submit" disabled={busy}>{busy ? t('common.saving') : t('tele.stockSave', { n: num(changed.length) })}</button>
          </div>
        </>
      )}
    </form>
  );
}
