import { useI18n } from '../../i18n/i18n.tsx';
import { areaValue, itemName, tidy, type AnalyticsResult } from './analytics.api.ts';

/** One table per item: rows = areas (× split group), columns = periods, with totals. */
export function PivotTable({ res, dx, summable }: { res: AnalyticsResult; dx: string; summable: boolean }) {
  const { t, num, lang } = useI18n();
  const { items, pe, ou } = res.metaData;
  const groups = res.metaData.by?.length ? res.metaData.by : undefined;
  const idx = new Map<string, number>();
  for (const r of res.rows) if (r.dx === dx) idx.set(`${r.pe}|${r.ou}|${r.by ?? ''}`, r.value);
  const rows = groups ? ou.flatMap((o) => groups.map((g) => ({ ou: o, by: g }))) : ou.map((o) => ({ ou: o, by: '' }));
  const cell = (p: string, o: string, g: string) => idx.get(`${p}|${o}|${g}`);
  const sum = (vals: (number | undefined)[]) => {
    const got = vals.filter((v): v is number => v !== undefined);
    return got.length ? tidy(got.reduce((a, b) => a + b, 0)) : undefined;
  };
  const show = (v: number | undefined) => (v === undefined ? '—' : num(tidy(v)));
  const title = itemName(items, dx, lang);
  const code = items[dx]?.code;
  const colTotal = (p: string) => sum(rows.map((r) => cell(p, r.ou, r.by)));
  return (
    <div className="table-wrap">
      <table className="data-table pivot" data-dx={dx}>
        <caption>{code ? `${code} — ${title}` : title}</caption>
        <thead>
          <tr>
            <th scope="col">{t('analytics.area')}</th>
            {groups && <th scope="col">{t('analytics.group')}</th>}
            {pe.map((p) => <th key={p} scope="col" className="num">{itemName(items, p, lang)}</th>)}
            {summable && <th scope="col" className="num">{t('analytics.total')}</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const vals = pe.map((p) => cell(p, r.ou, r.by));
            return (
              <tr key={`${r.ou}|${r.by}`} data-ou={r.ou}>
                <th scope="row">{itemName(items, r.ou, lang)}</th>
                {groups && <td>{itemName(items, r.by, lang)}</td>}
                {vals.map((v, i) => <td key={pe[i]} className="num">{show(v)}</td>)}
                {summable && <td className="num total">{show(sum(vals))}</td>}
              </tr>
            );
          })}
        </tbody>
        {summable && (
          <tfoot>
            <tr>
              <th scope="row">{t('analytics.total')}</th>
              {groups && <td />}
              {pe.map((p) => <td key={p} className="num total">{show(colTotal(p))}</td>)}
              <td className="num total">{show(sum(pe.map(colTotal)))}</td>
            </tr>
          </tfoot>
        )}
      </table>
    </div>
  );
}

/** Total over areas for one item and period (used by the line chart). */
export function totalOf(res: AnalyticsResult, idx: Map<string, number>, dx: string, pe: string): number | undefined {
  let total: number | undefined;
  for (const o of res.metaData.ou) {
    const v = areaValue(idx, res, dx, pe, o);
    if (v !== undefined) total = (total ?? 0) + v;
  }
  return total;
}
