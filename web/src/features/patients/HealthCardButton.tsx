import { useState } from 'react';
import { ApiError } from '../../api.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { downloadCard } from './patients.api.ts';

/** Downloads the printable health card (PDF) in the size chosen: A6, or bank-card (ID-1). */
export function HealthCardButton({ id, stateNumber }: { id: string; stateNumber: string }) {
  const { t } = useI18n();
  const [size, setSize] = useState<'a6' | 'id1'>('a6');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function print() {
    setBusy(true);
    setError(null);
    try {
      await downloadCard(id, stateNumber, size);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : t('error.network'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="inline-form">
      <div className="field">
        <label htmlFor="card-size">{t('patients.cardSize')}</label>
        <select id="card-size" value={size} onChange={(e) => setSize(e.target.value === 'id1' ? 'id1' : 'a6')}>
          <option value="a6">{t('patients.cardA6')}</option>
          <option value="id1">{t('patients.cardId1')}</option>
        </select>
      </div>
      <button type="button" onClick={() => void print()} disabled={busy}>
        {busy ? t('common.loading') : t('patients.printCard')}
      </button>
      {error && <div className="error" role="alert">{error}</div>}
    </div>
  );
}
