import { useEffect, useId, useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { useI18n } from '../../i18n/i18n.tsx';

/** A modal asking for the reason, required, before a return is sent back or un-approved. */
export function ReasonDialog(props: {
  open: boolean;
  title: string;
  facility: string;
  confirmLabel: string;
  busy: boolean;
  error: string | null;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  useEffect(() => {
    if (props.open) {
      setReason('');
      setMissing(false);
    }
  }, [props.open]);
  const confirm = () => {
    if (!reason.trim()) return setMissing(true);
    props.onConfirm(reason.trim());
  };
  return (
    <ConfirmDialog open={props.open} title={props.title} confirmLabel={props.confirmLabel} cancelLabel={t('action.cancel')}
      busy={props.busy} danger onConfirm={confirm} onCancel={props.onCancel}>
      <p>{props.facility}</p>
      <div className={`field${missing ? ' has-error' : ''}`}>
        <label htmlFor={id}>{t('hmis.reason')} <span className="required" aria-hidden="true">*</span></label>
        <textarea id={id} rows={3} required aria-required="true" aria-invalid={missing || undefined} maxLength={1000}
          value={reason} onChange={(e) => { setReason(e.target.value); setMissing(false); }} />
        {missing && <span className="error" role="alert">{t('hmis.reasonRequired')}</span>}
        {props.error && <span className="error" role="alert">{props.error}</span>}
      </div>
    </ConfirmDialog>
  );
}
