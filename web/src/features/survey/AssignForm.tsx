import { useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { FormField } from '../facilities/FormField.tsx';
import { getChildren, unitName, type GeoUnit } from '../geo/geo.api.ts';
import { assignArea, type Area } from './survey.api.ts';

/** Levels an area of the survey can be: a village or ward is the usual one. */
const AREA_LEVELS = ['block', 'panchayat', 'village'];
/** What can be assigned: a village or ward, or a whole panchayat. */
const ASSIGNABLE = ['panchayat', 'village'];
const norm = (level: string | undefined) => (level ?? '').toLowerCase();

/** Places under a unit that can hold survey areas (facilities are left out). */
async function placesUnder(id: string): Promise<GeoUnit[]> {
  return (await getChildren(id)).filter((u) => AREA_LEVELS.includes(norm(u.level)));
}

/** Chooses a village or ward (or a whole panchayat) by going down from `root`: block, panchayat, village, as the hierarchy has them. */
function AreaPicker({ root, onChange }: { root: string; onChange: (id: string) => void }) {
  const { t, tx, lang } = useI18n();
  // levels[i]: the choices under chosen[i-1] (or the root); chosen[i]: the one picked there.
  const [levels, setLevels] = useState<GeoUnit[][]>([]);
  const [chosen, setChosen] = useState<string[]>([]);

  useEffect(() => {
    let live = true;
    setLevels([]);
    setChosen([]);
    placesUnder(root).then((list) => live && setLevels([list])).catch(() => live && setLevels([[]]));
    return () => {
      live = false;
    };
  }, [root]);

  const pick = async (depth: number, id: string) => {
    const next = [...chosen.slice(0, depth), ...(id ? [id] : [])];
    setChosen(next);
    setLevels((l) => l.slice(0, depth + 1));
    // Coverage is counted by village or ward (or panchayat): a block alone is not an area to assign.
    const units = next.map((uid, d) => levels[d]?.find((u) => u.id === uid));
    const deepest = units[units.length - 1];
    onChange(deepest && ASSIGNABLE.includes(norm(deepest.level)) ? deepest.id : '');
    const unit = levels[depth]?.find((u) => u.id === id);
    if (!unit || norm(unit.level) === 'village') return;
    const below = await placesUnder(id).catch(() => [] as GeoUnit[]);
    if (below.length) setLevels((l) => (l.length === depth + 1 ? [...l, below] : l));
  };

  /** The panchayat above level `depth`, which can be assigned whole. */
  const wholeOf = (depth: number) => {
    const parent = depth > 0 ? levels[depth - 1]?.find((u) => u.id === chosen[depth - 1]) : undefined;
    return parent && ASSIGNABLE.includes(norm(parent.level)) ? parent : undefined;
  };

  if (levels[0] && !levels[0].length) return <p className="muted">{t('coverage.noPlaces')}</p>;
  return (
    <>
      {levels.map((list, depth) => {
        const kinds = new Set(list.map((u) => norm(u.level)));
        const label = kinds.size === 1 ? tx(`coverage.level.${[...kinds][0]}`) : t('coverage.place');
        return (
          <FormField key={depth} id={`assign-area-${depth}`} label={label} value={chosen[depth] ?? ''} required={depth === 0}
            emptyLabel={wholeOf(depth) ? t('coverage.wholeOf', { name: unitName(wholeOf(depth)!, lang) }) : t('form.choose')}
            options={list.map((u) => ({ value: u.id, label: unitName(u, lang) }))}
            onChange={(v) => void pick(depth, v)} />
        );
      })}
    </>
  );
}

/** Assigns a village or ward (or a whole panchayat) to an ASHA or CHO by username. */
export function AssignForm({ root, onAssigned }: { root: string; onAssigned: () => void }) {
  const { t, lang } = useI18n();
  const [username, setUsername] = useState('');
  const [area, setArea] = useState('');
  const [busy, setBusy] = useState(false);
  // Bumped after an assignment: the place picker starts again from the top.
  const [round, setRound] = useState(0);
  const [errors, setErrors] = useState<{ username?: string; area?: string; top?: string }>({});
  const [done, setDone] = useState<{ area: Area; username: string } | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setDone(null);
    const local = { username: username.trim() ? undefined : t('coverage.err.username'), area: area ? undefined : t('coverage.err.area') };
    setErrors(local);
    if (local.username || local.area) return;
    setBusy(true);
    try {
      const r = await assignArea(username.trim(), area);
      setDone(r);
      setUsername('');
      setArea('');
      setRound((n) => n + 1);
      onAssigned();
    } catch (err) {
      if (!(err instanceof ApiError)) setErrors({ top: t('error.network') });
      else {
        const field = typeof err.details?.['field'] === 'string' ? err.details['field'] : err.fields[0]?.field;
        // An unknown user is a 404, naming nobody but the username.
        setErrors(field === 'username' || err.status === 404 ? { username: err.message } : field === 'area' ? { area: err.message } : { top: err.message });
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel coverage-assign" onSubmit={submit} noValidate aria-labelledby="assign-title">
      <h2 id="assign-title">{t('coverage.assignTitle')}</h2>
      <p className="muted">{t('coverage.assignLead')}</p>
      {done && <Notice kind="success">{t('coverage.assigned', { area: unitName(done.area, lang), username: done.username })}</Notice>}
      {errors.top && <Notice kind="error">{errors.top}</Notice>}
      <FormField id="assign-username" label={t('coverage.username')} value={username} required error={errors.username}
        hint={t('coverage.hint.username')} onChange={setUsername} />
      <AreaPicker key={`${root}-${round}`} root={root} onChange={setArea} />
      {errors.area && <div className="error" role="alert">{errors.area}</div>}
      <button type="submit" disabled={busy}>{busy ? t('common.saving') : t('coverage.assign')}</button>
    </form>
  );
}
