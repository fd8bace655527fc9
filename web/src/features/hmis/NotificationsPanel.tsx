import { useEffect, useState } from 'react';
import { get } from '../../api.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { dateTimeIst, monthLabel } from './months.ts';

interface Note { id: string | number; kind: string; title: string; body: string; period: string | null; created_at: string; read_at: string | null }

/** Reminders and returned reports for the operator's facility (newest first, the last five). */
export function NotificationsPanel() {
  const { t, lang } = useI18n();
  const [items, setItems] = useState<Note[]>([]);
  useEffect(() => {
    get<{ items: Note[] }>('/api/hmis/notifications').then((r) => setItems(r.items.slice(0, 5))).catch(() => undefined);
  }, []);
  if (!items.length) return null;
  return (
    <aside className="notifications notice notice-info" aria-labelledby="notes-title">
      <h2 id="notes-title">{t('hmis.notifications')}</h2>
      <ul>
        {items.map((n) => (
          <li key={n.id} className={n.read_at ? 'read' : 'unread'}>
            <strong>{n.title}</strong> {n.period ? `(${monthLabel(n.period, lang)})` : ''} — {n.body}
            <span className="sub"> · {dateTimeIst(n.created_at)}</span>
          </li>
        ))}
      </ul>
    </aside>
  );
}
