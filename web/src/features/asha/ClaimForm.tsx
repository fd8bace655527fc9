import { useId, useMemo, useState, type FormEvent } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { todayIst } from '../patients/patients.api.ts';
import { newClientId, type Activity, type ClaimBody } from './asha.api.ts';
import { putClaim, StorageError, type LocalClaim } from './asha.store.ts';
import { useAsha } from './bits.tsx';

const MAX_SIDE = 1280;

/** The photo as a JPEG data: URL no larger than 1280 px a side (a phone's camera gives 4000 px). */
export async function photoDataUrl(file: File): Promise<string> {
  if (!/^image\/(jpeg|png|webp|heic|heif)$/.test(file.type) && !file.type.startsWith('image/')) throw new Error('not an image');
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const scale = Math.min(1, MAX_SIDE / Math.max(img.naturalWidth, img.naturalHeight));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(img.naturalWidth * scale));
    canvas.height = Math.max(1, Math.round(img.naturalHeight * scale));
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no canvas');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return canvas.toDataURL('image/jpeg', 0.75);
  } finally {
    URL.revokeObjectURL(url);
  }
}

type Errors = Partial<Record<'activity' | 'beneficiary' | 'pregnancy' | 'doneOn' | 'photo', string>>;

/**
 * A new claim, made on the phone with or without a network: the activity (in her language, with its
 * amount), the beneficiary as the activity asks (a pregnancy's number for a mother, the patient's id
 * for a child or a TB patient), the day of the work, and a photo where the catalogue asks for one.
 * The claim is kept on the phone with its client id first; `onSaved` then sends what is waiting.
 */
