import { useEffect, useState } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useMe } from '../auth/session.tsx';
import { unitName } from '../geo/geo.api.ts';
import { listDataSets, type DataSetInfo } from '../hmis/hmis.api.ts';
import { DataSetEditor } from './DataSetEditor.tsx';

export const canEditMetadata = (role: string) => role === 'admin' || role === 'state_officer';

export function MetadataPage({ id }: { id?: string }) {
  const { t, num, lang } = useI18n();
  const me = useMe();
  const [items, setItems] = useState<(DataSetInfo & { elementCount?: number })[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    listDataSets().then((r) => setItems(r.items)).catch((err) => setError(err instanceof Error ? err.message : String(err)));
  }, [id]);

  if (!canEditMetadata(me.role)) return <Notice kind="error">{t('metadata.forbidden')}</Notice>;
  if (id) return <DataSetEditor key={id} id={id} />;
  return (
    <section aria-labelledby="metadata-title">
      <div className="page-head"><h1 id="metadata-title">{t('metadata.title')}</h1></div>
      <p className="muted">{t('metadata.intro')}</p>
      {error && <Notice kind="error">{error}</Notice>}
      {!items && !error && <Notice kind="info">{t('common.loading')}</Notice>}
      {items && (
        <div className="table-wrap">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t('metadata.dataSet')}</th>
                <th scope="col">{t('metadata.code')}</th>
                <th scope="col">{t('metadata.periodType')}</th>
                <th scope="col" className="num">{t('metadata.timelyDays')}</th>
                <th scope="col" className="num">{t('metadata.expiryDays')}</th>
                <th scope="col" className="num">{t('metadata.elements')}</th>
                <th scope="col"><span className="visually-hidden">{t('hmis.actions')}</span></th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.id}>
                  <th scope="row">{unitName(d, lang)}</th>
                  <td>{d.code ?? '—'}</td>
                  <td>{d.periodType}</td>
                  <td className="num">{num(d.timelyDays)}</td>
                  <td className="num">{num(d.expiryDays)}</td>
                  <td className="num">{num(d.elementCount ?? null)}</td>
                  <td><a href={`#/metadata/${encodeURIComponent(d.id)}`}>{t('action.edit')}</a></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
