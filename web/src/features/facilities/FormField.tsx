import type { HTMLAttributes } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';

export interface Option {
  value: string;
  label: string;
}

/** A labelled input, select or textarea with its hint and error wired for screen readers. */
export function FormField(props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  error?: string;
  hint?: string;
  required?: boolean;
  disabled?: boolean;
  type?: string;
  lang?: string;
  inputMode?: HTMLAttributes<HTMLInputElement>['inputMode'];
  maxLength?: number;
  options?: Option[];
  /** For selects: offer an empty first choice (default true). */
  placeholder?: boolean;
  emptyLabel?: string;
  multiline?: boolean;
}) {
  const { t } = useI18n();
  const { id, error, hint } = props;
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name: id.replace(/^facility-/, ''),
    value: props.value,
    disabled: props.disabled,
    required: props.required,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
    onBlur: props.onBlur,
  };

  let control;
  if (props.options) {
    control = (
      <select {...common} onChange={(e) => props.onChange(e.target.value)}>
        {props.placeholder !== false && <option value="">{props.emptyLabel ?? t('form.choose')}</option>}
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>{o.label}</option>
        ))}
      </select>
    );
  } else if (props.multiline) {
    control = <textarea {...common} rows={2} onChange={(e) => props.onChange(e.target.value)} />;
  } else {
    control = (
      <input
        {...common}
        type={props.type ?? 'text'}
        lang={props.lang}
        inputMode={props.inputMode}
        maxLength={props.maxLength}
        onChange={(e) => props.onChange(e.target.value)}
      />
    );
  }

  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      {/* The label holds the field's name only (tests and voice control find inputs by it); the
          required mark sits beside it and the input's `required` attribute tells screen readers. */}
      <div className="label-row">
        <label htmlFor={id}>{props.label}</label>
        {props.required && <span className="required" aria-hidden="true">*</span>}
      </div>
      {control}
      {hint && <div className="hint" id={`${id}-hint`}>{hint}</div>}
      {error && <div className="error" id={`${id}-error`} role="alert">{error}</div>}
    </div>
  );
}
