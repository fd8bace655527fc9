import { useEffect, useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Notice } from '../../components/Notice.tsx';
import { Pager } from '../../components/Pager.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import './charts.css';
import { deleteFavourite, listFavourites, renameFavourite, saveFavourite, type Favourite, type Selection } from './analytics.api.ts';

const PAGE = 10;
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * The user's own saved analytics selections (DHIS2's favourites): save the current one under a name,
 * open, rename, delete (after a confirmation). Names are unique per user; the server says so (409).
 */
export function Favourites({ current, onOpen }: { current: () => Selection | null; onOpen: (f: Favourite) => void }) {
  const { t } = useI18n();
  const [list, setList] = useState<{ items: Favourite[]; total: number } | null>(null);
  const [offset, setOffset] = useState(0);
  const [version, setVersion] = useState(0);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [msg, setMsg] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const [deleting, setDeleting] = useState<Favourite | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    listFavourites(offset, PAGE, ctrl.signal)
      .then((r) => {
        // A page emptied by a delete: step back to the previous one.
        if (!r.items.length && offset > 0) setOffset(Math.max(0, offset - PAGE));
        else setList(r);
      })
      .catch((err) => !ctrl.signal.aborted && setError(message(err)));
    return () => ctrl.abort();
  }, [offset, version]);

  const run = async (what: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    setMsg(null);
    try {
      setMsg(await what());
      setVersion((v) => v + 1);
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  };

  const save = (e: React.FormEvent) => {
    e.preventDefault();
    const sel = current();
    if (!sel) {
      setError(t('analytics.chooseItem'));
      return;
    }
    void run(async () => {
      const f = await saveFavourite(name.trim(), sel);
      setName('');
      return t('analytics.fav.saved', { name: f.name });
    });
  };

  return (
    <section className="favourites" aria-labelledby="fav-title" data-testid="favourites">
      <h2 id="fav-title">{t('analytics.fav.title')}</h2>
      <form className="fav-save" onSubmit={save}>
        <label className="field">
          <span>{t('analytics.fav.name')}</span>
          <input id="fav-name" value={name} maxLength={120} required onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="submit" className="secondary" disabled={busy || !name.trim()}>{t('analytics.fav.save')}</button>
      </form>
      {error && <Notice kind="error">{error}</Notice>}
      {msg && <Notice kind="success">{msg}</Notice>}
      {list && list.total === 0 && <p className="muted">{t('analytics.fav.none')}</p>}
      {list && list.items.length > 0 && (
        <ul className="fav-list" aria-label={t('analytics.fav.list')}>
          {list.items.map((f) => (
            <li key={f.id} data-favourite={f.name}>
              {renaming?.id === f.id ? (
                <form className="fav-rename" onSubmit={(e) => {
                  e.preventDefault();
                  const next = renaming.name.trim();
                  void run(async () => {
                    const r = await renameFavourite(f.id, next);
                    setRenaming(null);
                    return t('analytics.fav.saved', { name: r.name });
                  });
                }}>
                  <label className="field">
                    <span>{t('analytics.fav.newName')}</span>
                    <input value={renaming.name} maxLength={120} required autoFocus onChange={(e) => setRenaming({ id: f.id, name: e.target.value })} />
                  </label>
                  <button type="submit" className="small" disabled={busy || !renaming.name.trim()}>{t('analytics.fav.saveName')}</button>
                  <button type="button" className="secondary small" onClick={() => setRenaming(null)}>{t('action.cancel')}</button>
                </form>
              ) : (
                <>
                  <span className="fav-name">{f.name}</span>
                  <span className="fav-actions">
                    <button type="button" className="small" aria-label={`${t('analytics.fav.open')}: ${f.name}`}
                      onClick={() => { setMsg(t('analytics.fav.opened', { name: f.name })); onOpen(f); }}>{t('analytics.fav.open')}</button>
                    <button type="button" className="secondary small" aria-label={`${t('analytics.fav.rename')}: ${f.name}`}
                      onClick={() => setRenaming({ id: f.id, name: f.name })}>{t('analytics.fav.rename')}</button>
                    <button type="button" className="secondary small danger" aria-label={`${t('analytics.fav.delete')}: ${f.name}`}
                      onClick={() => setDeleting(f)}>{t('analytics.fav.delete')}</button>
                  </span>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      <Pager offset={offset} pageSize={PAGE} hasNext={!!list && offset + list.items.length < list.total} busy={busy} onPage={setOffset} />
      <ConfirmDialog open={!!deleting} title={t('analytics.fav.deleteTitle')} confirmLabel={t('analytics.fav.deleteConfirm')} cancelLabel={t('action.cancel')}
        busy={busy} danger onCancel={() => setDeleting(null)}
        onConfirm={() => deleting && void run(async () => {
          await deleteFavourite(deleting.id);
          const gone = deleting.name;
          setDeleting(null);
          return t('analytics.fav.deleted', { name: gone });
        })}>
        <p>{t('analytics.fav.deleteQuestion', { name: deleting?.name ?? '' })}</p>
      </ConfirmDialog>
    </section>
  );
}
