import { useI18n } from '../../i18n/i18n.tsx';
import { FormField } from '../facilities/FormField.tsx';
import { checkAbha, formatAbha } from '../patients/abha.ts';
import { SEXES } from '../patients/patients.api.ts';
import { RELATIONS } from './survey.api.ts';
import type { MemberField, MemberValues } from './household.ts';

/** One member of the household: who they are, how to reach them, their relation to the head. */
export function MemberFields(props: {
  index: number;
  value: MemberValues;
  errors: Partial<Record<MemberField, string>>;
  onChange: (field: MemberField, value: string) => void;
  onRemove?: () => void;
}) {
  const { t } = useI18n();
  const { index: i, value: m, errors } = props;
  const id = (f: MemberField) => `member-${i}-${f}`;
  const field = (f: MemberField, label: string, extra: Partial<Parameters<typeof FormField>[0]> = {}) => (
    <FormField id={id(f)} label={label} value={m[f]} error={errors[f]} onChange={(v) => props.onChange(f, v)} {...extra} />
  );
  const abha = checkAbha(m.abha);
  const title = i === 0 ? t('survey.head') : t('survey.memberN', { n: i + 1 });
  return (
    <fieldset className="survey-member" aria-label={title}>
      <legend>{title}{m.name.trim() && <span className="muted"> · {m.name.trim()}</span>}</legend>
      {field('name', t('patients.name'), { required: true, hint: t('patients.hint.name') })}
      <fieldset className={`radio-group${errors.sex ? ' has-error' : ''}`} aria-describedby={errors.sex ? `${id('sex')}-error` : undefined}>
        <legend>{t('patients.sex')}<span className="required" aria-hidden="true"> *</span></legend>
        {SEXES.map((s) => (
          <label key={s} className="radio">
            <input type="radio" id={`${id('sex')}-${s}`} name={id('sex')} value={s} checked={m.sex === s} required
              aria-invalid={errors.sex ? true : undefined} onChange={() => props.onChange('sex', s)} />
            {t(`patients.sex.${s}`)}
          </label>
        ))}
        {errors.sex && <div className="error" id={`${id('sex')}-error`} role="alert">{errors.sex}</div>}
      </fieldset>
      <div className="field-pair">
        {field('age', t('patients.age'), { inputMode: 'numeric', maxLength: 3, disabled: !!m.birthDate, hint: t('survey.hint.age') })}
        {field('birthDate', t('patients.birthDate'), { type: 'date' })}
      </div>
      {i > 0 && field('relation', t('survey.relation'), {
        required: true,
        options: RELATIONS.map((r) => ({ value: r, label: t(`survey.rel.${r}`) })),
      })}
      {field('mobile', t('patients.mobile'), { type: 'tel', inputMode: 'numeric', maxLength: 16, hint: t('survey.hint.optional') })}
      <FormField
        id={id('abha')}
        label={t('patients.abhaNumber')}
        value={m.abha}
        error={errors.abha}
        hint={abha.kind === 'ok' && !abha.luhnValid ? t('patients.abhaCheckWarning') : t('survey.hint.abha')}
        inputMode="numeric"
        maxLength={17}
        onChange={(v) => props.onChange('abha', /^[\d\s\-\u0966-\u096F]*$/.test(v) ? formatAbha(v) : v)}
      />
      {props.onRemove && (
        <button type="button" className="secondary small" onClick={props.onRemove}>
          {t('survey.removeMember', { n: i + 1 })}
        </button>
      )}
    </fieldset>
  );
}
