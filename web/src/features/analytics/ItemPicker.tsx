import { useMemo, useState } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';

/** One thing to pick: a form item or an indicator, with its code and names in both languages. */
export interface PickItem { id: string; code: string | null; name: string; nameHi: string | null }

/** Multi-select with a filter box, showing code and name in the UI language. */
export function ItemPicker({ items, selected, onChange, legend, testId }: {
  items: PickItem[];
  selected: string[];
  onChange: (ids: string[]) => void;
  legend: string;
  testId?: string;
}) {
  const { t, lang } = useI18n();
  const [q, setQ] = useState('');
  const label = (e: PickItem) => (lang === 'hi' ? e.nameHi || e.name : e.name);
  const shown = useMemo(() => {
    const needle = q.trim().toLowerCase();
    if (!needle) return items;
    return items.filter((e) => `${e.code ?? ''} ${e.name} ${e.nameHi ?? ''}`.toLowerCase().includes(needle));
  }, [items, q]);
  const toggle = (id: string, on: boolean) => onChange(on ? [...selected, id] : selected.filter((x) => x !== id));
  return (
    <fieldset className="item-picker" data-testid={testId}>
      <legend>{legend} ({selected.length})</legend>
      <input type="search" aria-label={`${legend}: ${t('analytics.findItem')}`} placeholder={t('analytics.findItem')} value={q}
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
