import { useI18n } from '../i18n/i18n.tsx';

/**
 * Previous and next buttons for a list paged by offset; shown only where there is another page.
 * `hasNext` is the list's own word for a further page (`more`, or offset + items below the total).
 */
export function Pager(props: { offset: number; pageSize: number; hasNext: boolean; busy?: boolean; onPage: (offset: number) => void }) {
  const { t } = useI18n();
  const { offset, pageSize, hasNext, busy = false, onPage } = props;
  if (offset === 0 && !hasNext) return null;
  return (
    <nav className="pager" aria-label={t('pager.label')}>
      <button type="button" className="secondary" disabled={offset === 0 || busy} onClick={() => onPage(Math.max(0, offset - pageSize))}>
        {t('pager.previous')}
      </button>
      <button type="button" className="secondary" disabled={!hasNext || busy} onClick={() => onPage(offset + pageSize)}>
        {t('pager.next')}
      </button>
    </nav>
  );
}
