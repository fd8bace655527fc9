import { useEffect, useState } from 'react';
import { get } from '../../api.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { Ref } from './hmis.api.ts';

interface Defaulter {
  id: string; name: string; nameHi: string | null; type: string | null; period: string;
  phone: string | null; email: string | null; block: { id: string; name: string } | null;
}

/** Facilities that have not submitted, with how to reach them. */
export function DefaultersList({ refKey, version }: { refKey: Ref; version: number }) {
  const { t, tx, num, lang } = useI18n();
  const [items, setItems] = useState<Defaulter[] | null>(null);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (!refKey.orgUnit) return;
    const ctrl = new AbortController();
    get<{ total: number; items: Defaulter[] }>('/api/hmis/defaulters', { ...refKey }, ctrl.signal)
      .then((r) => setItems(r.items))
      .catch(() => !ctrl.signal.aborted && setItems(null));
    return () => ctrl.abort();
  }, [refKey.dataSet, refKey.period, refKey.orgUnit, version]); // eslint-disable-line react-hooks/exhaustive-deps
  if (!items) return null;
  const shown = open ? items : items.slice(0, 10);
  return (
    <section aria-labelledby="defaulters-title" className="defaulters">
      <h2 id="defaulters-title">{t('hmis.defaulters', { count: num(items.length) })}</h2>
      {items.length === 0 ? <p className="muted">{t('hmis.noDefaulters')}</p> : (
        <div className="table-wrap">
          <table className="data-table compact" data-testid="defaulters">
            <thead><tr>
              <th scope="col">{t('hmis.facility')}</th><th scope="col">{t('field.type')}</th><th scope="col">{t('field.block')}</th>
              <th scope="col">{t('field.phone')}</th><th scope="col">{t('field.email')}</th>
            </tr></thead>
            <tbody>
              {shown.map((d) => (
                <tr key={`${d.id}|${d.period}`}>
                  <th scope="row">{lang === 'hi' && d.nameHi ? d.nameHi : d.name}</th>
                  <td>{d.type ? tx(`type.${d.type}`, d.type) : '—'}</td>
                  <td>{d.block?.name ?? '—'}</td>
                  <td>{d.phone ? <a href={`tel:${d.phone}`}>{d.phone}</a> : '—'}</td>
                  <td>{d.email ? <a href={`mailto:${d.email}`}>{d.email}</a> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {items.length > 10 && (
        <button type="button" className="link-button" onClick={() => setOpen(!open)}>
          {open ? t('hmis.showFewer') : t('hmis.showAll', { count: num(items.length) })}
        </button>
      )}
    </section>
  );
}
