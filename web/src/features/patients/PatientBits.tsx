import { useI18n } from '../../i18n/i18n.tsx';
import { ageFromBirthYear, namesOf, type PatientHit, type Sex } from './patients.api.ts';

/** A person's name in the UI language, with the other script's form (romanised or Hindi) beside it. */
export function PatientName(props: { p: { name: string; nameHi: string | null; nameLatin?: string | null }; href?: string }) {
  const { lang } = useI18n();
  const { main, other } = namesOf(props.p, lang);
  const mainLang = /[\u0900-\u097F]/.test(main) ? 'hi' : 'en';
  return (
    <span className="patient-name">
      {props.href ? <a href={props.href} lang={mainLang}>{main}</a> : <span lang={mainLang}>{main}</span>}
      {other && <span className="name-other" lang={mainLang === 'hi' ? 'en' : 'hi'}> ({other})</span>}
    </span>
  );
}

/** "34 years · female", the age worked out from the year of birth when no exact age is given. */
export function useAgeSex() {
  const { t, num } = useI18n();
  return (p: { sex: Sex; birthYear: number; age?: number | null }) => {
    const age = p.age ?? ageFromBirthYear(p.birthYear);
    return `${t(`patients.sex.${p.sex}`)} · ${t('patients.ageYears', { age: num(age) })}`;
  };
}

/** Where a person lives, in the UI language. */
export function placeOf(p: Pick<PatientHit, 'place' | 'placeHi'>, lang: string): string {
  return (lang === 'hi' && p.placeHi ? p.placeHi : p.place) ?? '—';
}
