import { useEffect, useState } from 'react';
import { ApiError } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { unitName } from '../geo/geo.api.ts';
import { putTargets, type Area, type Service, type Targets } from './responseTimes.api.ts';

/** The state's call-to-scene targets: read by all who see the figures, changed by state officers and the administrator. */
export function TargetsPanel({ targets, onSaved }: { targets: Targets; onSaved: (t: Targets) => void }) {
  const { t, num, lang } = useI18n();
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  useEffect(() => {
    setDraft(Object.fromEntries(targets.items.map((i) => [`${i.service}|${i.area}`, String(i.callToSceneMinutes)])));
  }, [targets]);

  const save = async () => {
    setMessage(null);
    const items: { service: Service; area: Area; callToSceneMinutes: number }[] = [];
    for (const i of targets.items) {
      const raw = (draft[`${i.service}|${i.area}`] ?? '').trim();
      const n = Number(raw);
      if (!/^\d+$/.test(raw) || n < 1 || n > 240) {
        setMessage({ kind: 'error', text: t('rt.targetInvalid', { service: i.service, area: t(`rt.area.${i.area}` as MessageKey) }) });
        return;
      }
      // Only what changed: a default left alone stays the default.
      if (n !== i.callToSceneMinutes) items.push({ service: i.service, area: i.area, callToSceneMinutes: n });
    }
    if (!items.length) { setMessage({ kind: 'success', text: t('rt.targetsUnchanged') }); return; }
    setBusy(true);
    try {
      const saved = await putTargets({ state: targets.state.id, items });
      onSaved(saved);
      setMessage({ kind: 'success', text: t('rt.targetsSaved') });
    } catch (err) {
      setMessage({ kind: 'error', text: err instanceof ApiError ? err.message : t('error.network') });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="rt-targets">
      <div className="table-wrap">
        <table className="data-table" data-testid="rt-targets">
          <caption className="visually-hidden">{t('rt.targets')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('rt.service')}</th>
              <th scope="col">{t('rt.areaCol')}</th>
              <th scope="col" className="num">{t('rt.targetMinutes')}</th>
              <th scope="col">{t('rt.targetSource')}</th>
            </tr>
          </thead>
          <tbody>
            {targets.items.map((i) => {
              const key = `${i.service}|${i.area}`;
              const id = `rt-target-${i.service}-${i.area}`;
              const label = t('rt.targetFor', { service: i.service, area: t(`rt.area.${i.area}` as MessageKey) });
              return (
                <tr key={key} data-target={`${i.service}-${i.area}`}>
                  <td>{i.service}</td>
                  <td>{t(`rt.area.${i.area}` as MessageKey)}</td>
                  <td className="num">
                    {targets.canEdit ? (
                      <input id={id} aria-label={label} type="number" inputMode="numeric" min={1} max={240} step={1}
                        value={draft[key] ?? ''} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} />
                    ) : num(i.callToSceneMinutes)}
                  </td>
                  <td>{i.source === 'default' ? t('rt.sourceDefault', { minutes: num(i.defaultMinutes) }) : t('rt.sourceState')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {targets.districts.length > 0 && (
        <>
          <p className="muted">{t('rt.districtTargets')}</p>
          <ul data-testid="rt-district-targets">
            {targets.districts.map((d) => (
              <li key={`${d.districtId}-${d.service}-${d.area}`}>
                {t('rt.districtTarget', { district: unitName(d, lang), service: d.service, area: t(`rt.area.${d.area}` as MessageKey), minutes: num(d.callToSceneMinutes) })}
              </li>
            ))}
          </ul>
        </>
      )}
      {targets.canEdit && <button type="button" onClick={save} disabled={busy}>{t('rt.saveTargets')}</button>}
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
    </div>
  );
}
