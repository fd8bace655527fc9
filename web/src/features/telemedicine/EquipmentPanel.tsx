import { useEffect, useState, type FormEvent } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useTele } from './bits.tsx';
import { EQUIPMENT_KINDS, setEquipment, type EquipmentKind, type HubDetail } from './tele.api.ts';

type Row = { installed: string; onOrder: string; working: string };
type Table = Record<EquipmentKind, Row>;

function tableOf(hub: HubDetail): Table {
  const out = {} as Table;
  for (const k of EQUIPMENT_KINDS) {
    const e = hub.equipment.find((x) => x.kind === k);
    out[k] = { installed: String(e?.installed ?? 0), onOrder: String(e?.onOrder ?? 0), working: String(e?.working ?? 0) };
  }
  return out;
}

/** The hub's telemedicine equipment: installed, on order, working; editable by the manager. */
export function EquipmentPanel({ hub, editable, onSaved }: { hub: HubDetail; editable: boolean; onSaved: () => void }) {
  const { t, num } = useI18n();
  const tele = useTele();
  const [rows, setRows] = useState<Table>(() => tableOf(hub));
  const [dirty, setDirty] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  // The live refresh brings new figures; do not overwrite what the manager is typing.
  useEffect(() => {
    if (!dirty) setRows(tableOf(hub));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [hub]);

  const set = (k: EquipmentKind, f: keyof Row, v: string) => {
    setRows((r) => ({ ...r, [k]: { ...r[k], [f]: v } }));
    setDirty(true);
    setSaved(false);
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    const items = [];
    for (const k of EQUIPMENT_KINDS) {
      const read = (s: string) => Number(s.trim() || '0');
      const installed = read(rows[k].installed), onOrder = read(rows[k].onOrder), working = read(rows[k].working);
      if (![installed, onOrder, working].every((n) => Number.isInteger(n) && n >= 0 && n <= 10_000)) {
        setProblem(t('tele.err.equipmentNumber', { kind: t(`tele.equipment.${k}`) }));
        return;
      }
      if (working > installed) {
        setProblem(t('tele.err.workingMore', { kind: t(`tele.equipment.${k}`) }));
        return;
      }
      items.push({ kind: k, installed, onOrder, working });
    }
    setBusy(true);
    try {
      await setEquipment(hub.id, items);
      setDirty(false);
      setSaved(true);
      onSaved();
    } catch (err) {
      setProblem(tele.error(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel tele-equipment" onSubmit={submit} noValidate aria-labelledby="equipment-title">
      <h2 id="equipment-title">{t('tele.equipmentTitle')}</h2>
      {problem && <Notice kind="error">{problem}</Notice>}
      {saved && <Notice kind="success">{t('tele.equipmentSaved')}</Notice>}
      <table className="data-table compact">
        <thead>
          <tr>
            <th scope="col">{t('tele.equipmentKind')}</th>
            <th scope="col" className="num">{t('tele.installed')}</th>
            <th scope="col" className="num">{t('tele.onOrder')}</th>
            <th scope="col" className="num">{t('tele.working')}</th>
          </tr>
        </thead>
        <tbody>
          {EQUIPMENT_KINDS.map((k) => (
            <tr key={k}>
              <th scope="row">{t(`tele.equipment.${k}`)}</th>
              {(['installed', 'onOrder', 'working'] as const).map((f) => (
                <td key={f} className="num">
                  {editable
                    ? <input className="tele-qty" inputMode="numeric" value={rows[k][f]} onChange={(e) => set(k, f, e.target.value)}
                        aria-label={`${t(`tele.equipment.${k}`)}: ${t(f === 'installed' ? 'tele.installed' : f === 'onOrder' ? 'tele.onOrder' : 'tele.working')}`} />
                    : num(Number(rows[k][f]))}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {editable && <div className="form-actions"><button type="submit" disabled={busy || !dirty}>{busy ? t('common.saving') : t('tele.saveEquipment')}</button></div>}
    </form>
  );
}
