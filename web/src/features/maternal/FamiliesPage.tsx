import { useEffect, useId, useState, type FormEvent } from 'react';
import { ApiError } from '../../api.ts';
import { FlashNotice, flash } from '../../components/Flash.tsx';
import { Notice } from '../../components/Notice.tsx';
import { useApiErrors } from '../../components/useApiErrors.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { navigate } from '../../router.ts';
import { can, useMe } from '../auth/session.tsx';
import { PatientName } from '../patients/PatientBits.tsx';
import type { PatientHit } from '../patients/patients.api.ts';
import { addMember, createFamily, getFamily, RELATIONS, type Family } from './maternal.api.ts';
import { PatientPicker } from './PatientPicker.tsx';
import './maternal.css';

/** #/families: open a family by its number (or the state's own family id), or register a new one. */
export function FamiliesPage() {
  const { t } = useI18n();
  const me = useMe();
  const id = useId();
  const [ref, setRef] = useState('');
  function open(e: FormEvent) {
    e.preventDefault();
    if (ref.trim()) navigate(`/families/${ref.trim()}`);
  }
  return (
    <section aria-labelledby="families-title">
      <div className="page-head">
        <h1 id="families-title">{t('family.pageTitle')}</h1>
        {can(me, 'can_register_patient') && <div className="actions"><a className="button" href="#/families/new">{t('family.new')}</a></div>}
      </div>
      <p className="lead">{t('family.lead')}</p>
      <form className="inline-form" role="search" onSubmit={open}>
        <div className="field field-grow">
          <label htmlFor={`${id}-ref`}>{t('family.openLabel')}</label>
          <input id={`${id}-ref`} value={ref} maxLength={40} autoComplete="off" onChange={(e) => setRef(e.target.value)} aria-describedby={`${id}-hint`} />
          <small className="muted" id={`${id}-hint`}>{t('family.openHint')}</small>
        </div>
        <button type="submit" disabled={!ref.trim()}>{t('family.open')}</button>
      </form>
    </section>
  );
}

