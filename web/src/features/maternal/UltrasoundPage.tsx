import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../../api.ts';
import { Pager } from '../../components/Pager.tsx';
import { useApiErrors } from '../../components/useApiErrors.ts';
import { formatDateTime, useI18n } from '../../i18n/i18n.tsx';
import { centreChecks, CHECK_PAGE, checkNumber, groupNumber, refusalOf, type CheckLog, type ScanAccepted } from './maternal.api.ts';
import './maternal.css';

type Result =
  | { kind: 'accepted'; scan: ScanAccepted }
  | { kind: 'refused'; reason: ReturnType<typeof refusalOf>; message: string; number: string };

/**
 * The ultrasound centre's screen (PCPNDT): before a scan the operator checks the woman's pregnancy
 * registration number. Accepted: enough of her to confirm it is her. Refused: why, in words, and no
 * scan. Every check, refused ones too, is logged at the centre and listed below.
 */
export function UltrasoundPage() {
  const { t, lang, num } = useI18n();
  const { error } = useApiErrors();
  const id = useId();
  const [number, setNumber] = useState('');
  const [indication, setIndication] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const [log, setLog] = useState<CheckLog | null>(null);
  const [logError, setLogError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<'' | 'accepted' | 'refused'>('');
  const [offset, setOffset] = useState(0);
  const [reload, setReload] = useState(0);
  const resultRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    centreChecks({ outcome: outcome || undefined, offset }, ctrl.signal).then((l) => { setLog(l); setLogError(null); })
      .catch((err) => !ctrl.signal.aborted && setLogError(error(err)));
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [outcome, offset, reload]);

  useEffect(() => { if (result) resultRef.current?.focus(); }, [result]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setResult(null);
    try {
      const scan = await checkNumber({ registrationNumber: number.trim(), indication: indication.trim() || undefined });
      setResult({ kind: 'accepted', scan });
      setNumber('');
      setIndication('');
    } catch (err) {
      if (err instanceof ApiError && err.status >= 400 && err.status < 500 && err.status !== 403) {
        setResult({ kind: 'refused', reason: refusalOf(err.status), message: err.message, number: number.trim() });
      } else {
        setResult({ kind: 'refused', reason: 'other', message: error(err), number: number.trim() });
      }
    } finally {
      setBusy(false);
      setOffset(0);
      setReload((n) => n + 1);
    }
  }

  const centre = log ? (lang === 'hi' && log.centre.nameHi ? log.centre.nameHi : log.centre.name) : '';
  return (
    <section aria-labelledby="us-title">
      <h1 id="us-title">{t('us.title')}</h1>
      <p className="lead">{t('us.lead')}</p>
      <form className="panel us-form" onSubmit={submit}>
        <div className="field">
          <label htmlFor={`${id}-number`}>{t('us.number')}</label>
          <input id={`${id}-number`} className="mono us-number" value={number} required maxLength={30} inputMode="numeric" autoComplete="off"
            onChange={(e) => setNumber(e.target.value)} aria-describedby={`${id}-number-hint`} />
          <small className="muted" id={`${id}-number-hint`}>{t('us.numberHint')}</small>
        </div>
        <div className="field">
          <label htmlFor={`${id}-ind`}>{t('us.indication')}</label>
          <input id={`${id}-ind`} value={indication} maxLength={300} onChange={(e) => setIndication(e.target.value)} />
        </div>
        <div className="form-actions">
          <button type="submit" disabled={busy || !number.trim()}>{busy ? t('us.checking') : t('us.check')}</button>
        </div>
      </form>

      <div ref={resultRef} tabIndex={-1} aria-live="polite">
        {result?.kind === 'accepted' && (
          <div className="us-result us-accepted" role="status">
            <h2>{t('us.accepted')}</h2>
            <p className="mono us-result-number">{groupNumber(result.scan.registrationNumber)}</p>
            <dl className="us-facts">
              <div><dt>{t('us.woman')}</dt><dd>{lang === 'hi' && result.scan.woman.nameHi ? result.scan.woman.nameHi : result.scan.woman.name}</dd></div>
              <div><dt>{t('us.birthYear')}</dt><dd>{result.scan.woman.birthYear}</dd></div>
              <div><dt>{t('us.gestation')}</dt><dd>{result.scan.gestationWeeks === null ? t('us.gestationUnknown') : t('us.weeks', { weeks: result.scan.gestationWeeks })}</dd></div>
            </dl>
            <p className="muted">{t('us.acceptedHint')}</p>
          </div>
        )}
        {result?.kind === 'refused' && (
          <div className="us-result us-refused" role="alert">
            <h2>{t('us.refused')}</h2>
            <p><strong>{t(`us.reason.${result.reason}`)}</strong></p>
            <p>{result.message}</p>
            <p className="muted">{t('us.refusedHint')}</p>
          </div>
        )}
      </div>

      <section aria-labelledby="us-log-title" className="us-log">
        <h2 id="us-log-title">{log ? t('us.logTitleAt', { centre }) : t('us.logTitle')}</h2>
        {logError && <p className="error" role="alert">{logError}</p>}
        {log && (
          <>
            <ul className="us-counts">
              <li><span className="us-count">{num(log.counts.todayAccepted)}</span> {t('us.todayAccepted')}</li>
              <li><span className="us-count">{num(log.counts.todayRefused)}</span> {t('us.todayRefused')}</li>
              <li><span className="us-count">{num(log.counts.accepted)}</span> {t('us.allAccepted')}</li>
              <li><span className="us-count">{num(log.counts.refused)}</span> {t('us.allRefused')}</li>
            </ul>
            <div className="field us-filter">
              <label htmlFor={`${id}-outcome`}>{t('us.show')}</label>
              <select id={`${id}-outcome`} value={outcome} onChange={(e) => { setOffset(0); setOutcome(e.target.value as typeof outcome); }}>
                <option value="">{t('us.showAll')}</option>
                <option value="accepted">{t('us.showAccepted')}</option>
                <option value="refused">{t('us.showRefused')}</option>
              </select>
            </div>
            <div className="table-wrap">
              <table className="data-table compact">
                <caption className="visually-hidden">{t('us.logTitle')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('us.when')}</th>
                    <th scope="col">{t('us.number')}</th>
                    <th scope="col">{t('us.outcome')}</th>
                    <th scope="col">{t('us.indicationCol')}</th>
                    <th scope="col">{t('us.by')}</th>
                  </tr>
                </thead>
                <tbody>
                  {log.items.map((i) => (
                    <tr key={i.id}>
                      <td className="nowrap">{formatDateTime(i.at)}</td>
                      <td className="mono">{groupNumber(i.registrationNumber)}</td>
                      <td>{i.outcome === 'accepted' ? <span className="badge badge-registered">{t('us.outcomeAccepted')}</span>
                        : <><span className="badge badge-warn">{t('us.outcomeRefused')}</span> {t(reasonKey(i.reason))}</>}</td>
                      <td>{i.indication ?? '—'}</td>
                      <td>{i.by ?? '—'}</td>
                    </tr>
                  ))}
                  {log.items.length === 0 && <tr><td colSpan={5} className="empty">{t('us.noChecks')}</td></tr>}
                </tbody>
              </table>
            </div>
            <Pager offset={offset} pageSize={CHECK_PAGE} hasNext={log.more} onPage={setOffset} />
          </>
        )}
      </section>
    </section>
  );
}

const REASONS = ['malformed', 'unknown', 'closed', 'other_woman'] as const;
function reasonKey(reason: string | null) {
  const r = REASONS.find((x) => x === reason);
  return r ? (`us.reason.${r}` as const) : ('us.reason.other' as const);
}
