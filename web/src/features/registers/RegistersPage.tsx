import { useEffect, useId, useState } from 'react';
import { ApiError } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { useApiErrors } from '../../components/useApiErrors.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useMe } from '../auth/session.tsx';
import {
  confirmMatch, importRegister, listFamilies, listMatches, listPanchayats, rejectMatch,
  type Family, type ImportAnswer, type Match, type PanchayatCount, type Refusal,
} from './registers.api.ts';
import './registers.css';

/** Officers who import the register and decide its matches; block officers read their block's families. */
const OFFICERS = ['admin', 'state_officer', 'district_officer'];
export const mayReadRegister = (role: string) => OFFICERS.includes(role) || role === 'block_officer';

/**
 * `#/registers`: the state family register. Upload an extract (CSV, docs/registers.md) and see what it
 * did or every refused row; decide the uncertain matches of members to patients; families by gram
 * panchayat with who lacks an ABHA number.
 */
export function RegistersPage() {
  const { t } = useI18n();
  const me = useMe();
  const [reload, setReload] = useState(0);
  if (!mayReadRegister(me.role)) return <section><h1>{t('registers.title')}</h1><Notice kind="error">{t('registers.notAllowed')}</Notice></section>;
  const officer = OFFICERS.includes(me.role);
  return (
    <section aria-labelledby="registers-title" className="registers">
      <h1 id="registers-title">{t('registers.title')}</h1>
      <p>{t('registers.intro')}</p>
      {officer && <Upload onDone={() => setReload((n) => n + 1)} />}
      {officer && <Review key={`r${reload}`} onDecided={() => setReload((n) => n + 1)} />}
      <Families key={`f${reload}`} />
    </section>
  );
}

