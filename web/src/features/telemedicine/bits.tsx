// Small pieces the telemedicine screens share: names in the UI language, status and priority badges,
// the waiting line ("number 3 in the queue, about 20 minutes"), and turning an API error into text.
import { useApiErrors } from '../../components/useApiErrors.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { unitName } from '../geo/geo.api.ts';
import type { Medicine, RequestStatus } from './tele.api.ts';

export function useTele() {
  const { tx, lang } = useI18n();
  const apiErrors = useApiErrors();
  return {
    name: (n: { name: string; nameHi?: string | null } | null | undefined) => (!n ? '—' : unitName(n, lang)),
    specialty: (s: { specialtyName?: string; specialtyNameHi?: string; name?: string; nameHi?: string | null; code?: string; specialty?: string }) =>
      (lang === 'hi' ? s.specialtyNameHi ?? s.nameHi : s.specialtyName ?? s.name) ?? tx(`tele.specialty.${s.code ?? s.specialty}`, s.code ?? s.specialty ?? ''),
    specialtyCode: (code: string) => tx(`tele.specialty.${code}`, code),
    status: (s: string) => tx(`tele.status.${s}`, s),
    priority: (p: string) => tx(`tele.priority.${p}`, p),
    ...apiErrors,
  };
}

export function StatusBadge({ status }: { status: RequestStatus | string }) {
  const { status: label } = useTele();
  return <span className={`badge tele-status tele-status-${status}`} data-status={status}>{label(status)}</span>;
}

/** Where a waiting request stands: its place in the queue and an honest estimate, or that no doctor is online. */
export function WaitLine({ r }: { r: { status: string; position: number; estimatedWaitMinutes: number | null; doctorsOnline: number } }) {
  const { t, num } = useI18n();
  if (r.status !== 'waiting') return null;
  return (
    <p className="tele-wait">
      <span className="tele-position">{t('tele.position', { n: num(r.position) })}</span>
      {' · '}
      {r.estimatedWaitMinutes === null
        ? <span className="tele-no-doctor">{t('tele.noDoctorOnline')}</span>
        : <span>{t('tele.estimatedWait', { n: num(r.estimatedWaitMinutes) })}</span>}
    </p>
  );
}

/** Vitals as the CHO took them: "BP 130/85 · Pulse 82/min …". */
export function VitalsLine({ vitals }: { vitals: Record<string, number | string> | null | undefined }) {
  const { t, tx } = useI18n();
  const entries = Object.entries(vitals ?? {});
  if (!entries.length) return <span className="muted">{t('tele.noVitals')}</span>;
  return (
    <span className="tele-vitals-line">
      {entries.map(([k, v], i) => (
        <span key={k}>{i > 0 && ' · '}{tx(`tele.vital.${k}`, k)} <strong>{String(v)}</strong>{tx(`tele.unit.${k}`, '')}</span>
      ))}
    </span>
  );
}

/** A medicine as the screens write it: name, strength and form, in the UI language. */
export const medicineLabel = (m: Pick<Medicine, 'genericName' | 'nameHi' | 'strength' | 'form' | 'formHi'>, lang: string) =>
  `${lang === 'hi' && m.nameHi ? m.nameHi : m.genericName} ${m.strength} ${lang === 'hi' ? m.formHi : m.form.replace(/_/g, ' ')}`;

/** Local time of day (IST as the browser shows it) of an ISO timestamp. */
export function timeOf(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleTimeString('en-IN', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Kolkata' });
}
