import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { ApiError } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { formatDateTime, useI18n } from '../../i18n/i18n.tsx';
import { can, useMe } from '../auth/session.tsx';
import { DocumentsPanel } from './DocumentsPanel.tsx';
import { FamilyLink } from '../maternal/FamilyLink.tsx';
import { PregnancyPanel } from '../maternal/PregnancyPanel.tsx';
import { HealthCardButton } from './HealthCardButton.tsx';
import { OpdRegisterForm } from './OpdRegisterForm.tsx';
import { PresencePanel } from './PresencePanel.tsx';
import { VisitsPanel } from './VisitsPanel.tsx';
import { AdmissionsPanel } from '../schemes/AdmissionsPanel.tsx';
import { MergeHistoryPanel } from './MergePanel.tsx';
import { FlashNotice } from '../../components/Flash.tsx';
import { getAccessLog, getPatient, namesOf, type AccessEntry, type OpdToken, type PatientRecord } from './patients.api.ts';

type State =
  | { status: 'loading' }
  | { status: 'ok'; record: PatientRecord }
  | { status: 'forbidden'; message: string }
  | { status: 'error'; message: string };

/** A patient's record, readable by staff of a facility where they are registered or were seen; every read is logged. */
export function PatientRecordPage({ id }: { id: string }) {
  const { t, tx, lang } = useI18n();
  const me = useMe();
  const [state, setState] = useState<State>({ status: 'loading' });
  const [log, setLog] = useState<AccessEntry[] | null>(null);
  const [token, setToken] = useState<OpdToken | null>(null);
  const [reload, setReload] = useState(0);
  // Shown present (patients.presence): this user may now register the visit, which opens the record.
  const [present, setPresent] = useState(false);

  useEffect(() => {
    const ctrl = new AbortController();
    setState({ status: 'loading' });
    setLog(null);
    getPatient(id, ctrl.signal)
      .then((record) => {
        setState({ status: 'ok', record });
        // After the read, so that it shows in the log too.
        return getAccessLog(id, ctrl.signal).then((r) => setLog(r.items)).catch(() => setLog(null));
      })
      .catch((err) => {
        if (ctrl.signal.aborted) return;
        if (err instanceof ApiError && err.status === 403) setState({ status: 'forbidden', message: err.message });
        else setState({ status: 'error', message: err instanceof ApiError ? err.message : t('error.network') });
      });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, reload]);

  const onToken = useCallback((tk: OpdToken) => {
    setToken(tk);
    setReload((n) => n + 1);
  }, []);

  const tokenNotice = token && (
    <Notice kind="success">
      {t('opd.tokenIssued', { token: token.token, department: tx(`opd.dept.${token.department}`, token.department) })}
      {' '}<a href="#/opd">{t('opd.title')}</a>
    </Notice>
  );

  if (state.status === 'loading') return <Notice kind="info">{t('common.loading')}</Notice>;
  if (state.status === 'error') {
    return (
      <section aria-labelledby="record-title">
        <h1 id="record-title">{t('patients.recordTitle')}</h1>
        <Notice kind="error">{state.message}</Notice>
        <p><a href="#/patients">{t('patients.backToSearch')}</a></p>
      </section>
    );
  }
  if (state.status === 'forbidden') {
    return (
      <section aria-labelledby="record-title">
        <h1 id="record-title">{t('patients.recordTitle')}</h1>
        <Notice kind="error">{state.message}</Notice>
        {can(me, 'can_register_opd') && (present ? (
          <div className="panel">
            <h2>{t('opd.registerHere')}</h2>
            <p className="muted">{t('presence.done')}</p>
            <OpdRegisterForm patientId={id} label={t('opd.registerHere')} onDone={onToken} />
          </div>
        ) : <PresencePanel patientId={id} onPresent={() => setPresent(true)} />)}
        <p><a href="#/patients">{t('patients.backToSearch')}</a></p>
      </section>
    );
  }

  const p = state.record;
  const { main, other } = namesOf(p, lang);
  const place = (lang === 'hi' && p.address.placeHi ? p.address.placeHi : p.address.place) ?? '';
  return (
    <section aria-labelledby="record-title">
      <p className="breadcrumb"><a href="#/patients">{t('patients.title')}</a></p>
      <div className="page-head">
        <div>
          <h1 id="record-title">{main}{other && <span className="name-other"> ({other})</span>}</h1>
          <p className="muted">{t('patients.stateNumber')}: <strong className="mono">{p.stateNumber}</strong></p>
        </div>
        {can(me, 'can_update_patient') && <div className="actions"><a className="button secondary" href={`#/patients/${encodeURIComponent(p.id)}/edit`}>{t('patients.edit.open')}</a></div>}
      </div>
      <FlashNotice />
      {tokenNotice}
      <div className="detail-grid">
        <div>
          <dl className="facts">
            <Fact label={t('patients.sex')}>{t(`patients.sex.${p.sex}`)}</Fact>
            <Fact label={t('patients.age')}>
              {t('patients.ageYears', { age: p.age })}
              <span className="muted"> · {p.birthDateEstimated ? t('patients.bornIn', { year: p.birthDate.slice(0, 4) }) : `${t('patients.birthDate')} ${formatDay(p.birthDate)}`}</span>
            </Fact>
            <Fact label={t('patients.mobile')}>{p.mobile ?? '—'}</Fact>
            <Fact label={t('patients.abhaNumber')}><span className="mono">{p.abha ?? '—'}</span></Fact>
            <Fact label={t('patients.abhaAddress')}>{p.abhaAddress ?? '—'}</Fact>
            <Fact label={t('patients.aadhaar')}>{p.aadhaarLast4 ? `XXXX XXXX ${p.aadhaarLast4}` : '—'}</Fact>
            <Fact label={t('patients.bloodGroup')}>{p.bloodGroup ?? '—'}</Fact>
            <Fact label={t('patients.address')}>{[p.address.line, place].filter(Boolean).join(', ') || '—'}</Fact>
          </dl>
          <h2>{t('patients.facilities')}</h2>
          <div className="table-wrap">
            <table className="data-table compact">
              <thead>
                <tr>
                  <th scope="col">{t('patients.facility')}</th>
                  <th scope="col">{t('patients.firstSeen')}</th>
                  <th scope="col">{t('patients.lastSeen')}</th>
                </tr>
              </thead>
              <tbody>
                {p.facilities.map((f) => (
                  <tr key={f.id}>
                    <td>{lang === 'hi' && f.nameHi ? f.nameHi : f.name}</td>
                    <td>{formatDay(f.firstSeen)}</td>
                    <td>{formatDay(f.lastSeen)}</td>
                  </tr>
                ))}
                {p.facilities.length === 0 && <tr><td colSpan={3} className="empty">—</td></tr>}
              </tbody>
            </table>
          </div>
          <AdmissionsPanel patientId={p.id} />
          <VisitsPanel patientId={p.id} />
          <DocumentsPanel patientId={p.id} />
        </div>
        <div>
          <div className="panel">
            <h2>{t('patients.healthCard')}</h2>
            <HealthCardButton id={p.id} stateNumber={p.stateNumber} />
          </div>
          {can(me, 'can_register_opd') && (
            <div className="panel">
              <h2>{t('opd.registerVisit')}</h2>
              <OpdRegisterForm patientId={p.id} label={t('opd.registerVisit')} onDone={onToken} />
            </div>
          )}
          {p.sex === 'female' && <PregnancyPanel patientId={p.id} name={main} />}
          <FamilyLink patientId={p.id} />
          <MergeHistoryPanel patientId={p.id} />
          <AccessLog items={log} />
        </div>
      </div>
    </section>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** DD/MM/YYYY. */
function formatDay(iso: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Kolkata', day: '2-digit', month: '2-digit', year: 'numeric',
  }).format(d);
}

/** Who read the record, when and why. */
function AccessLog({ items }: { items: AccessEntry[] | null }) {
  const { t, tx } = useI18n();
  return (
    <section aria-labelledby="access-title">
      <h2 id="access-title">{t('patients.accessLog')}</h2>
      {!items ? <p className="muted">{t('common.loading')}</p> : (
        <div className="table-wrap">
          <table className="data-table compact">
            <thead>
              <tr>
                <th scope="col">{t('patients.logWhen')}</th>
                <th scope="col">{t('patients.logWho')}</th>
                <th scope="col">{t('patients.logWhat')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e, i) => (
                <tr key={`${e.at}-${i}`}>
                  <td className="nowrap">{formatDateTime(e.at)}</td>
                  <td>{e.by ?? '—'}</td>
                  <td>
                    {tx(`patients.log.${e.action}`, e.action)}
                    {e.purpose && <span className="muted"> · {tx(`patients.purpose.${e.purpose}`, e.purpose)}</span>}
                  </td>
                </tr>
              ))}
              {items.length === 0 && <tr><td colSpan={3} className="empty">—</td></tr>}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
