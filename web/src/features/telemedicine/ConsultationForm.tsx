import { useEffect, useState, type FormEvent } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { FormField } from '../facilities/FormField.tsx';
import { IcdPicker, type Diagnosis } from '../patients/IcdPicker.tsx';
import { useTele } from './bits.tsx';
import { getConsultation, saveConsultation } from './tele.api.ts';

/** The doctor's record of the consultation: notes, ICD-10 diagnoses, advice and the follow-up date. */
export function ConsultationForm({ requestId }: { requestId: string }) {
  const { t, lang } = useI18n();
  const tele = useTele();
  const [notes, setNotes] = useState('');
  const [diagnoses, setDiagnoses] = useState<Diagnosis[]>([]);
  const [advice, setAdvice] = useState('');
  const [followUp, setFollowUp] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [top, setTop] = useState<string | null>(null);
  const [saved, setSaved] = useState<{ warning?: { message: string; messageHi: string } } | null>(null);
  const [busy, setBusy] = useState(false);
  // The fields stay disabled until what was saved has loaded: typing earlier would be overwritten by it.
  const [loaded, setLoaded] = useState(false);

  // A reload in the middle of a consultation brings back what was saved.
  useEffect(() => {
    const ctrl = new AbortController();
    setLoaded(false);
    getConsultation(requestId, ctrl.signal).then((c) => {
      setNotes(c.notes ?? '');
      setDiagnoses(c.diagnoses);
      setAdvice(c.advice ?? '');
      setFollowUp(c.followUpOn ?? '');
    }).catch(() => undefined).finally(() => {
      if (!ctrl.signal.aborted) setLoaded(true);
    });
    return () => ctrl.abort();
  }, [requestId]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setTop(null);
    setSaved(null);
    setErrors({});
    setBusy(true);
    try {
      const c = await saveConsultation(requestId, {
        notes, advice, diagnoses: diagnoses.map((d) => ({ code: d.code })), followUpOn: followUp || null,
      });
      setDiagnoses(c.diagnoses.map((d) => ({ code: d.code, title: d.title ?? diagnoses.find((x) => x.code === d.code)?.title ?? null })));
      setSaved({ warning: c.warnings?.[0] });
    } catch (err) {
      const p = tele.problems(err, (f) => ['notes', 'diagnoses', 'advice', 'followUpOn'].includes(f));
      setErrors(p.errors);
      setTop(p.top);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel tele-record" onSubmit={submit} noValidate aria-labelledby="tele-record-title">
      <h3 id="tele-record-title">{t('tele.record')}</h3>
      {top && <Notice kind="error">{top}</Notice>}
      <fieldset className="plain" disabled={!loaded} aria-busy={!loaded}>
        <FormField id="tele-notes" label={t('tele.notes')} value={notes} onChange={setNotes} multiline error={errors.notes} />
        <IcdPicker value={diagnoses} onChange={setDiagnoses} error={errors.diagnoses} />
        <FormField id="tele-advice" label={t('tele.advice')} value={advice} onChange={setAdvice} multiline error={errors.advice} />
        <FormField id="tele-follow-up" label={t('tele.followUp')} type="date" value={followUp} onChange={setFollowUp} error={errors.followUpOn} />
      </fieldset>
      <div className="form-actions">
        <button type="submit" disabled={busy || !loaded}>{busy ? t('common.saving') : t('tele.saveRecord')}</button>
      </div>
      {saved && <Notice kind="success">{t('tele.recordSaved')}{saved.warning && ` ${lang === 'hi' ? saved.warning.messageHi : saved.warning.message}`}</Notice>}
    </form>
  );
}
