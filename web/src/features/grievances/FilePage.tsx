import { useEffect, useState, type FormEvent } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { formatDate, useI18n } from '../../i18n/i18n.tsx';
import { FormField } from '../facilities/FormField.tsx';
import { unitName } from '../geo/geo.api.ts';
import { GrievanceShell, mobileDigits, useGrv } from './bits.tsx';
import {
  ATTACHMENT_TYPES, fileGrievance, GRIEVANCE_TYPES, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, publicDistricts, publicFacilities, sendCode,
  uploadPublicAttachment, type District, type Filed, type GrievanceType, type PlaceFacility,
} from './grievances.api.ts';
import { rememberFiled } from './TrackPage.tsx';

/** Fields the form shows their errors beside; any other problem is shown at the top. */
const SHOWN = ['mobile', 'code', 'type', 'district', 'facilityId', 'description'];

/**
 * File a complaint without signing in: the mobile number and the one-time code sent to it, what the
 * complaint is about, the district (and facility, where the server lists them), what happened, photos
 * or PDFs; then the ticket number, large, with how to track it.
 */
export function FilePage() {
  const { t, lang } = useI18n();
  const g = useGrv();
  const [mobile, setMobile] = useState('');
  const [challenge, setChallenge] = useState<{ id: string; sentTo: string } | null>(null);
  const [code, setCode] = useState('');
  const [type, setType] = useState<GrievanceType | ''>('');
  const [districts, setDistricts] = useState<District[] | null>(null);
  const [district, setDistrict] = useState('');
  const [facilities, setFacilities] = useState<PlaceFacility[] | null>(null);
  const [facilityId, setFacilityId] = useState('');
  const [description, setDescription] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [top, setTop] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [filed, setFiled] = useState<{ ticket: Filed; attached: number; failed: string[] } | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    publicDistricts(ctrl.signal).then(setDistricts).catch(() => !ctrl.signal.aborted && setDistricts([]));
    return () => ctrl.abort();
  }, []);

  useEffect(() => {
    setFacilityId('');
    setFacilities(null);
    if (!district) return;
    const ctrl = new AbortController();
    publicFacilities(district, ctrl.signal).then((list) => !ctrl.signal.aborted && setFacilities(list)).catch(() => undefined);
    return () => ctrl.abort();
  }, [district]);

  const fail = (err: unknown) => {
    const p = g.problems(err, (f) => SHOWN.includes(f));
    setErrors(p.errors);
    setTop(p.top);
  };

  async function askCode(e: FormEvent) {
    e.preventDefault();
    setTop(null);
    setErrors({});
    const digits = mobileDigits(mobile);
    if (!digits) return setErrors({ mobile: t('grv.err.mobile') });
    setBusy(true);
    try {
      const r = await sendCode(digits);
      setChallenge({ id: r.challengeId, sentTo: r.sentTo });
      setCode('');
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  }

  function pickFiles(list: FileList | null) {
    const chosen = [...(list ?? [])];
    const problems: string[] = [];
    if (chosen.length > MAX_ATTACHMENTS) problems.push(t('grv.err.tooManyFiles', { count: MAX_ATTACHMENTS }));
    for (const f of chosen) {
      if (!(ATTACHMENT_TYPES as readonly string[]).includes(f.type)) problems.push(t('grv.err.fileType', { name: f.name }));
      else if (f.size > MAX_ATTACHMENT_BYTES) problems.push(t('grv.err.fileSize', { name: f.name }));
    }
    setErrors(({ attachments: _old, ...rest }) => (problems.length ? { ...rest, attachments: problems.join(' ') } : rest));
    setFiles(problems.length ? [] : chosen);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!challenge) return;
    setTop(null);
    const errs: Record<string, string> = {};
    if (!/^\d{4,8}$/.test(code.trim())) errs.code = t('grv.err.code');
    if (!type) errs.type = t('grv.err.type');
    if (!district) errs.district = t('grv.err.district');
    if (description.trim().length < 20) errs.description = t('grv.err.description');
    if (errors.attachments) errs.attachments = errors.attachments;
    setErrors(errs);
    if (Object.keys(errs).length || !type) return;
    setBusy(true);
    try {
      const digits = mobileDigits(mobile) ?? mobile.trim();
      const ticket = await fileGrievance({
        mobile: digits, challengeId: challenge.id, code: code.trim(), type,
        ...(facilityId ? { facilityId } : { district }), description: description.trim(), language: lang,
      });
      // Photos and PDFs go one by one once the ticket exists; one refused file does not undo the complaint.
      let attached = 0;
      const failed: string[] = [];
      for (const f of files) {
        if (!ticket.accessToken) break;
        try {
          await uploadPublicAttachment(ticket.ticketNumber, ticket.accessToken, f);
          attached++;
        } catch (err) {
          failed.push(t('grv.err.attachment', { name: f.name, message: g.error(err) }));
        }
      }
      rememberFiled({ ticket: ticket.ticketNumber, mobile: digits, accessToken: ticket.accessToken ?? null });
      setFiled({ ticket, attached, failed });
      window.scrollTo(0, 0);
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  }

  if (filed) {
    const n = filed.ticket.ticketNumber;
    return (
      <GrievanceShell current="file">
        <section aria-labelledby="grv-filed-title" data-testid="grv-filed">
          <h1 id="grv-filed-title">{t('grv.filed.title')}</h1>
          <div className="grv-ticket" role="status">
            <span>{t('grv.filed.ticket')}</span>
            <strong className="grv-ticket-number" data-testid="grv-ticket-number">{n}</strong>
          </div>
          <p><strong>{t('grv.filed.keep')}</strong></p>
          <p>{t('grv.filed.how')}</p>
          <p>{t('grv.filed.due', { date: formatDate(filed.ticket.resolutionDue) })}</p>
          {filed.attached > 0 && <p className="muted">{t('grv.attached', { count: filed.attached })}</p>}
          {filed.failed.map((f) => <Notice key={f} kind="error">{f}</Notice>)}
          <p className="form-actions">
            <a className="button" href={`#/complaint/track?ticket=${encodeURIComponent(n)}`}>{t('grv.filed.track')}</a>
            <button type="button" className="secondary" onClick={() => window.location.reload()}>{t('grv.filed.another')}</button>
          </p>
        </section>
      </GrievanceShell>
    );
  }

  return (
    <GrievanceShell current="file">
      <section aria-labelledby="grv-file-title">
        <h1 id="grv-file-title">{t('grv.file.title')}</h1>
        <p className="lead">{t('grv.file.lead')}</p>
        {top && <Notice kind="error">{top}</Notice>}
        <form className="panel" onSubmit={askCode} noValidate aria-labelledby="grv-step1">
          <h2 id="grv-step1">{t('grv.step.mobile')}</h2>
          <div className="inline-form">
            <FormField id="grv-mobile" label={t('grv.mobile')} type="tel" inputMode="tel" value={mobile} maxLength={16} error={errors.mobile}
              hint={t('grv.mobileHint')} onChange={(v) => { setMobile(v); if (challenge) setChallenge(null); }} disabled={busy} />
            <button type="submit" className={challenge ? 'secondary' : ''} disabled={busy}>{challenge ? t('grv.resend') : t('grv.sendCode')}</button>
          </div>
          {challenge && <p role="status" className="muted">{t('grv.codeSent', { to: challenge.sentTo })}</p>}
        </form>
        {challenge && (
          <form className="panel" onSubmit={submit} noValidate aria-labelledby="grv-step2">
            <h2 id="grv-step2">{t('grv.step.details')}</h2>
            <FormField id="grv-code" label={t('grv.code')} value={code} inputMode="numeric" maxLength={8} error={errors.code}
              onChange={(v) => { setCode(v); setErrors(({ code: _fixed, ...rest }) => rest); }} />
            <fieldset className={`radio-group${errors.type ? ' has-error' : ''}`} aria-describedby={errors.type ? 'grv-type-error' : undefined}>
              <legend>{t('grv.type')}</legend>
              <div className="grv-types">
                {GRIEVANCE_TYPES.map((c) => (
                  <label key={c} className="radio">
                    <input type="radio" name="grv-type" value={c} checked={type === c} onChange={() => { setType(c); setErrors(({ type: _fixed, ...rest }) => rest); }} />
                    {g.type(c)}
                  </label>
                ))}
              </div>
              {errors.type && <div className="error" id="grv-type-error" role="alert">{errors.type}</div>}
            </fieldset>
            <FormField id="grv-district" label={t('grv.district')} value={district} onChange={(v) => { setDistrict(v); setErrors(({ district: _fixed, ...rest }) => rest); }} error={errors.district}
              options={(districts ?? []).map((d) => ({ value: String(d.lgdCode ?? d.id), label: unitName(d, lang) }))} />
            {facilities && facilities.length > 0 && (
              <FormField id="grv-facility" label={t('grv.facility')} value={facilityId} onChange={setFacilityId} error={errors.facilityId}
                hint={t('grv.facilityHint')} emptyLabel={t('grv.facilityNone')}
                options={facilities.map((f) => ({ value: f.id, label: unitName(f, lang) }))} />
            )}
            <FormField id="grv-description" label={t('grv.description')} value={description} multiline
              onChange={(v) => { setDescription(v); if (v.trim().length >= 20) setErrors(({ description: _fixed, ...rest }) => rest); }}
              hint={t('grv.descriptionHint')} error={errors.description} />
            <div className={`field${errors.attachments ? ' has-error' : ''}`}>
              <label htmlFor="grv-files">{t('grv.attachments')}</label>
              <input id="grv-files" type="file" multiple accept={ATTACHMENT_TYPES.join(',')} onChange={(e) => pickFiles(e.target.files)}
                aria-describedby={`grv-files-hint${errors.attachments ? ' grv-files-error' : ''}`} aria-invalid={errors.attachments ? true : undefined} />
              <div className="hint" id="grv-files-hint">{t('grv.attachmentsHint', { count: MAX_ATTACHMENTS })}</div>
              {errors.attachments && <div className="error" id="grv-files-error" role="alert">{errors.attachments}</div>}
            </div>
            <p className="hint">{t('grv.emergency')}</p>
            <div className="form-actions"><button type="submit" disabled={busy}>{busy ? t('common.saving') : t('grv.submit')}</button></div>
          </form>
        )}
      </section>
    </GrievanceShell>
  );
}
