import { useI18n } from '../../i18n/i18n.tsx';
import type { ReturnAction, ReturnItem } from './hmis.api.ts';
import { dateTimeIst } from './months.ts';
import { ReturnBadge } from './ReturnBadge.tsx';
import './returns.css';

export interface RowAction { action: ReturnAction; item: ReturnItem }

/** Every expected facility with its return's status; officers act on each row. */
export function ReturnsTable(props: {
  items: ReturnItem[];
  canApprove: boolean;
  canAccept: boolean;
  busyId: string | null;
  entryHref: (item: ReturnItem) => string;
  onAction: (a: RowAction) => void;
}) {
  const { t, tx, lang } = useI18n();
  const button = (item: ReturnItem, action: ReturnAction, label: string, cls = 'secondary') => (
    <button type="button" className={`${cls} small`} disabled={props.busyId === item.id}
      aria-label={`${label}: ${item.name}`} onClick={() => props.onAction({ action, item })}>{label}</button>
  );
  return (
    // Scrolls inside its own box, so the header row stays in view (sticky) over a page of rows.
    <div className="table-wrap returns-scroll" data-testid="returns-scroll">
      <table className="data-table returns-table">
        <thead>
          <tr>
            <th scope="col">{t('hmis.facility')}</th>
            <th scope="col">{t('field.type')}</th>
            <th scope="col">{t('field.block')}</th>
            <th scope="col">{t('hmis.status')}</th>
            <th scope="col">{t('hmis.completedAt')}</th>
            {props.canApprove && <th scope="col" className="actions-col">{t('hmis.actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {props.items.map((i) => {
            const done = i.status === 'completed_on_time' || i.status === 'completed_late';
            return (
              <tr key={`${i.id}.${i.period}`} data-facility={i.id}>
                <th scope="row">
                  <a href={props.entryHref(i)}>{lang === 'hi' && i.nameHi ? i.nameHi : i.name}</a>
                  {i.reason && <div className="sub">{t('hmis.reason')}: {i.reason}</div>}
                </th>
                <td>{i.type ? tx(`type.${i.type}`, i.type) : '—'}</td>
                <td>{i.block ?? '—'}</td>
                <td><ReturnBadge status={i.status} /></td>
                <td className="nowrap">{dateTimeIst(i.completedAt)}</td>
                {props.canApprove && (
                  // The cell stays a table cell (a flex cell left the column out of line); its buttons sit in a box inside.
                  <td className="actions-col">
                    <div className="row-actions">
                      {done && button(i, 'approve', t('hmis.approve'), '')}
                      {done && button(i, 'return', t('hmis.sendBack'))}
                      {i.status === 'approved' && props.canAccept && button(i, 'accept', t('hmis.accept'), '')}
                      {(i.status === 'approved' || i.status === 'accepted') && button(i, 'unapprove', t('hmis.unapprove'))}
                    </div>
                  </td>
                )}
              </tr>
            );
          })}
          {props.items.length === 0 && (
            <tr><td colSpan={props.canApprove ? 6 : 5} className="empty">{t('hmis.noReturns')}</td></tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
