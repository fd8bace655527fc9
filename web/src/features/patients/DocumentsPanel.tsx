import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { useApiErrors } from '../../components/useApiErrors.ts';
import { formatDateTime, useI18n } from '../../i18n/i18n.tsx';
import { can, useMe } from '../auth/session.tsx';
import { FormField } from '../facilities/FormField.tsx';
import {
  DOCUMENT_TYPES, downloadDocument, EXTENSIONS, listDocuments, MAX_DOCUMENT_BYTES, uploadDocument, type PatientDocument,
} from './visits.api.ts';

/** Reports, prescriptions and scans on a patient's record (PDF or image), to add and to download. */
export function DocumentsPanel({ patientId }: { patientId: string }) {
  const { t, num } = useI18n();
  const { error: errorText } = useApiErrors();
  const me = useMe();
  const mayAdd = can(me, 'can_update_patient') && me.orgUnit.level.toLowerCase() === 'facility';
  const [docs, setDocs] = useState<PatientDocument[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const [rowError, setRowError] = useState<{ id: string; text: string } | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    listDocuments(patientId, ctrl.signal)
      .then((r) => {
        setDocs(r.items);
        setError(null);
      })
      .catch((err) => !ctrl.signal.aborted && setError(errorText(err)));
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [patientId, reload]);

  const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1048576).toFixed(1)} MB` : `${num(Math.max(1, Math.round(bytes / 1024)))} KB`);

  return (
    <section className="documents-panel" aria-labelledby="documents-title">
      <h2 id="documents-title">{t('docs.title')}</h2>
      {mayAdd && <UploadForm patientId={patientId} onUploaded={() => setReload((n) => n + 1)} />}
      {error && <Notice kind="error">{error}</Notice>}
      {!docs && !error && <p className="muted">{t('common.loading')}</p>}
      {docs && (
        <div className="table-wrap">
          <table className="data-table compact">
            <thead>
              <tr>
                <th scope="col">{t('docs.docTitle')}</th>
                <th scope="col">{t('docs.kind')}</th>
                <th scope="col" className="num">{t('docs.size')}</th>
                <th scope="col">{t('docs.added')}</th>
                <th scope="col"><span className="visually-hidden">{t('docs.download')}</span></th>
              </tr>
            </thead>
            <tbody>
              {docs.map((d) => (
                <tr key={d.id}>
                  <td>{d.title ?? <span className="muted">{t('docs.untitled')}</span>}</td>
                  <td>{(EXTENSIONS[d.mediaType] ?? d.mediaType).toUpperCase()}</td>
                  <td className="num">{size(d.bytes)}</td>
                  <td className="nowrap">{formatDateTime(d.createdAt)} <span className="muted">· {d.by}</span></td>
                  <td>
                    <button type="button" className="secondary small"
                      aria-label={t('docs.downloadNamed', { title: d.title ?? t('docs.untitled') })}
                      onClick={() => {
                        setRowError(null);
                        downloadDocument(d).catch((err) => setRowError({ id: d.id, text: errorText(err) }));
                      }}>
                      {t('docs.download')}
                    </button>
                    {rowError?.id === d.id && <div className="error" role="alert">{rowError.text}</div>}
                  </td>
                </tr>
              ))}
              {docs.length === 0 && <tr><td colSpan={5} className="empty">{t('docs.none')}</td></tr>}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function UploadForm({ patientId, onUploaded }: { patientId: string; onUploaded: () => void }) {
  const { t } = useI18n();
  const { error: errorText } = useApiErrors();
  const fileRef = useRef<HTMLInputElement>(null);
  const [title, setTitle] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  // The success is kept as its title and translated when shown; an error is the server's own text.
  const [top, setTop] = useState<{ kind: 'error'; text: string } | { kind: 'success'; title: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const problemOf = (f: File | null): string | null => {
    if (!f) return t('docs.err.noFile');
    if (!(DOCUMENT_TYPES as readonly string[]).includes(f.type)) return t('docs.err.type', { name: f.name });
    if (f.size === 0) return t('docs.err.empty');
    if (f.size > MAX_DOCUMENT_BYTES) return t('docs.err.size', { size: (f.size / 1048576).toFixed(1) });
    return null;
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setTop(null);
    const problem = problemOf(file);
    setFileError(problem);
    if (problem || !file) {
      fileRef.current?.focus();
      return;
    }
    setBusy(true);
    try {
      const doc = await uploadDocument(patientId, file, title);
      setTop({ kind: 'success', title: doc.title ?? file.name });
      setTitle('');
      setFile(null);
      if (fileRef.current) fileRef.current.value = '';
      onUploaded();
    } catch (err) {
      setTop({ kind: 'error', text: errorText(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel doc-upload" onSubmit={submit} noValidate aria-labelledby="doc-upload-title">
      <h3 id="doc-upload-title">{t('docs.add')}</h3>
      {top && <Notice kind={top.kind}>{top.kind === 'success' ? t('docs.uploaded', { title: top.title }) : top.text}</Notice>}
      <FormField id="doc-title" label={t('docs.docTitle')} value={title} maxLength={200} hint={t('docs.hint.title')} onChange={setTitle} />
      <div className={`field${fileError ? ' has-error' : ''}`}>
        <label htmlFor="doc-file">{t('docs.file')}</label>
        <input ref={fileRef} id="doc-file" type="file" accept={DOCUMENT_TYPES.join(',')} aria-describedby={`doc-file-hint${fileError ? ' doc-file-error' : ''}`}
          aria-invalid={fileError ? true : undefined}
          onChange={(e) => {
            const f = e.target.files?.[0] ?? null;
            setFile(f);
            setFileError(f ? problemOf(f) : null);
          }} />
        <div className="hint" id="doc-file-hint">{t('docs.hint.file')}</div>
        {fileError && <div className="error" id="doc-file-error" role="alert">{fileError}</div>}
      </div>
      <button type="submit" disabled={busy}>{busy ? t('docs.uploading') : t('docs.upload')}</button>
    </form>
  );
}
