import { useEffect, useState } from 'react';
import { useApiErrors } from '../../components/useApiErrors.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { can, useMe } from '../auth/session.tsx';
import { familyOf } from './maternal.api.ts';

/** On a patient's record: the family they belong to (a link), or a link to register one with them as its head. */
export function FamilyLink({ patientId }: { patientId: string }) {
  const { t, tx } = useI18n();
  const me = useMe();
  const { error } = useApiErrors();
  const [state, setState] = useState<{ family: Awaited<ReturnType<typeof familyOf>>['family'] } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    familyOf(patientId, ctrl.signal).then(setState).catch((err) => !ctrl.signal.aborted && setProblem(error(err)));
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [patientId]);
  return (
    <section className="panel" aria-labelledby={`family-title-${patientId}`}>
      <h2 id={`family-title-${patientId}`}>{t('family.title')}</h2>
      {problem && <p className="error" role="alert">{problem}</p>}
      {!state && !problem && <p className="muted">{t('common.loading')}</p>}
      {state?.family && (
        <p>
          <a href={`#/families/${state.family.id}`}>{t('family.numberIs', { number: state.family.familyNumber })}</a>
          <span className="muted"> · {tx(`family.relation.${state.family.relation}`, state.family.relation)} · {t('family.memberCount', { count: state.family.members })}</span>
        </p>
      )}
      {state && !state.family && (
        <p>
          <span className="muted">{t('family.none')} </span>
          {can(me, 'can_register_patient') && <a href={`#/families/new?head=${encodeURIComponent(patientId)}`}>{t('family.createWithHead')}</a>}
        </p>
      )}
    </section>
  );
}
