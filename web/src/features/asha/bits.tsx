// Pieces the ASHA screens share: words for codes in the UI language, rupees, the status badge, the
// flags of a claim, a block chooser, and reading a chosen file.
import { useEffect, useState } from 'react';
import { useApiErrors } from '../../components/useApiErrors.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { Me } from '../auth/session.tsx';
import { useGeoScope } from '../geo/GeoScope.tsx';
import { getChildren, unitName, type GeoUnit } from '../geo/geo.api.ts';
import type { Flag } from './asha.api.ts';
import './asha.css';

export function useAsha() {
  const { tx, lang, num } = useI18n();
  return {
    status: (s: string) => tx(`asha.status.${s}`, s),
    batchStatus: (s: string) => tx(`asha.batch.${s}`, s),
    rowStatus: (s: string) => tx(`asha.row.${s}`, s),
    fund: (f: string | null | undefined) => (f ? tx(`asha.fund.${f}`, f) : '—'),
    holder: (h: string | null) => (h ? tx(`asha.holder.${h}`, h) : '—'),
    /** ₹1,23,456 in Indian grouping. */
    money: (n: number | null | undefined) => (n === null || n === undefined ? '—' : `₹${num(n)}`),
    /** A name the server gives in both scripts, in the UI language. */
    name: (en: string, hi?: string | null) => (lang === 'hi' && hi ? hi : en),
    flag: (f: Flag) => (lang === 'hi' && f.messageHi ? f.messageHi : tx(`asha.flag.${f.code}`, f.message)),
    /** "2026-11" as "Nov 2026" / "नव॰ 2026". */
    month: (m: string) => {
      const [y, mo] = m.split('-').map(Number);
      if (!y || !mo) return m;
      return new Intl.DateTimeFormat(lang === 'hi' ? 'hi-IN' : 'en-IN', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, mo - 1, 1)));
    },
    ...useApiErrors(),
  };
}

export function StatusBadge({ status }: { status: string }) {
  const a = useAsha();
  return <span className={`badge asha-status asha-status-${status}`} data-status={status}>{a.status(status)}</span>;
}

/** A claim's flags, shown so that nobody passes over them. */
export function Flags({ flags }: { flags: Flag[] }) {
  const { t } = useI18n();
  const a = useAsha();
  if (!flags.length) return null;
  return (
    <div className="asha-flags" role="note" aria-label={t('asha.flags')}>
      <strong>⚠ {t('asha.flags')}</strong>
      <ul>{flags.map((f, i) => <li key={`${f.code}-${i}`} data-flag={f.code}>{a.flag(f)}</li>)}</ul>
    </div>
  );
}

/** The text of a chosen file (a CSV). */
export function readText(file: File): Promise<string> {
  return file.text();
}

/**
 * A block to work on: a block-level user's own block (nothing to choose); a district's officer
 * chooses among the district's blocks; a state's among a district's. `value` is the block's id.
 */
export function BlockPicker({ me, value, onChange, id, optional = false }: {
  me: Me; value: string; onChange: (block: string) => void; id: string; optional?: boolean;
}) {
  const { t, lang } = useI18n();
  const scope = useGeoScope();
  const level = me.orgUnit.level.toLowerCase();
  const [district, setDistrict] = useState('');
  const [blocks, setBlocks] = useState<GeoUnit[]>([]);
  const fixedDistrict = level === 'district' ? me.orgUnit.id : scope.fixedDistrict?.id ?? '';
  const districtId = fixedDistrict || district;

  useEffect(() => {
    if (level === 'block') { if (value !== me.orgUnit.id) onChange(me.orgUnit.id); return; }
    setBlocks([]);
    if (!districtId) return;
    let live = true;
    getChildren(districtId).then((list) => {
      if (!live) return;
      const only = list.filter((u) => u.level.toLowerCase() === 'block');
      setBlocks(only);
      if (!optional && !value && only[0]) onChange(only[0].id);
    }).catch(() => undefined);
    return () => { live = false; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [districtId, level]);

  if (level === 'block') return null;
  return (
    <>
      {!fixedDistrict && (
        <div className="field">
          <label htmlFor={`${id}-district`}>{t('asha.district')}</label>
          <select id={`${id}-district`} value={district} onChange={(e) => { setDistrict(e.target.value); onChange(''); }}>
            <option value="">{t('asha.choose')}</option>
            {scope.districts.map((d) => <option key={d.id} value={d.id}>{unitName(d, lang)}</option>)}
          </select>
        </div>
      )}
      <div className="field">
        <label htmlFor={id}>{t('asha.block')}</label>
        <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
          {(optional || !value) && <option value="">{optional ? t('asha.allBlocks') : t('asha.choose')}</option>}
          {blocks.map((b) => <option key={b.id} value={b.id}>{unitName(b, lang)}</option>)}
        </select>
      </div>
    </>
  );
}
