import { useI18n } from '../../i18n/i18n.tsx';
import { unitName } from '../geo/geo.api.ts';
import type { Area } from './survey.api.ts';
import type { LocalHousehold } from './household.ts';

const GROUPS = ['refused', 'pending', 'synced'] as const;

/** The households on this phone: refused ones first (to correct), then those waiting, then those synced. */
export function HouseholdList(props: {
  households: LocalHousehold[];
  areas: Area[];
  busy: boolean;
  onEdit: (h: LocalHousehold) => void;
  onRemove: (h: LocalHousehold) => void;
  onClearSynced: () => void;
}) {
  const { t } = useI18n();
  return (
    <>
      {GROUPS.map((status) => {
        const list = props.households.filter((h) => h.status === status);
        if (!list.length) return null;
        return (
          <section key={status} className="survey-group" aria-labelledby={`survey-${status}`}>
            <h2 id={`survey-${status}`}>{t(`survey.group.${status}`, { count: list.length })}</h2>
            <ul className="survey-households">
              {list.map((h) => <Household key={h.clientId} h={h} {...props} />)}
            </ul>
            {status === 'synced' && (
              <button type="button" className="secondary small" onClick={props.onClearSynced}>{t('survey.clearSynced')}</button>
            )}
          </section>
        );
      })}
    </>
  );
}

function Household({ h, areas, busy, onEdit, onRemove }: { h: LocalHousehold; areas: Area[]; busy: boolean; onEdit: (h: LocalHousehold) => void; onRemove: (h: LocalHousehold) => void }) {
  const { t, lang, date } = useI18n();
  const head = h.members[0]?.name.trim() || '—';
  const area = areas.find((a) => a.id === h.area);
  const memberName = (i: number | undefined) => (i === undefined ? null : h.members[i]?.name.trim() || t('survey.memberN', { n: i + 1 }));
  return (
    <li className={`survey-household survey-${h.status}`} aria-label={t('survey.householdOf', { name: head })}>
      <div className="survey-household-head">
        <strong>{head}</strong>
        <span className={`badge survey-badge-${h.status}`}>{t(`survey.status.${h.status}`)}</span>
      </div>
      <div className="muted">
        {t('survey.members', { count: h.members.length })}
        {' · '}{area ? unitName(area, lang) : h.area}
        {' · '}{date(h.recordedAt)}
      </div>
      {h.status === 'synced' && h.familyNumber && (
        <div>{t('survey.familyNumber')}: <strong className="mono" data-testid="family-number">{h.familyNumber}</strong></div>
      )}
      {h.status === 'refused' && (
        <ul className="survey-problems" role="alert">
          {(h.problems ?? []).map((p, i) => {
            const who = memberName(p.member);
            const text = lang === 'hi' ? p.messageHi ?? p.message : p.message;
            return <li key={i}>{who ? `${who}: ` : ''}{text}</li>;
          })}
        </ul>
      )}
      {h.status !== 'synced' && (
        <div className="survey-row-actions">
          <button type="button" className="small" disabled={busy} onClick={() => onEdit(h)}>{t('action.edit')}</button>
          <button type="button" className="secondary small" disabled={busy} onClick={() => onRemove(h)}>{t('survey.remove')}</button>
        </div>
      )}
    </li>
  );
}
