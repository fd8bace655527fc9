import { useI18n } from '../i18n/i18n.tsx';

/**
 * Previous and next for a list paged by cursor: `cursors` is the stack of cursors of the pages seen
 * (the first page has none), `next` the server's cursor of the page after this one.
 */
export function CursorPager({ cursors, next, busy = false, onPage }: {
  cursors: string[]; next: string | null | undefined; busy?: boolean; onPage: (cursors: string[]) => void;
}) {
  const { t } = useI18n();
  if (!cursors.length && !next) return null;
  return (
    <nav className="pager" aria-label={t('pager.label')}>
      <button type="button" className="secondary" disabled={!cursors.length || busy} onClick={() => onPage(cursors.slice(0, -1))}>
        {t('pager.previous')}
      </button>
      <button type="button" className="secondary" disabled={!next || busy} onClick={() => next && onPage([...cursors, next])}>
        {t('pager.next')}
      </button>
    </nav>
  );
}
