import { useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../../api.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { flash, FlashNotice } from '../../components/Flash.tsx';
import { Notice } from '../../components/Notice.tsx';
import { Pager } from '../../components/Pager.tsx';
import { useApiErrors } from '../../components/useApiErrors.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { can, useMe } from '../auth/session.tsx';
import { unitName } from './geo.api.ts';
import { useGeoScope } from './GeoScope.tsx';
import { addPlace, changePlace, importPlaces, listPlaces, PLACES_PAGE, type ImportAnswer, type Place, type PlaceLevel, type PlacePage } from './places.api.ts';

const levelKey = (level: string) => `places.level.${level.toLowerCase()}` as MessageKey;

/**
 * Places: the hierarchy below districts (blocks, panchayats, villages). Drill down from the user's
 * own district (an administrator: state, then district), page and search, add, edit, import a CSV.
 */
export function PlacesPage({ id }: { id?: string }) {
  const { t, lang } = useI18n();
  const geo = useGeoScope();
  if (id) return <PlaceView key={id} id={id} />;
  if (!geo.ready) return <p aria-busy="true">{t('places.loading')}</p>;
  if (geo.fixedDistrict) return <PlaceView key={geo.fixedDistrict.id} id={geo.fixedDistrict.id} />;
  return (
    <section aria-labelledby="places-title">
      <h1 id="places-title">{t('places.title')}</h1>
      <FlashNotice />
      <p className="muted">{t('places.chooseDistrict')}</p>
      {geo.states && (
        <div className="field">
          <label htmlFor="places-state">{t('places.state')}</label>
          <select id="places-state" value={geo.stateId} onChange={(e) => geo.setStateId(e.target.value)}>
            {geo.states.map((s) => <option key={s.id} value={s.id}>{unitName(s, lang)}</option>)}
          </select>
        </div>
      )}
      <ul className="place-list" aria-label={t('places.districts')}>
        {geo.districts.map((d) => <li key={d.id}><a href={`#/places/${d.id}`}>{unitName(d, lang)}</a></li>)}
      </ul>
    </section>
  );
}

function PlaceView({ id }: { id: string }) {
  const { t, lang, num } = useI18n();
  const me = useMe();
  const { error: errorText } = useApiErrors();
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<PlacePage | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const [editing, setEditing] = useState<Place | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    setProblem(null);
    listPlaces(id, search, offset, ctrl.signal).then(setPage).catch((err) => { if (!ctrl.signal.aborted) setProblem(errorText(err)); });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, search, offset, reload]);

  if (problem && !page) return <section><h1>{t('places.title')}</h1><Notice kind="error">{problem}</Notice><p><a href="#/places">{t('places.back')}</a></p></section>;
  if (!page) return <p aria-busy="true">{t('places.loading')}</p>;
  const { unit } = page;
  // Geography is public, but this screen is for one's own area: a place outside it is not shown.
  const mine = me.orgUnit.level.toLowerCase() === 'country' || unit.path.includes(`/${me.orgUnit.id}/`);
  if (!mine) {
    return (
      <section aria-labelledby="places-title">
        <h1 id="places-title">{t('places.title')}</h1>
        <Notice kind="error">{t('places.outside', { name: unitName(unit, lang) })}</Notice>
        <p><a href="#/places">{t('places.back')}</a></p>
      </section>
    );
  }
  const mayEdit = can(me, 'can_update_geo');
  const editable = (p: Place) => mayEdit && ['block', 'panchayat', 'village'].includes(p.level);
  const crumbs = page.ancestors.filter((a) => me.orgUnit.level.toLowerCase() === 'country' || a.path?.includes(`/${me.orgUnit.id}/`) || a.id === me.orgUnit.id);
  const onChanged = (message: string) => { flash(message); setEditing(null); setReload((n) => n + 1); };

  return (
    <section aria-labelledby="places-title">
      <nav aria-label={t('places.breadcrumbs')} className="breadcrumb">
        <a href="#/places">{t('places.title')}</a>
        {crumbs.map((a) => <span key={a.id}> › <a href={`#/places/${a.id}`}>{unitName(a, lang)}</a></span>)}
      </nav>
      <h1 id="places-title">{unitName(unit, lang)} <span className="muted">({t(levelKey(unit.level))}{unit.lgdCode ? `, LGD ${unit.lgdCode}` : ''})</span></h1>
      <FlashNotice key={reload} />
      {problem && <Notice kind="error">{problem}</Notice>}
      {editable(unit) && !editing && <p><button type="button" className="secondary" onClick={() => setEditing(unit)}>{t('places.editThis')}</button></p>}
      {editing && <EditForm place={editing} onDone={onChanged} onCancel={() => setEditing(null)} />}

      <form className="inline-form" role="search" onSubmit={(e) => { e.preventDefault(); setOffset(0); setSearch(q); }}>
        <label htmlFor="places-q">{t('places.search')}</label>
        <input id="places-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('places.searchHint')} />
        <button type="submit">{t('places.searchButton')}</button>
        {search && <button type="button" className="secondary" onClick={() => { setQ(''); setSearch(''); setOffset(0); }}>{t('places.clearSearch')}</button>}
      </form>
      <div className="table-meta" aria-live="polite">
        {search ? t('places.found', { count: page.total, q: search }) : t('places.count', { count: page.total })}
      </div>
      {page.items.length > 0 && (
        <div className="table-wrap">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t('places.name')}</th>
                <th scope="col">{t('places.nameHi')}</th>
                <th scope="col">{t('places.level')}</th>
                <th scope="col">{t('places.lgdCode')}</th>
                <th scope="col">{t('places.within')}</th>
                <th scope="col">{t('places.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((p) => (
                <tr key={p.id}>
                  <td><a href={`#/places/${p.id}`}>{p.name}</a>{p.code && <div className="sub">{p.code}</div>}</td>
                  <td lang="hi">{p.nameHi ?? ''}</td>
                  <td>{t(levelKey(p.level))}</td>
                  <td>{p.lgdCode ?? ''}</td>
                  <td>{num(p.childCount)}</td>
                  <td>{editable(p) && (
                    <button type="button" className="small secondary" onClick={() => setEditing(p)}
                      aria-label={t('places.editFor', { name: p.name })}>{t('places.edit')}</button>
                  )}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager offset={offset} pageSize={PLACES_PAGE} hasNext={offset + page.items.length < page.total} onPage={setOffset} />
      {page.canAdd.length > 0 && <AddForm parent={unit} levels={page.canAdd} onDone={onChanged} />}
      {can(me, 'can_import_geo') && (unit.level === 'district') && <ImportForm unit={unit} state={page.ancestors.find((a) => a.level === 'state') ?? null} onDone={() => setReload((n) => n + 1)} />}
    </section>
  );
}

interface Draft { name: string; nameHi: string; lgdCode: string; code: string }
const toDraft = (p?: Place): Draft => ({ name: p?.name ?? '', nameHi: p?.nameHi ?? '', lgdCode: p?.lgdCode ? String(p.lgdCode) : '', code: p?.code ?? '' });

function useFields(prefix: string) {
  const { t } = useI18n();
  const { problems } = useApiErrors();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [top, setTop] = useState<string | null>(null);
  const fail = (err: unknown) => {
    const p = problems(err, (f) => ['name', 'nameHi', 'lgdCode', 'code', 'level'].includes(f));
    setErrors(p.errors); setTop(p.top);
  };
  const clear = () => { setErrors({}); setTop(null); };
  const inputs = (d: Draft, set: (d: Draft) => void) => (
    <>
      {(['name', 'nameHi', 'lgdCode', 'code'] as const).map((f) => (
        <div className="field" key={f}>
          <label htmlFor={`${prefix}-${f}`}>{t(`places.field.${f}` as MessageKey)}</label>
          <input id={`${prefix}-${f}`} value={d[f]} lang={f === 'nameHi' ? 'hi' : undefined} inputMode={f === 'lgdCode' ? 'numeric' : undefined}
            aria-invalid={!!errors[f]} aria-describedby={errors[f] ? `${prefix}-${f}-error` : undefined}
            onChange={(e) => set({ ...d, [f]: e.target.value })} />
          {errors[f] && <div className="field-error" id={`${prefix}-${f}-error`}>{errors[f]}</div>}
        </div>
      ))}
    </>
  );
  return { errors, top, fail, clear, inputs };
}

/** The draft as the API takes it; an LGD code that is not digits is sent as typed so the server names the field. */
function fields(d: Draft) {
  const lgd = d.lgdCode.trim();
  return {
    name: d.name,
    nameHi: d.nameHi.trim() || null,
    lgdCode: lgd === '' ? null : /^\d+$/.test(lgd) ? Number(lgd) : (lgd as unknown as number),
    code: d.code.trim() || null,
  };
}

function AddForm({ parent, levels, onDone }: { parent: Place; levels: PlaceLevel[]; onDone: (message: string) => void }) {
  const { t, lang } = useI18n();
  const [level, setLevel] = useState<PlaceLevel>(levels[0] ?? 'village');
  const [draft, setDraft] = useState<Draft>(toDraft());
  const [busy, setBusy] = useState(false);
  const f = useFields('place-new');
  async function submit(e: FormEvent) {
    e.preventDefault();
    f.clear(); setBusy(true);
    try {
      const p = await addPlace({ parent: parent.id, level, ...fields(draft) });
      setDraft(toDraft());
      onDone(t('places.added', { name: unitName(p, lang), level: t(levelKey(p.level)) }));
    } catch (err) {
      f.fail(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="facility-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="places-add-title">
      <h2 id="places-add-title">{t('places.addUnder', { name: unitName(parent, lang) })}</h2>
      {f.top && <Notice kind="error">{f.top}</Notice>}
      <div className="field">
        <label htmlFor="place-new-level">{t('places.field.level')}</label>
        <select id="place-new-level" value={level} onChange={(e) => setLevel(e.target.value as PlaceLevel)}>
          {levels.map((l) => <option key={l} value={l}>{t(levelKey(l))}</option>)}
        </select>
        {f.errors.level && <div className="field-error">{f.errors.level}</div>}
      </div>
      {f.inputs(draft, setDraft)}
      <p className="sub">{t('places.codesHint')}</p>
      <button type="submit" disabled={busy}>{t('places.add')}</button>
    </form>
  );
}

function EditForm({ place, onDone, onCancel }: { place: Place; onDone: (message: string) => void; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const [draft, setDraft] = useState<Draft>(toDraft(place));
  const [confirming, setConfirming] = useState(false);
  const f = useFields('place-edit');
  const before = toDraft(place);
  async function save() {
    f.clear(); setConfirming(false);
    const all = fields(draft);
    const changed = Object.fromEntries(Object.entries(all).filter(([k]) => draft[k as keyof Draft].trim() !== before[k as keyof Draft].trim()));
    if (!Object.keys(changed).length) { onCancel(); return; }
    try {
      const p = await changePlace(place.id, changed);
      onDone(t('places.saved', { name: unitName(p, lang) }));
    } catch (err) {
      f.fail(err);
    }
  }
  function submit(e: FormEvent) {
    e.preventDefault();
    // Changing a code others may already use (LGD's, or the local one) is asked about first.
    if ((before.lgdCode && draft.lgdCode.trim() !== before.lgdCode) || (before.code && draft.code.trim() !== before.code)) setConfirming(true);
    else void save();
  }
  return (
    <form className="facility-form" onSubmit={submit} noValidate aria-labelledby="places-edit-title">
      <h2 id="places-edit-title">{t('places.editTitle', { name: unitName(place, lang) })}</h2>
      {f.top && <Notice kind="error">{f.top}</Notice>}
      {f.inputs(draft, setDraft)}
      <button type="submit">{t('places.save')}</button>{' '}
      <button type="button" className="secondary" onClick={onCancel}>{t('action.cancel')}</button>
      <ConfirmDialog open={confirming} title={t('places.confirmCodeTitle')} confirmLabel={t('places.confirmCode')} cancelLabel={t('action.cancel')}
        onConfirm={() => void save()} onCancel={() => setConfirming(false)}>
        <p>{t('places.confirmCodeBody', { from: before.lgdCode || before.code, to: draft.lgdCode.trim() || draft.code.trim() || '—' })}</p>
      </ConfirmDialog>
    </form>
  );
}

const BLOCKS_HEADER = 'S.No.,State Code,State Name,District Code,District Name,Block Code,Block Version,Block Name ,Block Name';
const VILLAGES_HEADER = 'S.No.,State Code,State Name,District Code,District Name,Block Code,Village Code,Village Name (In English),Village Name (In Local)';

function ImportForm({ unit, state, onDone }: { unit: Place; state: { lgdCode: string | number | null; name: string } | null; onDone: () => void }) {
  const { t, num } = useI18n();
  const [level, setLevel] = useState<'blocks' | 'villages'>('villages');
  const [file, setFile] = useState<File | null>(null);
  const [sent, setSent] = useState<{ sent: number; total: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<ImportAnswer | null>(null);
  const [refusal, setRefusal] = useState<{ message: string; rows: { line: number; reason: string }[] } | null>(null);
  const { error: errorText } = useApiErrors();
  const st = state?.lgdCode ?? 6;
  const dn = unit.lgdCode ?? 63;
  const sName = (state?.name ?? 'Haryana').toUpperCase();
  const dName = unit.name.toUpperCase();
  const sample = level === 'blocks'
    ? `${BLOCKS_HEADER}\n1,${st},${sName},${dn},${dName},6401,1,NEW BLOCK,नया ब्लॉक`
    : `${VILLAGES_HEADER}\n1,${st},${sName},${dn},${dName},6401,640101,RAMPUR,रामपुर`;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!file) { setRefusal({ message: t('places.import.noFile'), rows: [] }); return; }
    setBusy(true); setAnswer(null); setRefusal(null); setSent({ sent: 0, total: file.size });
    try {
      const a = await importPlaces(level, file, (s, total) => setSent({ sent: s, total }));
      setAnswer(a);
      onDone();
    } catch (err) {
      const rows = err instanceof ApiError && Array.isArray(err.details?.['rows']) ? err.details!['rows'] as { line: number; reason: string }[] : [];
      setRefusal({ message: errorText(err), rows });
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="facility-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="places-import-title">
      <h2 id="places-import-title">{t('places.import.title')}</h2>
      <div className="field">
        <label htmlFor="places-import-level">{t('places.import.level')}</label>
        <select id="places-import-level" value={level} onChange={(e) => setLevel(e.target.value as 'blocks' | 'villages')}>
          <option value="villages">{t('places.import.villages')}</option>
          <option value="blocks">{t('places.import.blocks')}</option>
        </select>
      </div>
      <p style={{ gridColumn: '1 / -1' }}>{t(level === 'blocks' ? 'places.import.layoutBlocks' : 'places.import.layoutVillages')}</p>
      <pre className="csv-sample" style={{ overflowX: 'auto', maxWidth: '100%', gridColumn: '1 / -1' }} aria-label={t('places.import.sample')} tabIndex={0}>{sample}</pre>
      <div className="field">
        <label htmlFor="places-import-file">{t('places.import.file')}</label>
        <input id="places-import-file" type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </div>
      <button type="submit" disabled={busy}>{t('places.import.send')}</button>
      {sent && busy && (
        <div aria-live="polite">
          <label htmlFor="places-import-progress">{t('places.import.progress')}</label>{' '}
          <progress id="places-import-progress" max={sent.total || 1} value={sent.sent} />
          {sent.sent >= sent.total && <span> {t('places.import.checking')}</span>}
        </div>
      )}
      {answer && (
        <Notice kind="success">
          {t('places.import.done', { added: num(answer.added), updated: num(answer.updated), unchanged: num(answer.unchanged) })}
        </Notice>
      )}
      {refusal && <Notice kind="error">{refusal.message}</Notice>}
      {refusal && refusal.rows.length > 0 && (
        <div className="table-wrap" style={{ gridColumn: '1 / -1' }}>
          <table className="data-table" aria-label={t('places.import.report')}>
            <thead><tr><th scope="col">{t('places.import.line')}</th><th scope="col">{t('places.import.reason')}</th></tr></thead>
            <tbody>{refusal.rows.map((r) => <tr key={r.line}><td>{r.line}</td><td>{r.reason}</td></tr>)}</tbody>
          </table>
        </div>
      )}
    </form>
  );
}

