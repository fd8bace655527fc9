import { useEffect, useState, type FormEvent } from 'react';
import { downloadFile } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useTele } from './bits.tsx';
import { dispense, getPrescription, type Prescription, type PrescriptionItem } from './tele.api.ts';

const defaultQuantity = (i: PrescriptionItem) => {
  if (i.dispensedQuantity || !i.inStock || !i.suggestedQuantity) return '';
  return String(Math.min(i.suggestedQuantity, i.stockQuantity ?? 0));
};

/** A prescription with the spoke's stock of each line, and the form that records what was handed over. */
export function DispenseForm({ prescriptionId }: { prescriptionId: string }) {
  const { t, num, lang } = useI18n();
  const tele = useTele();
  const [rx, setRx] = useState<Prescription | null>(null);
  const [qty, setQty] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const show = (p: Prescription) => {
    setRx(p);
    setQty(Object.fromEntries(p.items.map((i) => [i.id, defaultQuantity(i)])));
  };
  useEffect(() => {
    const ctrl = new AbortController();
    getPrescription(prescriptionId, ctrl.signal).then(show).catch((err) => !ctrl.signal.aborted && setProblem(tele.error(err)));
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [prescriptionId]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!rx) return;
    setProblem(null);
    setDone(false);
    const items: { itemId: string; quantity: number }[] = [];
    for (const i of rx.items) {
      const s = (qty[i.id] ?? '').trim();
      if (!s) continue;
      const n = Number(s);
      if (!Number.isInteger(n) || n < 1) {
        setProblem(t('tele.err.quantity', { medicine: i.label }));
        return;
      }
      items.push({ itemId: i.id, quantity: n });
    }
    if (!items.length) {
      setProblem(t('tele.err.nothingToDispense'));
      return;
    }
    setBusy(true);
    try {
      show(await dispense(rx.id, items));
      setDone(true);
    } catch (err) {
      setProblem(tele.error(err));
    } finally {
      setBusy(false);
    }
  }

  async function pdf() {
    setProblem(null);
    try {
      await downloadFile(`/api/telemedicine/prescriptions/${encodeURIComponent(prescriptionId)}.pdf`, undefined, `prescription-${prescriptionId}.pdf`, 'application/pdf');
    } catch (err) {
      setProblem(tele.error(err));
    }
  }

  if (!rx) return problem ? <Notice kind="error">{problem}</Notice> : <p className="muted">{t('common.loading')}</p>;
  return (
    <form className="tele-dispense" onSubmit={submit} noValidate aria-label={t('tele.prescription')}>
      <div className="page-head">
        <h3>{t('tele.prescription')}</h3>
        <button type="button" className="secondary small" onClick={() => void pdf()}>{t('tele.downloadPrescription')}</button>
      </div>
      {problem && <Notice kind="error">{problem}</Notice>}
      {done && <Notice kind="success">{t('tele.dispensed')}</Notice>}
      <div className="table-wrap">
        <table className="data-table tele-rx-table">
          <thead>
            <tr>
              <th scope="col">{t('tele.medicine')}</th>
              <th scope="col">{t('tele.howToTake')}</th>
              <th scope="col">{t('tele.stockAtSpoke')}</th>
              <th scope="col">{t('tele.handOver')}</th>
            </tr>
          </thead>
          <tbody>
            {rx.items.map((i) => (
              <tr key={i.id} data-code={i.code ?? ''}>
                <th scope="row">
                  {i.label}
                  {lang === 'hi' && i.nameHi && <div className="sub" lang="hi">{i.nameHi} {i.formHi ? `(${i.formHi})` : ''}</div>}
                </th>
                <td>
                  {i.dose} · {lang === 'hi' ? i.frequencyTextHi : i.frequencyText} · {t('tele.forDays', { n: num(i.days) })}
                  {i.instructions && <div className="sub">{i.instructions}</div>}
                </td>
                <td>
                  {i.inStock
                    ? <span className="tele-stock in">✓ {t('tele.inStock', { n: num(i.stockQuantity ?? 0) })}</span>
                    : <span className="tele-stock out">✗ {t('tele.notInStock')}</span>}
                </td>
                <td>
                  {i.dispensedQuantity
                    ? <span className="tele-dispensed">{t('tele.handedOver', { n: num(i.dispensedQuantity) })}</span>
                    : (
                      <input type="text" inputMode="numeric" className="tele-qty" value={qty[i.id] ?? ''} disabled={!i.inStock}
                        aria-label={t('tele.quantityFor', { medicine: i.label })}
                        onChange={(e) => setQty((s) => ({ ...s, [i.id]: e.target.value }))} />
                    )}
                  {!i.dispensedQuantity && i.suggestedQuantity !== null && <div className="sub">{t('tele.suggested', { n: num(i.suggestedQuantity) })}</div>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rx.items.some((i) => !i.dispensedQuantity && i.inStock) && (
        <div className="form-actions"><button type="submit" disabled={busy}>{busy ? t('common.saving') : t('tele.recordDispensing')}</button></div>
      )}
    </form>
  );
}