/** #/families/new: the head is a registered person; the state's family id and the address are optional. */
export function NewFamilyPage({ query }: { query: URLSearchParams }) {
  const { t } = useI18n();
  const { error } = useApiErrors();
  const id = useId();
  const [head, setHead] = useState<{ id: string; name: string; nameHi: string | null; nameLatin?: string | null } | null>(null);
  const [externalId, setExternalId] = useState('');
  const [addressLine, setAddressLine] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const headParam = query.get('head');

  useEffect(() => {
    // From a patient's record: that person is the head (the name comes from the search the clerk did there).
    if (headParam && !head) setHead({ id: headParam, name: headParam, nameHi: null });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [headParam]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!head) return;
    setBusy(true);
    setProblem(null);
    try {
      const f = await createFamily({ headPatientId: head.id, externalId: externalId.trim() || undefined, addressLine: addressLine.trim() || undefined });
      flash(t('family.created', { number: f.familyNumber }));
      navigate(`/families/${f.id}`);
    } catch (err) {
      setProblem(error(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section aria-labelledby="new-family-title">
      <p className="breadcrumb"><a href="#/families">{t('family.pageTitle')}</a></p>
      <h1 id="new-family-title">{t('family.new')}</h1>
      {!head ? (
        <PatientPicker label={t('family.findHead')} chooseLabel={t('family.chooseHead')} onChoose={(p: PatientHit) => setHead(p)} />
      ) : (
        <form className="panel family-form" onSubmit={submit}>
          <p>
            {t('family.head')}: <strong>{headParam && head.id === headParam && head.name === headParam ? <a href={`#/patients/${head.id}`}>{t('family.thisPatient')}</a> : <PatientName p={head} />}</strong>
            {' '}<button type="button" className="link-button" onClick={() => setHead(null)}>{t('family.changeHead')}</button>
          </p>
          <div className="field">
            <label htmlFor={`${id}-ext`}>{t('family.externalId')}</label>
            <input id={`${id}-ext`} value={externalId} maxLength={40} onChange={(e) => setExternalId(e.target.value)} aria-describedby={`${id}-ext-hint`} />
            <small className="muted" id={`${id}-ext-hint`}>{t('family.externalIdHint')}</small>
          </div>
          <div className="field">
            <label htmlFor={`${id}-addr`}>{t('family.addressLine')}</label>
            <input id={`${id}-addr`} value={addressLine} maxLength={300} onChange={(e) => setAddressLine(e.target.value)} />
          </div>
          <div className="form-actions">
            <button type="submit" disabled={busy}>{busy ? t('common.saving') : t('family.createSubmit')}</button>
          </div>
          {problem && <p className="error" role="alert">{problem}</p>}
        </form>
      )}
    </section>
  );
}

/** #/families/{id}: the members with their relation to the head, and adding a member. */
export function FamilyPage({ id: ref }: { id: string }) {
  const { t, tx, num } = useI18n();
  const me = useMe();
  const { error } = useApiErrors();
  const fid = useId();
  const [family, setFamily] = useState<Family | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [adding, setAdding] = useState<{ id: string; name: string; nameHi: string | null; nameLatin?: string | null } | null>(null);
  const [relation, setRelation] = useState<string>('spouse');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    getFamily(ref, ctrl.signal).then(setFamily).catch((err) => !ctrl.signal.aborted && setLoadError(err instanceof ApiError && err.status === 0 ? t('error.network') : error(err)));
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ref]);

  async function add(e: FormEvent) {
    e.preventDefault();
    if (!adding || !family) return;
    setBusy(true);
    setProblem(null);
    try {
      setFamily(await addMember(family.id, { patientId: adding.id, relation }));
      setDone(t('family.added', { name: adding.name }));
      setAdding(null);
    } catch (err) {
      setProblem(error(err));
    } finally {
      setBusy(false);
    }
  }

  if (loadError) {
    return (
      <section aria-labelledby="family-title">
        <p className="breadcrumb"><a href="#/families">{t('family.pageTitle')}</a></p>
        <h1 id="family-title">{t('family.title')}</h1>
        <Notice kind="error">{loadError}</Notice>
      </section>
    );
  }
  if (!family) return <Notice kind="info">{t('common.loading')}</Notice>;
  return (
    <section aria-labelledby="family-title">
      <p className="breadcrumb"><a href="#/families">{t('family.pageTitle')}</a></p>
      <FlashNotice />
      <h1 id="family-title">{t('family.numberIs', { number: family.familyNumber })}</h1>
      <p className="muted">
        {family.externalId && <>{t('family.externalId')}: <span className="mono">{family.externalId}</span> · </>}
        {family.addressLine ?? ''}
      </p>
      {done && <p className="maternal-notice" role="status">{done}</p>}
      <div className="table-wrap">
        <table className="data-table compact">
          <caption className="visually-hidden">{t('family.members')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('patients.name')}</th>
              <th scope="col">{t('family.relation')}</th>
              <th scope="col">{t('family.ageSex')}</th>
              <th scope="col">{t('patients.stateNumber')}</th>
              <th scope="col">{t('family.abha')}</th>
              <th scope="col">{t('family.card')}</th>
            </tr>
          </thead>
          <tbody>
            {family.members.map((m) => (
              <tr key={m.id}>
                <td><PatientName p={m} href={`#/patients/${m.id}`} /></td>
                <td>{tx(`family.relation.${m.relation}`, m.relation)}</td>
                <td>{t(`patients.sex.${m.sex}`)} · {t('patients.ageYears', { age: num(m.age) })}</td>
                <td className="mono">{m.stateNumber}</td>
                <td>{m.hasAbha ? t('family.yes') : <span className="badge badge-warn">{t('family.missing')}</span>}</td>
                <td>{m.hasCard ? t('family.yes') : <span className="badge badge-warn">{t('family.missing')}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {can(me, 'can_register_patient') && (
        <section className="panel family-add" aria-labelledby={`${fid}-add`}>
          <h2 id={`${fid}-add`}>{t('family.addMember')}</h2>
          {!adding ? (
            <PatientPicker label={t('family.findMember')} chooseLabel={t('family.chooseMember')} exclude={family.members.map((m) => m.id)} onChoose={(p) => { setDone(null); setAdding(p); }} />
          ) : (
            <form className="inline-form" onSubmit={add}>
              <p className="field-grow">{t('family.adding')}: <strong><PatientName p={adding} /></strong>{' '}
                <button type="button" className="link-button" onClick={() => setAdding(null)}>{t('family.changeMember')}</button></p>
              <div className="field">
                <label htmlFor={`${fid}-rel`}>{t('family.relationToHead')}</label>
                <select id={`${fid}-rel`} value={relation} onChange={(e) => setRelation(e.target.value)}>
                  {RELATIONS.map((r) => <option key={r} value={r}>{t(`family.relation.${r}`)}</option>)}
                </select>
              </div>
              <button type="submit" disabled={busy}>{busy ? t('common.saving') : t('family.addSubmit')}</button>
            </form>
          )}
          {problem && <p className="error" role="alert">{problem}</p>}
        </section>
      )}
    </section>
  );
}
