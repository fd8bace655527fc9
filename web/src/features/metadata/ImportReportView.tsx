import { useI18n } from '../../i18n/i18n.tsx';
import type { ImportReport } from './metadata.api.ts';

export function ImportReportView({ report }: { report: ImportReport }) {
  const { t, num } = useI18n();
  const errors = report.typeReports.flatMap((tr) => tr.objectReports.flatMap((o) =>
    o.errorReports.map((e) => ({ ...e, klass: tr.klass, uid: o.uid }))));
  const s = report.stats;
  return (
    <div className={`import-report notice notice-${report.status === 'ERROR' ? 'error' : report.status === 'WARNING' ? 'info' : 'success'}`}
      role="status" data-testid="import-report">
      <p><strong>{t('metadata.report')}: {t(`metadata.status.${report.status}`)}</strong></p>
      <p>{t('metadata.counts', { created: num(s.created), updated: num(s.updated), ignored: num(s.ignored), deleted: num(s.deleted), total: num(s.total) })}</p>
      {errors.length > 0 && (
        <ul>
          {errors.map((e, i) => <li key={i}><code>{e.errorCode}</code> {e.klass} {e.uid ?? ''}: {e.message}</li>)}
        </ul>
      )}
      {(report.warnings ?? []).length > 0 && (
        <ul>{report.warnings!.map((w, i) => <li key={i}>{w}</li>)}</ul>
      )}
    </div>
  );
}
