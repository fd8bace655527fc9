import { storedLang } from './i18n/i18n.tsx';

const TOKEN_KEY = 'swasthya.token';

export interface FieldError {
  field: string;
  message: string;
  /** The server may carry the Hindi message beside the English one. */
  messageHi?: string;
}

/** An error answer of the API: `{ error: { code, message, details } }`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(status: number, code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /**
   * The field problems of an error (`details.fields`), or an empty list. An answer from an older server
   * that names only `details.field` counts as that field's problem, with the error's message.
   */
  get fields(): FieldError[] {
    const raw = this.details?.['fields'];
    const one = this.details?.['field'];
    if (!Array.isArray(raw)) return typeof one === 'string' ? [{ field: one, message: this.message }] : [];
    return raw.filter(
      (f): f is FieldError =>
        typeof f === 'object' && f !== null && typeof (f as FieldError).field === 'string',
    );
  }
}

export function getToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function setToken(token: string | null): void {
  try {
    if (token) localStorage.setItem(TOKEN_KEY, token);
    else localStorage.removeItem(TOKEN_KEY);
  } catch {
    /* ignore */
  }
}

/** Fired when the server says the session is gone; the app returns to the login page. */
export const UNAUTHENTICATED_EVENT = 'swasthya:unauthenticated';

type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    qs.set(k, String(v));
  }
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

export async function api<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  options: { body?: unknown; query?: Query; signal?: AbortSignal } = {},
): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': storedLang(),
  };
  const token = getToken();
  if (token) headers['Authorization'] = `Bearer ${token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';

  let res: Response;
  try {
    res = await fetch(withQuery(path, options.query), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', err instanceof Error ? err.message : String(err));
  }

  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }

  if (!res.ok) {
    const e = (data as { error?: { code?: string; message?: string; details?: Record<string, unknown> } })
      ?.error;
    const error = new ApiError(
      res.status,
      e?.code ?? `http_${res.status}`,
      e?.message ?? (res.statusText || `HTTP ${res.status}`),
      e?.details,
    );
    // A failed login is a 401 too; that one the login page shows itself.
    if (res.status === 401 && path !== '/api/auth/login') {
      setToken(null);
      window.dispatchEvent(new CustomEvent(UNAUTHENTICATED_EVENT));
    }
    throw error;
  }
  return data as T;
}

export const get = <T>(path: string, query?: Query, signal?: AbortSignal) =>
  api<T>('GET', path, { query, signal });

/**
 * Fetches a file with the session token (which a plain link cannot send) and hands it to the
 * browser as a download named `filename`; an error answer becomes an ApiError with its message.
 */
export async function downloadFile(path: string, query: Query | undefined, filename: string, accept?: string): Promise<void> {
  const headers: Record<string, string> = { 'Accept-Language': storedLang(), ...(accept ? { Accept: accept } : {}) };
  const token = getToken();
  if (token) headers['Authorization'] = `Bearer ${token}`;
  const res = await fetch(withQuery(path, query), { headers });
  if (!res.ok) {
    let message = res.statusText || `HTTP ${res.status}`;
    try {
      message = ((await res.json()) as { error?: { message?: string } }).error?.message ?? message;
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, `http_${res.status}`, message);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
