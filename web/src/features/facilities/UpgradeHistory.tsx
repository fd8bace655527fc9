import { useI18n } from '../../i18n/i18n.tsx';
import type { Upgrade } from './facilities.api.ts';

/** HWC upgrades, type changes and bed changes, oldest first. */
export function UpgradeHistory({ upgrades }: { upgrades: Upgrade[] }) {
  const { t, tx, num, date } = useI18n();
  if (upgrades.length === 0) return <p className="muted">{t('detail.noUpgrades')}</p>;
  const sorted = [...upgrades].sort((a, b) => (a.date ?? '').localeCompare(b.date ?? ''));
  const typeName = (c: string | null | undefined) => (c ? tx(`type.${c}`, c) : '—');

  function describe(u: Upgrade): string {
    if (u.kind === 'hwc') return t('upgrade.hwc');
    if (u.kind === 'type') {
      return u.fromType
        ? t('upgrade.typeFromTo', { from: typeName(u.fromType), to: typeName(u.toType) })
        : t('upgrade.typeTo', { to: typeName(u.toType) });
    }
    if (u.kind === 'beds') {
      return u.fromBeds !== undefined && u.fromBeds !== null
        ? t('upgrade.bedsFromTo', { from: num(u.fromBeds), to: num(u.toBeds ?? u.beds) })
        : t('upgrade.bedsTo', { to: num(u.toBeds ?? u.beds) });
    }
    return u.kind;
  }

  return (
    <table className="data-table compact">
      <thead>
        <tr>
          <th scope="col">{t('upgrade.date')}</th>
          <th scope="col">{t('upgrade.change')}</th>
          <th scope="col">{t('upgrade.note')}</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((u, i) => (
          <tr key={u.id ?? i}>
            <td>{date(u.date)}</td>
            <td>{describe(u)}</td>
            <td>{u.note || '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
