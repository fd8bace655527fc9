import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { FormField } from '../facilities/FormField.tsx';
import { unitName } from '../geo/geo.api.ts';
import type { Area } from './survey.api.ts';
import { putHousehold, StorageFullError } from './survey.store.ts';
import {
  checkHousehold, emptyHousehold, emptyMember, firstProblemId, hasProblems, memberFieldOf, newClientId,
  type HouseholdValues, type LocalHousehold, type MemberField,
} from './household.ts';
import { MemberFields } from './MemberFields.tsx';

const MAX_MEMBERS = 30;

/**
 * Records a household at the door, kept on this phone until it is synced. Given a refused household
 * (`editing`), it shows the server's reasons beside the fields and saves it to be sent again.
 */
export function HouseholdForm(props: {
  userId: string;
  areas: Area[];
  editing: LocalHousehold | null;
  onSaved: (h: LocalHousehold) => void;
  onCancelEdit: () => void;
}) {
  const { t, lang } = useI18n();
  const { areas, editing } = props;
  const defaultArea = areas.length === 1 ? areas[0]!.id : '';
  const [values, setValues] = useState<HouseholdValues>(() => editing ?? emptyHousehold(defaultArea));
  const [submitted, setSubmitted] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setValues(editing ?? emptyHousehold(defaultArea));
    setSubmitted(false);
    setError(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [editing]);
  // With one area only (the list may come from the server after the form shows), it is chosen already.
  useEffect(() => {
    if (defaultArea) setValues((h) => (h.area ? h : { ...h, area: defaultArea }));
  }, [defaultArea]);

  const problems = useMemo(() => checkHousehold(values), [values]);
  // The server's reasons for a refused household, by member and field, until that field is changed.
  const [serverRaw, setServerRaw] = useState<{ member?: number; field?: string; text: string }[]>([]);
  useEffect(() => {
    setServerRaw((editing?.problems ?? []).map((p) => ({ member: p.member, field: p.field, text: lang === 'hi' ? p.messageHi ?? p.message : p.message })));
  }, [editing, lang]);
  const server = serverRaw.filter((s) => s.member !== undefined).map((s) => ({ ...s, field: memberFieldOf(s.field) }));

  const memberErrors = (i: number): Partial<Record<MemberField, string>> => {
    const out: Partial<Record<MemberField, string>> = {};
    if (submitted) {
      for (const [f, p] of Object.entries(problems.members[i] ?? {})) if (p) out[f as MemberField] = t(p.key, p.params);
    }
    for (const s of server) if (s.member === i && s.field && !out[s.field]) out[s.field] = s.text;
    return out;
  };
  // Reasons about the household itself (its area, family id) sit beside those fields; others on top.
  const householdField = (f: string | undefined) => (f === 'area' ? 'area' : f === 'externalId' || f === 'familyExternalId' ? 'familyExternalId' : f === 'addressLine' ? 'addressLine' : null);
  const householdError = (name: 'area' | 'familyExternalId' | 'addressLine') => serverRaw.find((s) => s.member === undefined && householdField(s.field) === name)?.text;
  const unplaced = serverRaw.filter((s) => (s.member === undefined ? !householdField(s.field) : !memberFieldOf(s.field)));

  const setMember = (i: number, field: MemberField, v: string) => {
    setValues((h) => ({ ...h, members: h.members.map((m, j) => (j === i ? { ...m, [field]: v, ...(field === 'birthDate' && v ? { age: '' } : {}) } : m)) }));
    setServerRaw((list) => list.filter((s) => !(s.member === i && memberFieldOf(s.field) === field)));
  };

  function submit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    setError(null);
    if (hasProblems(problems)) {
      const first = firstProblemId(problems);
      if (first) document.getElementById(first)?.focus();
      return;
    }
    const h: LocalHousehold = {
      ...values,
      clientId: editing?.clientId ?? newClientId(),
      recordedAt: editing?.recordedAt ?? new Date().toISOString(),
      status: 'pending',
    };
    try {
      putHousehold(props.userId, h);
    } catch (err) {
      setError(err instanceof StorageFullError ? t('survey.storageFull') : String(err));
      return;
    }
    setValues(emptyHousehold(values.area));
    setSubmitted(false);
    setServerRaw([]);
    props.onSaved(h);
  }

  const areaError = submitted && problems.area ? t(problems.area.key) : householdError('area');
  const setHousehold = (name: 'area' | 'familyExternalId' | 'addressLine', v: string) => {
    setValues((h) => ({ ...h, [name]: v }));
    setServerRaw((list) => list.filter((s) => !(s.member === undefined && householdField(s.field) === name)));
  };
  return (
    <form className="survey-form" onSubmit={submit} noValidate aria-labelledby="household-title">
      <h2 id="household-title">{editing ? t('survey.editTitle') : t('survey.newTitle')}</h2>
      {editing && <p className="muted">{t('survey.editLead')}</p>}
      {unplaced.map((s, i) => <Notice key={i} kind="error">{s.text}</Notice>)}
      {error && <Notice kind="error">{error}</Notice>}
      <FormField id="survey-area" label={t('survey.area')} required value={values.area} error={areaError}
        options={areas.map((a) => ({ value: a.id, label: unitName(a, lang) }))}
        onChange={(v) => setHousehold('area', v)} />
      <FormField id="survey-address" label={t('survey.addressLine')} value={values.addressLine} hint={t('survey.hint.optional')}
        error={householdError('addressLine')} onChange={(v) => setHousehold('addressLine', v)} />
      <FormField id="survey-family-id" label={t('survey.familyId')} value={values.familyExternalId} hint={t('survey.hint.familyId')}
        error={householdError('familyExternalId')} onChange={(v) => setHousehold('familyExternalId', v)} />
      {values.members.map((m, i) => (
        <MemberFields key={i} index={i} value={m} errors={memberErrors(i)} onChange={(f, v) => setMember(i, f, v)}
          onRemove={i > 0 ? () => {
            setValues((h) => ({ ...h, members: h.members.filter((_, j) => j !== i) }));
            setServerRaw((list) => list.filter((s) => s.member === undefined));
          } : undefined} />
      ))}
      <div className="survey-actions">
        {values.members.length < MAX_MEMBERS && (
          <button type="button" className="secondary" onClick={() => setValues((h) => ({ ...h, members: [...h.members, emptyMember('')] }))}>
            {t('survey.addMember')}
          </button>
        )}
        <button type="submit">{editing ? t('survey.saveAgain') : t('survey.save')}</button>
        {editing && <button type="button" className="secondary" onClick={props.onCancelEdit}>{t('action.cancel')}</button>}
      </div>
    </form>
  );
}
