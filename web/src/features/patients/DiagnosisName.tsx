import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import { searchIcd } from './visits.api.ts';

export interface NamedDiagnosis { code: string; title?: string | null; titleHi?: string | null }

/** Names looked up once per page load (a record saved before its code had a name). */
const looked = new Map<string, Promise<NamedDiagnosis | null>>();
function lookUp(code: string): Promise<NamedDiagnosis | null> {
  const key = code.toUpperCase().replace('.', '');
  let p = looked.get(key);
  if (!p) {
    p = searchIcd(code).then((r) => r.items.find((i) => i.code.replace('.', '') === key) ?? null).catch(() => null);
    looked.set(key, p);
  }
  return p;
}

/** A diagnosis's name in the screen's language (Hindi where the list has one), looked up when the record has none. */
export function useDiagnosisName(d: NamedDiagnosis): string | null {
  const { lang } = useI18n();
  const [found, setFound] = useState<NamedDiagnosis | null>(null);
  // Looked up when the record has no name, or in Hindi when it carries only the English title.
  const missing = !d.title || (lang === 'hi' && d.titleHi === undefined);
  useEffect(() => {
    if (!missing) return;
    let live = true;
    lookUp(d.code).then((n) => live && setFound(n));
    return () => { live = false; };
  }, [d.code, missing]);
  const named = found ?? (d.title ? d : null);
  if (!named) return null;
  return (lang === 'hi' && named.titleHi ? named.titleHi : named.title) ?? null;
}

/** A diagnosis as a person reads it: its name, with the code beside it, never the bare code alone. */
export function DiagnosisName({ d }: { d: NamedDiagnosis }) {
  const name = useDiagnosisName(d);
  return <span className="diagnosis"><span className="item-code">{d.code}</span> {name ?? ''}</span>;
}

/** "J18 Pneumonia; E11 Type 2 diabetes" in plain text, for a line of text. */
export function DiagnosisList({ items }: { items: NamedDiagnosis[] }) {
  return <>{items.map((d, i) => <span key={d.code}>{i > 0 ? '; ' : ''}<DiagnosisName d={d} /></span>)}</>;
}
