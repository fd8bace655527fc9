import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Notice } from '../../components/Notice.tsx';
import { useApiErrors } from '../../components/useApiErrors.ts';
import { formatDateTime, useI18n } from '../../i18n/i18n.tsx';
import { useMe } from '../auth/session.tsx';
import { listFacilities, type Facility } from '../facilities/facilities.api.ts';
import { activateUser, createUser, deactivateUser, listUsers, OFFICER_ROLES, PAGE_SIZE, setPassword, type UserItem } from './users.api.ts';
import { Pager } from '../../components/Pager.tsx';

const ALL_ROLES = ['admin', 'state_officer', 'district_officer', 'block_officer', ...OFFICER_ROLES, 'helpline_agent', 'citizen'];

/** Users of the caller's area: create (a district officer: care and field staff of the district), set a password, deactivate. */
export function UsersPage() {
  const { t, tx, num } = useI18n();
  const me = useMe();
  const { error: errorText, problems } = useApiErrors();
  const roles: string[] = me.role === 'admin' ? ALL_ROLES : [...OFFICER_ROLES];
  const [offset, setOffset] = useState(0);
  const [answer, setAnswer] = useState<{ items: UserItem[]; total: number } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<{ key: 'users.created' | 'users.passwordSet' | 'users.deactivated' | 'users.activated'; username: string } | null>(null);
  const [reload, setReload] = useState(0);
  const [form, setForm] = useState({ username: '', displayName: '', role: roles[0] ?? 'asha', orgUnit: me.orgUnit.id, password: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [pwFor, setPwFor] = useState<string | null>(null);
  const [newPw, setNewPw] = useState('');
  const [pwError, setPwError] = useState<string | null>(null);
  const [deactivating, setDeactivating] = useState<string | null>(null);

  // The district's facilities, offered by name in the "Posted at" field (the value sent is the facility's id).
  const [facilities, setFacilities] = useState<Facility[]>([]);
  useEffect(() => {
    if (me.orgUnit.level !== 'district' || !me.orgUnit.lgdCode) return;
    const ctrl = new AbortController();
    listFacilities({ district: String(me.orgUnit.lgdCode), limit: 200 }, ctrl.signal).then((p) => setFacilities(p.items)).catch(() => undefined);
    return () => ctrl.abort();
  }, [me.orgUnit.level, me.orgUnit.lgdCode]);

  useEffect(() => {
    const ctrl = new AbortController();
    listUsers(offset, ctrl.signal).then(setAnswer).catch((err) => { if (!ctrl.signal.aborted) setProblem(errorText(err)); });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [offset, reload]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setProblem(null); setDone(null); setErrors({});
    try {
      const u = await createUser({ ...form, displayName: form.displayName.trim() || undefined });
      setDone({ key: 'users.created', username: u.username });
      setForm({ ...form, username: '', displayName: '', password: '' });
      setReload((n) => n + 1);
    } catch (err) {
      const p = problems(err, (f) => f in form);
      setErrors(p.errors); setProblem(p.top);
    }
  }

  async function savePassword(e: FormEvent) {
    e.preventDefault();
    if (!pwFor) return;
    setPwError(null);
    try {
      await setPassword(pwFor, newPw);
      setDone({ key: 'users.passwordSet', username: pwFor });
      setPwFor(null); setNewPw('');
    } catch (err) {
      setPwError(problems(err, () => false).top);
    }
  }

  async function activate(username: string) {
    setProblem(null); setDone(null);
    try {
      await activateUser(username);
      setDone({ key: 'users.activated', username });
      setReload((n) => n + 1);
    } catch (err) {
      setProblem(errorText(err));
    }
  }

  async function deactivate() {
    if (!deactivating) return;
    try {
      await deactivateUser(deactivating);
      setDone({ key: 'users.deactivated', username: deactivating });
      setReload((n) => n + 1);
    } catch (err) {
      setProblem(errorText(err));
    } finally {
      setDeactivating(null);
    }
  }

  const field = (name: keyof typeof form, label: string, input: ReactNode) => (
    <div className="field">
      <label htmlFor={`user-${name}`}>{label}</label>
      {input}
      {errors[name] && <div className="field-error" id={`user-${name}-error`}>{errors[name]}</div>}
    </div>
  );
  const items = answer?.items ?? [];
  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">{t('users.title')}</h1>
      <p className="muted">{t(me.role === 'admin' ? 'users.leadAdmin' : 'users.lead')}</p>
      {done && <Notice kind="success">{t(done.key, { username: done.username })}</Notice>}
      {problem && <Notice kind="error">{problem}</Notice>}
      <form className="facility-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="users-new">
        <h2 id="users-new">{t('users.new')}</h2>
        {field('username', t('users.username'), <input id="user-username" value={form.username} autoComplete="off" aria-invalid={!!errors.username} onChange={(e) => setForm({ ...form, username: e.target.value })} />)}
        {field('displayName', t('users.displayName'), <input id="user-displayName" value={form.displayName} onChange={(e) => setForm({ ...form, displayName: e.target.value })} />)}
        {field('role', t('users.role'), (
          <select id="user-role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value })}>
            {roles.map((r) => <option key={r} value={r}>{tx(`role.${r}`, r)}</option>)}
          </select>
        ))}
        {field('orgUnit', t('users.orgUnit'), <input id="user-orgUnit" list="user-orgUnit-options" value={form.orgUnit} aria-describedby="user-orgUnit-hint" aria-invalid={!!errors.orgUnit} onChange={(e) => setForm({ ...form, orgUnit: e.target.value })} />)}
        <div className="sub" id="user-orgUnit-hint">{t('users.orgUnitHint')}</div>
        <datalist id="user-orgUnit-options">
          <option value={me.orgUnit.id} label={me.orgUnit.name} />
          {facilities.map((f) => <option key={f.id} value={f.id} label={`${f.name} (${f.type})`} />)}
        </datalist>
        {field('password', t('users.password'), <input id="user-password" type="password" autoComplete="new-password" value={form.password} aria-invalid={!!errors.password} onChange={(e) => setForm({ ...form, password: e.target.value })} />)}
        <button type="submit">{t('users.create')}</button>
      </form>

      {answer && <div className="table-meta" aria-live="polite">{t('users.total', { count: num(answer.total) })}</div>}
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t('users.username')}</th>
                <th scope="col">{t('users.role')}</th>
                <th scope="col">{t('users.orgUnit')}</th>
                <th scope="col">{t('users.status')}</th>
                <th scope="col">{t('users.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((u) => {
                const mine = me.role === 'admin' || (OFFICER_ROLES as readonly string[]).includes(u.role);
                return (
                  <tr key={u.id}>
                    <td>{u.username}{u.displayName && <div className="sub">{u.displayName}</div>}</td>
                    <td>{tx(`role.${u.role}`, u.role)}</td>
                    <td>{u.orgUnit.name}</td>
                    <td>{u.active ? t('users.active') : t('users.inactive')}<div className="sub">{formatDateTime(u.createdAt)}</div></td>
                    <td>
                      {mine && u.username !== me.username && (
                        <div className="inline-form">
                          <button type="button" className="small secondary" onClick={() => { setPwFor(u.username); setNewPw(''); setPwError(null); }}
                            aria-label={t('users.setPasswordFor', { username: u.username })}>{t('users.setPassword')}</button>
                          {!u.active && (
                            <button type="button" className="small secondary" onClick={() => void activate(u.username)}
                              aria-label={t('users.activateFor', { username: u.username })}>{t('users.activate')}</button>
                          )}
                          {u.active && (
                            <button type="button" className="small danger" onClick={() => setDeactivating(u.username)}
                              aria-label={t('users.deactivateFor', { username: u.username })}>{t('users.deactivate')}</button>
                          )}
                        </div>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {answer && <Pager offset={offset} pageSize={PAGE_SIZE} hasNext={offset + items.length < answer.total} onPage={setOffset} />}

      {pwFor && (
        <form className="facility-form" onSubmit={(e) => void savePassword(e)} noValidate aria-labelledby="users-pw-title">
          <h2 id="users-pw-title">{t('users.setPasswordFor', { username: pwFor })}</h2>
          {pwError && <Notice kind="error">{pwError}</Notice>}
          <div className="field">
            <label htmlFor="user-new-password">{t('users.newPassword')}</label>
            <input id="user-new-password" type="password" autoComplete="new-password" value={newPw} onChange={(e) => setNewPw(e.target.value)} />
          </div>
          <button type="submit">{t('users.savePassword')}</button>{' '}
          <button type="button" className="secondary" onClick={() => setPwFor(null)}>{t('action.cancel')}</button>
        </form>
      )}
      <ConfirmDialog open={deactivating !== null} title={t('users.deactivateTitle', { username: deactivating ?? '' })}
        confirmLabel={t('users.deactivate')} cancelLabel={t('action.cancel')} danger
        onConfirm={() => void deactivate()} onCancel={() => setDeactivating(null)}>
        <p>{t('users.deactivateBody')}</p>
      </ConfirmDialog>
    </section>
  );
}
