import { useMemo, useState } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import type { FormElement } from '../hmis/hmis.api.ts';

/** Multi-select of the HMIS form's items, showing code and name in the UI language. */
export function ItemPicker({ elements, selected, onChange }: {
  elements: FormElement[];
  selected: string[];
  onChange: (ids: string[]) => void;
}) {
  const { t, lang } = useI18n();
  const [q, setQ] = useState('');
  const label = (e: FormElement) => (lang === 'hi' ? e.formNameHi || e.nameHi || e.formName : e.formName || e.name);
  const shown = useMemo(() => {
    const needle = q.trim().toLowerCase();
    if (!needle) return elements;
    return elements.filter((e) => `${e.code ?? ''} ${e.name} ${e.nameHi ?? ''} ${e.formName} ${e.formNameHi ?? ''}`.toLowerCase().includes(needle));
  }, [elements, q]);
  const toggle = (id: string, on: boolean) => onChange(on ? [...selected, id] : selected.filter((x) => x !== id));
  return (
    <fieldset className="item-picker">
      <legend>{t('analytics.items')} ({selected.length})</legend>
      <input type="search" aria-label={t('analytics.findItem')} placeholder={t('analytics.findItem')} value={q}
        onChange={(e) => setQ(e.target.value)} />
      <ul className="item-list">
        {shown.map((e) => (
          <li key={e.id}>
            <label>
              <input type="checkbox" data-code={e.code ?? undefined} checked={selected.includes(e.id)}
                onChange={(ev) => toggle(e.id, ev.target.checked)} />
              <span className="code">{e.code}</span> {label(e)}
            </label>
          </li>
        ))}
      </ul>
      {selected.length > 0 && (
        <button type="button" className="link-button" onClick={() => onChange([])}>{t('analytics.clearItems')}</button>
      )}
    </fieldset>
  );
}
