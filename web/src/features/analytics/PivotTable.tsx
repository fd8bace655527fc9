import { useI18n } from '../../i18n/i18n.tsx';
import { areaValue, itemName, tidy, type AnalyticsResult } from './analytics.api.ts';
import './charts.css';

/**
 * One table per item: rows = areas (× split group), columns = periods, newest first, with totals.
 * It scrolls inside its own box; the period headers and the area names stay in view (CSS sticky).
 */
export function PivotTable({ res, dx, summable }: { res: AnalyticsResult; dx: string; summable: boolean }) {
  const { t, num, lang } = useI18n();
  const { items, ou } = res.metaData;
  // Newest first: the month just reported is the one read most, and it is in view without scrolling.
  const pe = [...res.metaData.pe].reverse();
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
  const captionId = `pivot-${dx}`;
  const colTotal = (p: string) => sum(rows.map((r) => cell(p, r.ou, r.by)));
  return (
    <>
      <p className="pivot-caption" id={captionId}>{code ? `${code} — ${title}` : title}</p>
      <div className="pivot-scroll" role="region" aria-labelledby={captionId} tabIndex={0} data-testid="pivot-scroll">
        <table className="data-table pivot" data-dx={dx} aria-labelledby={captionId}>
          <thead>
            <tr>
              <th scope="col" className="corner">{groups ? `${t('analytics.area')} · ${t('analytics.group')}` : t('analytics.area')}</th>
              {pe.map((p) => <th key={p} scope="col" className="num" data-pe={p}>{itemName(items, p, lang)}</th>)}
              {summable && <th scope="col" className="num">{t('analytics.total')}</th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const vals = pe.map((p) => cell(p, r.ou, r.by));
              return (
                <tr key={`${r.ou}|${r.by}`} data-ou={r.ou}>
                  <th scope="row">
                    {itemName(items, r.ou, lang)}
                    {groups && <div className="sub">{itemName(items, r.by, lang)}</div>}
                  </th>
                  {vals.map((v, i) => <td key={pe[i]} className="num" data-pe={pe[i]}>{show(v)}</td>)}
                  {summable && <td className="num total">{show(sum(vals))}</td>}
                </tr>
              );
            })}
          </tbody>
          {summable && (
            <tfoot>
              <tr>
                <th scope="row">{t('analytics.total')}</th>
                {pe.map((p) => <td key={p} className="num total" data-pe={p}>{show(colTotal(p))}</td>)}
                <td className="num total">{show(sum(pe.map(colTotal)))}</td>
              </tr>
            </tfoot>
          )}
        </table>
      </div>
    </>
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
