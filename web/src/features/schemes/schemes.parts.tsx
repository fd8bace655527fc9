// Small pieces the HIMCARE screens share: a labelled field with its error, and amounts in rupees.
import type { ReactNode } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';

export function useRupees() {
  const { lang } = useI18n();
  return (n: number) => `₹${n.toLocaleString(lang === 'hi' ? 'hi-IN' : 'en-IN', { maximumFractionDigits: 2 })}`;
}

export function Field({ id, label, error, children }: { id: string; label: string; error?: string; children: ReactNode }) {
  return <div className="scheme-field"><label htmlFor={id}>{label}{error && <span className="field-error" role="alert"> {error}</span>}</label>{children}</div>;
}
