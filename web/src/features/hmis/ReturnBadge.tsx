import { useI18n } from '../../i18n/i18n.tsx';

export function ReturnBadge({ status }: { status: string }) {
  const { tx } = useI18n();
  return <span className={`badge return-${status}`}>{tx(`returnStatus.${status}`, status)}</span>;
}
