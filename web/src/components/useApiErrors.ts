import { ApiError } from '../api.ts';
import { useI18n } from '../i18n/i18n.tsx';

/** Turning an API error into text in the UI language: its message, its field problems. */
export function useApiErrors() {
  const { t, lang } = useI18n();
  /** The server's message (already in the UI language), or the network message. */
  const error = (err: unknown) => (err instanceof ApiError && err.status !== 0 ? err.message : t('error.network'));
  /** Field problems of a validation error by field, in the UI language. */
  const fields = (err: unknown): Record<string, string> => {
    const out: Record<string, string> = {};
    if (err instanceof ApiError) for (const f of err.fields) out[f.field] = lang === 'hi' && f.messageHi ? f.messageHi : f.message;
    return out;
  };
  return {
    error,
    /**
     * Field problems of an error by field (in the UI language), and the message to show at the top when
     * some problem is about a field the form does not show (or the error names no field).
     */
    problems: (err: unknown, shown: (field: string) => boolean): { errors: Record<string, string>; top: string | null } => {
      const errors = fields(err);
      const keys = Object.keys(errors);
      const top = !keys.length || !keys.every(shown) ? error(err) : null;
      return { errors, top };
    },
    fields,
  };
}
