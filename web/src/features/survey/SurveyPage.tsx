import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { can, useMe } from '../auth/session.tsx';
import { unitName } from '../geo/geo.api.ts';
import { getAssignments, type Area } from './survey.api.ts';
import { clearSynced, loadAreas, removeHousehold, saveAreas, useHouseholds } from './survey.store.ts';
import { syncPending, type SyncOutcome } from './survey.sync.ts';
import { useOnline } from '../../components/useOnline.ts';
import type { LocalHousehold } from './household.ts';
import { HouseholdForm } from './HouseholdForm.tsx';
import { HouseholdList } from './HouseholdList.tsx';
import './survey.css';

/** A message to show: a key (translated when shown, so a change of language applies) or the server's text. */
type Msg = { kind: 'error' | 'info' | 'success'; key: MessageKey; params?: Record<string, string | number> } | { kind: 'error'; text: string } | null;

/**
 * The door-to-door health-card survey on a phone. Households are kept on the phone and sent when
 * there is a network: with the button, when the phone comes back online, and when the page opens.
 */
export function SurveyPage() {
  const { t, lang } = useI18n();
  const me = useMe();
  const online = useOnline();
  const households = useHouseholds(me.id);
  const [areas, setAreas] = useState<Area[] | null>(() => loadAreas(me.id));
  const [areasError, setAreasError] = useState<string | null>(null);
  const [editing, setEditing] = useState<LocalHousehold | null>(null);
  const [removing, setRemoving] = useState<LocalHousehold | null>(null);
  const [syncing, setSyncing] = useState(false);
  const [msg, setMsg] = useState<Msg>(null);
  const pending = households.filter((h) => h.status === 'pending').length;

  // The assigned areas: from the server when it answers, else the copy kept on the phone.
  useEffect(() => {
    const ctrl = new AbortController();
    getAssignments(ctrl.signal)
      .then((r) => {
        saveAreas(me.id, r.items);
        setAreas(r.items);
        setAreasError(null);
      })
      .catch((err) => {
        if (ctrl.signal.aborted) return;
        if (err instanceof ApiError && err.status === 0) {
          if (!loadAreas(me.id)) setAreasError(t('survey.areasOffline'));
        } else setAreasError(err instanceof Error ? err.message : String(err));
      });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [me.id]);

  const sync = useCallback(async (quiet: boolean) => {
    setSyncing(true);
    if (!quiet) setMsg(null);
    let outcome: SyncOutcome;
    try {
      outcome = await syncPending(me.id);
    } finally {
      setSyncing(false);
    }
    if (outcome.error) setMsg({ kind: 'error', text: outcome.error });
    else if (outcome.offline) { if (!quiet) setMsg({ kind: 'info', key: 'survey.stillOffline' }); }
    else if (outcome.sent === 0) { if (!quiet) setMsg({ kind: 'info', key: 'survey.nothingToSync' }); }
    else if (outcome.refused) setMsg({ kind: 'error', key: 'survey.syncedSome', params: { synced: outcome.synced, refused: outcome.refused } });
    else setMsg({ kind: 'success', key: 'survey.syncedAll', params: { count: outcome.synced } });
  }, [me.id]);

  // Automatically: when the page opens with households waiting, and when the phone comes back online.
  useEffect(() => {
    if (navigator.onLine && households.some((h) => h.status === 'pending')) void sync(true);
    const onOnline = () => void sync(true);
    window.addEventListener('online', onOnline);
    return () => window.removeEventListener('online', onOnline);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sync]);

  const onSaved = useCallback((h: LocalHousehold) => {
    setEditing(null);
    setMsg({ kind: 'success', key: 'survey.saved', params: { name: h.members[0]?.name.trim() ?? '' } });
    window.scrollTo({ top: 0, behavior: 'smooth' });
  }, []);

  if (!can(me, 'can_survey')) {
    return (
      <section className="survey-page">
        <h1>{t('survey.title')}</h1>
        <Notice kind="error">{t('survey.notEnumerator')}</Notice>
      </section>
    );
  }

  return (
    <section className="survey-page" aria-labelledby="survey-title">
      <h1 id="survey-title">{t('survey.title')}</h1>
      {!online && <div className="offline-banner" role="status">{t('survey.offline')}</div>}
      <div className="survey-syncbar" aria-live="polite">
        <span data-testid="waiting-count">{t('survey.waiting', { count: pending })}</span>
        <button type="button" onClick={() => void sync(false)} disabled={syncing || !pending}>
          {syncing ? t('survey.syncing') : t('survey.syncNow')}
        </button>
      </div>
      {msg && <Notice kind={msg.kind}>{'text' in msg ? msg.text : t(msg.key, msg.params)}</Notice>}
      <p className="muted">
        {t('survey.assigned')}:{' '}
        {areas === null ? (areasError ? '—' : t('common.loading')) : areas.length ? areas.map((a) => unitName(a, lang)).join(', ') : t('survey.noAreas')}
      </p>
      {areasError && <Notice kind="error">{areasError}</Notice>}
      {areas && areas.length > 0 && (
        <HouseholdForm userId={me.id} areas={areas} editing={editing} onSaved={onSaved} onCancelEdit={() => setEditing(null)} />
      )}
      <HouseholdList
        households={households}
        areas={areas ?? []}
        busy={syncing}
        onEdit={(h) => {
          setEditing(h);
          setMsg(null);
          window.scrollTo({ top: 0, behavior: 'smooth' });
        }}
        onRemove={setRemoving}
        onClearSynced={() => clearSynced(me.id)}
      />
      <ConfirmDialog
        open={!!removing}
        title={t('survey.removeTitle')}
        confirmLabel={t('survey.remove')}
        cancelLabel={t('action.cancel')}
        danger
        onConfirm={() => {
          if (removing) removeHousehold(me.id, removing.clientId);
          if (editing?.clientId === removing?.clientId) setEditing(null);
          setRemoving(null);
        }}
        onCancel={() => setRemoving(null)}
      >
        <p>{t('survey.removeText', { name: removing?.members[0]?.name ?? '' })}</p>
      </ConfirmDialog>
    </section>
  );
}