export function ClaimForm({ userId, activities, onSaved }: { userId: string; activities: Activity[]; onSaved: (c: LocalClaim) => void }) {
  const { t } = useI18n();
  const a = useAsha();
  const ids = useId();
  const [code, setCode] = useState('');
  const [beneficiary, setBeneficiary] = useState('');
  const [pregnancy, setPregnancy] = useState('');
  const [doneOn, setDoneOn] = useState(todayIst());
  const [photo, setPhoto] = useState<string | null>(null);
  const [photoBusy, setPhotoBusy] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [top, setTop] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [fileKey, setFileKey] = useState(0);
  const activity = useMemo(() => activities.find((x) => x.code === code) ?? null, [activities, code]);
  const needsPhoto = !!activity?.evidence?.includes('photo');
  const kind = activity?.beneficiaryKind ?? 'none';

  const onPhoto = async (file: File | undefined) => {
    setErrors((e) => ({ ...e, photo: undefined }));
    if (!file) { setPhoto(null); return; }
    setPhotoBusy(true);
    try {
      setPhoto(await photoDataUrl(file));
    } catch {
      setPhoto(null);
      setErrors((e) => ({ ...e, photo: t('asha.form.photoBad') }));
    } finally {
      setPhotoBusy(false);
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTop(null);
    const errs: Errors = {};
    if (!activity) errs.activity = t('asha.form.activityMissing');
    const who = beneficiary.trim();
    if (activity && kind !== 'none' && !who) errs.beneficiary = kind === 'mother' ? t('asha.form.motherMissing') : t('asha.form.patientMissing');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(doneOn)) errs.doneOn = t('asha.form.dateMissing');
    else if (doneOn > todayIst()) errs.doneOn = t('asha.form.dateFuture');
    if (needsPhoto && !photo) errs.photo = t('asha.form.photoMissing');
    setErrors(errs);
    if (Object.keys(errs).length || !activity) return;
    const body: ClaimBody = { clientId: newClientId(), activityCode: activity.code, doneOn };
    if (kind !== 'none') body.beneficiaryPatientId = who;
    if (kind === 'mother' && pregnancy.trim()) body.pregnancyNumber = pregnancy.trim();
    if (needsPhoto && photo) body.photo = photo;
    const claim: LocalClaim = {
      clientId: body.clientId, userId, body, nameEn: activity.nameEn, nameHi: activity.nameHi, amount: activity.amount,
      savedAt: new Date().toISOString(), status: 'pending',
    };
    setBusy(true);
    try {
      await putClaim(claim);
    } catch (err) {
      setTop(err instanceof StorageError ? t('asha.form.storageFull') : String(err));
      return;
    } finally {
      setBusy(false);
    }
    setCode('');
    setBeneficiary('');
    setPregnancy('');
    setPhoto(null);
    setFileKey((k) => k + 1);
    onSaved(claim);
  };

  const err = (k: keyof Errors) => errors[k] ? <span className="error" id={`${ids}-${k}-error`}>{errors[k]}</span> : null;
  const described = (k: keyof Errors) => (errors[k] ? `${ids}-${k}-error` : undefined);

  return (
    <form className="asha-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>{t('asha.form.title')}</h2>
      {top && <Notice kind="error">{top}</Notice>}
      <div className="field">
        <label htmlFor={`${ids}-activity`}>{t('asha.form.activity')}</label>
        <select id={`${ids}-activity`} value={code} onChange={(e) => { setCode(e.target.value); setBeneficiary(''); setPregnancy(''); setErrors({}); }}
          aria-invalid={!!errors.activity} aria-describedby={described('activity')}>
          <option value="">{t('asha.choose')}</option>
          {activities.map((x) => <option key={x.code} value={x.code}>{a.name(x.nameEn, x.nameHi)} — {a.money(x.amount)}</option>)}
        </select>
        {err('activity')}
        {activity && (
          <span className="hint">
            {t('asha.form.amount', { amount: a.money(activity.amount) })}
            {activity.perBeneficiaryLimit ? ` · ${t('asha.form.perBeneficiary', { count: activity.perBeneficiaryLimit })}` : ''}
            {activity.perMonthLimit ? ` · ${t('asha.form.perMonth', { count: activity.perMonthLimit })}` : ''}
          </span>
        )}
      </div>
      {kind !== 'none' && (
        <div className="field">
          <label htmlFor={`${ids}-who`}>{kind === 'mother' ? t('asha.form.mother') : kind === 'tb' ? t('asha.form.tbPatient') : t('asha.form.child')}</label>
          <input id={`${ids}-who`} value={beneficiary} onChange={(e) => setBeneficiary(e.target.value)} autoComplete="off"
            aria-invalid={!!errors.beneficiary} aria-describedby={described('beneficiary') ?? `${ids}-who-hint`} />
          <span className="hint" id={`${ids}-who-hint`}>{t('asha.form.patientHint')}</span>
          {err('beneficiary')}
        </div>
      )}
      {kind === 'mother' && (
        <div className="field">
          <label htmlFor={`${ids}-preg`}>{t('asha.form.pregnancyNumber')}</label>
          <input id={`${ids}-preg`} value={pregnancy} onChange={(e) => setPregnancy(e.target.value)} autoComplete="off" aria-describedby={`${ids}-preg-hint`} />
          <span className="hint" id={`${ids}-preg-hint`}>{t('asha.form.pregnancyHint')}</span>
        </div>
      )}
      <div className="field">
        <label htmlFor={`${ids}-date`}>{t('asha.form.doneOn')}</label>
        <input id={`${ids}-date`} type="date" value={doneOn} max={todayIst()} onChange={(e) => setDoneOn(e.target.value)}
          aria-invalid={!!errors.doneOn} aria-describedby={described('doneOn')} />
        {err('doneOn')}
      </div>
      {needsPhoto && (
        <div className="field">
          <label htmlFor={`${ids}-photo`}>{t('asha.form.photo')}</label>
          <input key={fileKey} id={`${ids}-photo`} type="file" accept="image/*" capture="environment"
            onChange={(e) => void onPhoto(e.target.files?.[0])} aria-invalid={!!errors.photo} aria-describedby={described('photo')} />
          {photoBusy && <span className="hint">{t('common.loading')}</span>}
          {photo && <img className="asha-photo" src={photo} alt={t('asha.form.photoPreview')} />}
          {err('photo')}
        </div>
      )}
      <div className="asha-actions">
        <button type="submit" disabled={busy || photoBusy}>{t('asha.form.save')}</button>
      </div>
    </form>
  );
}
