import { useI18n } from '../../i18n/i18n.tsx';

export function StatusBadge({ status }: { status: string }) {
  const { tx } = useI18n();
  const known = status === 'registered' || status === 'listed';
  return (
    <span className={`badge ${known ? `badge-${status}` : ''}`}>{tx(`portalStatus.${status}`, status)}</span>
  );
}
