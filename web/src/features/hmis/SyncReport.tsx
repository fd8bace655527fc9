import { useI18n } from '../../i18n/i18n.tsx';
import type { SyncResult } from './drafts.ts';
import { monthLabel } from './months.ts';

/** What was sent when the device came back online. */
export function SyncReport({ results, onClose }: { results: SyncResult[]; onClose: () => void }) {
  const { t, lang } = useI18n();
  return (
    <div className="notice notice-success" role="status">
      <strong>{results.length ? t('hmis.syncedTitle') : t('hmis.syncedNothing')}</strong>
      <ul className="sync-list">
        {results.map((r) => (
          <li key={`${r.ref.dataSet}.${r.ref.period}.${r.ref.orgUnit}`}>
            {monthLabel(r.ref.period, lang)} · {r.label ?? r.ref.orgUnit}:{' '}
            {r.error
              ? r.error
              : t('hmis.syncedLine', {
                  sent: r.sent,
                  saved: (r.summary?.importCount.imported ?? 0) + (r.summary?.importCount.updated ?? 0) + (r.summary?.importCount.deleted ?? 0),
                  conflicts: r.summary?.conflicts.length ?? 0,
                })}
          </li>
        ))}
      </ul>
      <button type="button" className="link-button" onClick={onClose}>{t('hmis.dismiss')}</button>
    </div>
  );
}
