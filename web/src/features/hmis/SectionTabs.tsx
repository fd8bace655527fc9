import { useId, useState, type KeyboardEvent } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import type { DataSetForm, HistoryStat } from './hmis.api.ts';
import type { RuleViolation, Values } from './rules.ts';
import { SectionGrid, sectionName } from './SectionGrid.tsx';

/** The form's sections as tabs (arrow keys move between them), one grid at a time. */
export function SectionTabs(props: {
  form: DataSetForm;
  values: Values;
  readOnly: boolean;
  violations: Map<string, RuleViolation[]>;
  history: Map<string, HistoryStat>;
  conflicts: Record<string, string>;
  onChange: (key: string, value: string) => void;
}) {
  const { lang, t } = useI18n();
  const [active, setActive] = useState(0);
  const base = useId();
  const sections = props.form.sections;
  const section = sections[Math.min(active, sections.length - 1)];
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const next = (active + (e.key === 'ArrowRight' ? 1 : sections.length - 1)) % sections.length;
    setActive(next);
    document.getElementById(`${base}-tab-${next}`)?.focus();
  };
  if (!section) return <p className="muted">{t('hmis.noItems')}</p>;
  return (
    <div className="section-tabs">
      <div role="tablist" aria-label={t('hmis.sections')} className="tablist" onKeyDown={onKey}>
        {sections.map((s, i) => {
          const warn = s.elements.some((e) => props.violations.has(e.id));
          return (
            <button
              key={s.id}
              id={`${base}-tab-${i}`}
              type="button"
              role="tab"
              aria-selected={i === active}
              aria-controls={`${base}-panel`}
              tabIndex={i === active ? 0 : -1}
              className={`tab${warn ? ' tab-warn' : ''}`}
              onClick={() => setActive(i)}
            >
              {sectionName(s, lang)}{warn && <span aria-label={t('hmis.hasWarnings')}> ⚠</span>}
            </button>
          );
        })}
      </div>
      <div role="tabpanel" id={`${base}-panel`} aria-labelledby={`${base}-tab-${active}`} className="table-wrap">
        <SectionGrid section={section} values={props.values} readOnly={props.readOnly} violations={props.violations}
          history={props.history} conflicts={props.conflicts} onChange={props.onChange} />
      </div>
    </div>
  );
}