function Upload({ onDone }: { onDone: () => void }) {
  const { t, lang } = useI18n();
  const { error } = useApiErrors();
  const ids = useId();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<ImportAnswer | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [refused, setRefused] = useState<Refusal[]>([]);
  const send = async () => {
    if (!file) return;
    setBusy(true); setAnswer(null); setProblem(null); setRefused([]);
    try {
      setAnswer(await importRegister(await file.text()));
      onDone();
    } catch (err) {
      setProblem(error(err));
      if (err instanceof ApiError && Array.isArray(err.details?.rows)) setRefused(err.details.rows as Refusal[]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby={`${ids}-h`} className="registers-upload">
      <h2 id={`${ids}-h`}>{t('registers.upload')}</h2>
      <p className="hint">{t('registers.layout')}</p>
      <label htmlFor={`${ids}-file`}>{t('registers.file')}</label>{' '}
      <input id={`${ids}-file`} type="file" accept=".csv,text/csv,text/plain" onChange={(e) => { setFile(e.target.files?.[0] ?? null); setAnswer(null); setProblem(null); setRefused([]); }} />{' '}
      <button type="button" disabled={!file || busy} onClick={() => void send()}>{busy ? t('registers.importing') : t('registers.import')}</button>
      {answer && (
        <Notice kind="success">
          <span data-testid="register-import-result">
            {t('registers.result', {
              added: answer.families.added, updated: answer.families.updated, panchayats: answer.panchayats,
              linked: answer.matches.linked, review: answer.matches.review, none: answer.matches.none,
            })}
          </span>
        </Notice>
      )}
      {problem && <Notice kind="error">{problem}</Notice>}
      {refused.length > 0 && (
        <table className="registers-refused">
          <caption>{t('registers.refused')}</caption>
          <thead><tr><th>{t('registers.line')}</th><th>{t('registers.field')}</th><th>{t('registers.reason')}</th></tr></thead>
          <tbody>{refused.map((r, i) => <tr key={i}><td>{r.line}</td><td><code>{r.field}</code></td><td>{lang === 'hi' ? r.reasonHi : r.reason}</td></tr>)}</tbody>
        </table>
      )}
    </section>
  );
}

const sexKey = (sex: string) => (sex === 'male' ? 'registers.sex.male' : sex === 'female' ? 'registers.sex.female' : 'registers.sex.other');
const nameOf = (x: { name: string; nameHi: string | null }, lang: string) => (lang === 'hi' && x.nameHi ? x.nameHi : x.name);

function Review({ onDecided }: { onDecided: () => void }) {
  const { t, lang } = useI18n();
  const { error } = useApiErrors();
  const ids = useId();
  const [items, setItems] = useState<Match[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    listMatches({ status: 'review' }, ctrl.signal).then((p) => setItems(p.items)).catch((err) => { if (!ctrl.signal.aborted) setProblem(error(err)); });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const decide = async (m: Match, patientId: string | null) => {
    setBusy(m.id); setProblem(null);
    try {
      if (patientId) await confirmMatch(m.id, patientId); else await rejectMatch(m.id);
      setItems((xs) => (xs ?? []).filter((x) => x.id !== m.id));
      onDecided();
    } catch (err) {
      setProblem(error(err));
    } finally {
      setBusy(null);
    }
  };
  return (
    <section aria-labelledby={`${ids}-h`} className="registers-review">
      <h2 id={`${ids}-h`}>{t('registers.review')}</h2>
      <p className="hint">{t('registers.reviewHint')}</p>
      {problem && <Notice kind="error">{problem}</Notice>}
      {items === null && !problem && <p>{t('registers.loading')}</p>}
      {items?.length === 0 && <p>{t('registers.noReview')}</p>}
      {items && items.length > 0 && (
        <ul className="registers-matches">
          {items.map((m) => (
            <li key={m.id} data-match={m.id}>
              <div>
                <strong>{nameOf(m.member, lang)}</strong> ({t(sexKey(m.member.sex))}, {m.member.birthYear}) — {t('registers.relation')}: {m.member.relation};{' '}
                {t('registers.family')} {m.family.externalId ?? m.family.familyNumber}, {nameOf(m.panchayat, lang)}.{' '}
                <em>{t(m.reason === 'name_only' ? 'registers.reason.name_only' : 'registers.reason.several')}</em>
              </div>
              <ul>
                {m.candidates.map((c) => (
                  <li key={c.patientId}>
                    {nameOf(c, lang)} · {c.stateNumber} · {t(sexKey(c.sex))} · {c.birthYear} · {c.hasAbha ? t('registers.hasAbha') : t('registers.noAbha')}{' '}
                    <button type="button" disabled={busy === m.id} onClick={() => void decide(m, c.patientId)}>{t('registers.confirm')}</button>
                  </li>
                ))}
              </ul>
              <button type="button" disabled={busy === m.id} onClick={() => void decide(m, null)}>{t('registers.reject')}</button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Families() {
  const { t, lang } = useI18n();
  const { error } = useApiErrors();
  const ids = useId();
  const [panchayats, setPanchayats] = useState<PanchayatCount[] | null>(null);
  const [panchayat, setPanchayat] = useState('');
  const [families, setFamilies] = useState<Family[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    listPanchayats(ctrl.signal).then((p) => { setPanchayats(p.items); if (p.items[0]) setPanchayat(p.items[0].id); }).catch((err) => { if (!ctrl.signal.aborted) setProblem(error(err)); });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  useEffect(() => {
    if (!panchayat) return;
    const ctrl = new AbortController();
    setFamilies([]); setCursor(null);
    listFamilies({ panchayat, limit: 50 }, ctrl.signal).then((p) => { setFamilies(p.items); setCursor(p.nextCursor); }).catch((err) => { if (!ctrl.signal.aborted) setProblem(error(err)); });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [panchayat]);
  const more = async () => {
    if (!cursor) return;
    try {
      const p = await listFamilies({ panchayat, limit: 50, cursor });
      setFamilies((xs) => [...xs, ...p.items]); setCursor(p.nextCursor);
    } catch (err) { setProblem(error(err)); }
  };
  return (
    <section aria-labelledby={`${ids}-h`} className="registers-families">
      <h2 id={`${ids}-h`}>{t('registers.byPanchayat')}</h2>
      {problem && <Notice kind="error">{problem}</Notice>}
      {panchayats?.length === 0 && <p>{t('registers.noFamilies')}</p>}
      {panchayats && panchayats.length > 0 && (
        <p>
          <label htmlFor={`${ids}-gp`}>{t('registers.panchayat')}</label>{' '}
          <select id={`${ids}-gp`} value={panchayat} onChange={(e) => setPanchayat(e.target.value)}>
            {panchayats.map((p) => <option key={p.id} value={p.id}>{nameOf(p, lang)} ({t('registers.familyCount', { count: p.families })})</option>)}
          </select>
        </p>
      )}
      {families.length > 0 && (
        <table className="registers-table">
          <thead><tr><th>{t('registers.familyNumber')}</th><th>{t('registers.village')}</th><th>{t('registers.members')}</th><th>{t('registers.withoutAbha')}</th></tr></thead>
          <tbody>
            {families.map((f) => (
              <tr key={f.id} data-family={f.externalId ?? f.familyNumber}>
                <td>{f.externalId ?? f.familyNumber}<br /><small>{f.familyNumber}{f.category ? ` · ${f.category}` : ''}</small></td>
                <td>{nameOf(f.village, lang)}</td>
                <td>{f.members.map((m) => nameOf(m, lang)).join(', ')}</td>
                <td>{f.withoutAbha.length === 0 ? '✓' : f.members.filter((m) => !m.hasAbha).map((m) => nameOf(m, lang)).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cursor && <button type="button" onClick={() => void more()}>{t('registers.more')}</button>}
    </section>
  );
}
