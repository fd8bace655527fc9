import { Fragment } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import type { FormElement, FormSection, HistoryStat, OptionCombo } from './hmis.api.ts';
import { cellKey, isOutlier, type RuleViolation, type Values } from './rules.ts';

export const sectionName = (s: FormSection, lang: string) => (lang === 'hi' && s.nameHi ? s.nameHi : s.name);
export const elementLabel = (e: FormElement, lang: string) =>
  lang === 'hi' ? (e.formNameHi || e.nameHi || e.formName) : e.formName;

const isDefault = (cocs: OptionCombo[]) => cocs.length === 1 && cocs[0]?.name === 'default';
const numberOf = (v: string | undefined) => (v && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : 0);

export function rowTotal(e: FormElement, values: Values): number {
  return e.categoryCombo.categoryOptionCombos.reduce((s, c) => s + numberOf(values[cellKey(e.id, c.id)]), 0);
}

export function SectionGrid(props: {
  section: FormSection;
  values: Values;
  readOnly: boolean;
  violations: Map<string, RuleViolation[]>;
  history: Map<string, HistoryStat>;
  conflicts: Record<string, string>;
  onChange: (key: string, value: string) => void;
}) {
  const { t, num, lang } = useI18n();
  const { section, values } = props;
  const width = Math.max(1, ...section.elements.map((e) => e.categoryCombo.categoryOptionCombos.length));
  const cocName = (c: OptionCombo) => (isDefault([c]) ? t('hmis.value') : lang === 'hi' && c.nameHi ? c.nameHi : c.name);
  const sectionTotal = section.elements.reduce((s, e) => s + rowTotal(e, values), 0);

  return (
    <table className="data-table entry-table">
      <thead>
        <tr>
          <th scope="col" className="code-col">{t('hmis.itemCode')}</th>
          <th scope="col">{t('hmis.item')}</th>
          <th scope="col" colSpan={width}>{t('hmis.values')}</th>
          <th scope="col" className="num">{t('hmis.total')}</th>
        </tr>
      </thead>
      <tbody>
        {section.elements.map((e, i) => {
          const cocs = e.categoryCombo.categoryOptionCombos;
          const prev = section.elements[i - 1]?.categoryCombo.id;
          const head = !isDefault(cocs) && prev !== e.categoryCombo.id;
          const label = elementLabel(e, lang);
          const warnings = props.violations.get(e.id) ?? [];
          const rowErrors = cocs.map((c) => props.conflicts[cellKey(e.id, c.id)]).filter(Boolean);
          return (
            <Fragment key={e.id}>
              {head && (
                <tr className="combo-head">
                  <td />
                  <td />
                  {cocs.map((c) => <th key={c.id} scope="col">{cocName(c)}</th>)}
                  {Array.from({ length: width - cocs.length }, (_, k) => <td key={k} />)}
                  <td />
                </tr>
              )}
              <tr className={warnings.length || rowErrors.length ? 'row-warn' : undefined}>
                <td className="code-col"><span className="item-code">{e.code}</span></td>
                <th scope="row">
                  <span lang={lang}>{label}</span>
                  {warnings.map((w) => (
                    <div key={w.rule.id} className="rule-warning" role="status">
                      ⚠ {ruleText(w, lang)} <span className="sub">({num(w.left)} / {num(w.right)})</span>
                    </div>
                  ))}
                  {rowErrors.map((m, k) => <div key={k} className="error" role="alert">{m}</div>)}
                </th>
                {cocs.map((c) => {
                  const key = cellKey(e.id, c.id);
                  const raw = values[key] ?? '';
                  const x = raw.trim() === '' ? null : Number(raw);
                  const stat = props.history.get(key);
                  const outlier = x !== null && Number.isFinite(x) && isOutlier(x, stat);
                  const bad = raw.trim() !== '' && !/^\d+$/.test(raw.trim());
                  return (
                    <td key={c.id} className="cell">
                      <input
                        type="text"
                        inputMode="numeric"
                        data-code={e.code ?? e.id}
                        data-coc={c.name}
                        aria-label={isDefault(cocs) ? `${e.code ?? ''} ${label}` : `${e.code ?? ''} ${label} — ${cocName(c)}`}
                        aria-invalid={bad || !!props.conflicts[key] || undefined}
                        className={outlier ? 'outlier' : undefined}
                        value={raw}
                        readOnly={props.readOnly}
                        onChange={(ev) => props.onChange(key, ev.target.value.replace(/[^\d]/g, '').slice(0, 9))}
                      />
                      {outlier && stat && (
                        <div className="outlier-note">{t('hmis.outlier', { median: num(stat.median) })}</div>
                      )}
                    </td>
                  );
                })}
                {Array.from({ length: width - cocs.length }, (_, k) => <td key={k} />)}
                <td className="num">{cocs.length > 1 ? num(rowTotal(e, values)) : ''}</td>
              </tr>
            </Fragment>
          );
        })}
      </tbody>
      <tfoot>
        <tr>
          <td />
          <th scope="row">{t('hmis.sectionTotal')}</th>
          <td colSpan={width} />
          <td className="num"><strong data-testid="section-total">{num(sectionTotal)}</strong></td>
        </tr>
      </tfoot>
    </table>
  );
}

export function ruleText(v: RuleViolation, lang: string): string {
  const r = v.rule;
  // The form sends no Hindi instruction yet: the Hindi rule name reads `एचएमआईएस a <= b`.
  if (lang === 'hi') return r.instructionHi || (r.nameHi ?? '').replace(/^एचएमआईएस\s+/, '').replace(/\s*<=\s*/g, ' ≤ ') || r.instruction || r.name;
  return r.instruction || r.name;
}
