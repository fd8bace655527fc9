/** One error class for the whole API; the error handler turns it into `{error:{code,message,details}}`. */
export type ErrorCode =
  | 'bad_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'internal'
  | 'service_unavailable';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  service_unavailable: 503,
};

/** A message in both languages of the screens; `hi` falls back to `en`. */
export interface Message { en: string; hi?: string }

export interface FieldProblem { field: string; message: string; messageHi?: string }

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly msg: Message,
    readonly details?: Record<string, unknown> & { fields?: FieldProblem[] },
  ) {
    super(msg.en);
    this.status = STATUS[code];
  }
}

export const badRequest = (en: string, hi?: string, details?: AppError['details']) =>
  new AppError('bad_request', { en, hi }, details);
export const notFound = (en: string, hi?: string) => new AppError('not_found', { en, hi });
export const forbidden = (en = 'You do not have access to this', hi = 'आपको इसकी अनुमति नहीं है') =>
  new AppError('forbidden', { en, hi });
export const unauthenticated = (en = 'Sign in first', hi = 'पहले लॉग इन करें') =>
  new AppError('unauthenticated', { en, hi });
export const conflict = (en: string, hi?: string, details?: AppError['details']) =>
  new AppError('conflict', { en, hi }, details);

/** 503: the database cannot be reached at the moment (see db/connection-errors.ts); trying again later helps. */
export const serviceUnavailable = () => new AppError('service_unavailable', {
  en: 'The service cannot reach its database at the moment. Please try again in a minute; check before repeating a change, which may or may not have been saved.',
  hi: 'सेवा अभी अपने डेटाबेस से नहीं जुड़ पा रही है। कृपया एक मिनट बाद फिर से प्रयास करें; कोई बदलाव दोबारा करने से पहले देख लें कि वह सहेजा गया या नहीं।',
});

/**
 * The `details` an error is sent with, in the one shape of the API: an error about fields lists them
 * in `details.fields` ({field, message, messageHi}); `details.field` names the first of them, as it
 * did for older clients. An error raised with only `{ field }` gets its message as that field's problem.
 */
export function detailsOf(e: AppError): AppError['details'] {
  const d = e.details;
  if (!d) return d;
  if (!Array.isArray(d.fields) && typeof d.field === 'string') {
    return { ...d, fields: [{ field: d.field, message: e.msg.en, ...(e.msg.hi ? { messageHi: e.msg.hi } : {}) }] };
  }
  if (Array.isArray(d.fields) && d.fields.length && d.field === undefined) return { ...d, field: d.fields[0].field };
  return d;
}

/** One problem per named field, reported together. */
export function fieldErrors(fields: FieldProblem[]): AppError {
  const first = fields[0];
  return new AppError(
    'bad_request',
    {
      en: fields.map((f) => `${f.field}: ${f.message}`).join('; '),
      hi: fields.map((f) => `${f.field}: ${f.messageHi ?? f.message}`).join('; '),
    },
    { fields, field: first?.field },
  );
}

export type Lang = 'en' | 'hi';

export function pickLang(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'en';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('hi') ? 'hi' : 'en';
}

export function localise(msg: Message, lang: Lang): string {
  return lang === 'hi' ? msg.hi ?? msg.en : msg.en;
}
