import { useMe } from '../auth/session.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { replaceQuery } from '../../router.ts';
import { SurveillanceDashboard } from './SurveillanceDashboard.tsx';
import { WeeklyEntry } from './WeeklyEntry.tsx';

export function SurveillancePage({ query }: { query: URLSearchParams }) {
  const { t } = useI18n();
  const me = useMe();
  const atFacility = me.orgUnit.level.toLowerCase() === 'facility';
  const tab = query.get('tab') === 'entry' || atFacility ? 'entry' : 'dashboard';
  return (
    <section aria-labelledby="idsp-title">
      <div className="page-head"><h1 id="idsp-title">{t('idsp.title')}</h1></div>
      {!atFacility && (
        <div className="status-filter" role="tablist" aria-label={t('idsp.title')}>
          {(['dashboard', 'entry'] as const).map((k) => (
            <button key={k} type="button" role="tab" aria-selected={tab === k} className={`chip${tab === k ? ' active' : ''}`}
              onClick={() => replaceQuery('/surveillance', { tab: k })}>
              {t(k === 'entry' ? 'idsp.entry' : 'idsp.dashboard')}
            </button>
          ))}
        </div>
      )}
      {tab === 'entry' ? <WeeklyEntry /> : <SurveillanceDashboard />}
    </section>
  );
}
