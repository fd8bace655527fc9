import { useI18n } from '../../i18n/i18n.tsx';
import type { FailingRule } from './hmis.api.ts';

/**
 * The validation rules a return fails, each in the reader's language with its two sides' values.
 * With `onComment`, a comment box per rule (the facility explaining); otherwise the comments given.
 */
export function FailingRules(props: {
  rules: FailingRule[];
  comments?: Record<string, string>;
  onComment?: (ruleId: string, text: string) => void;
  missing?: Set<string>;
}) {
  const { t, num, lang } = useI18n();
  const value = (v: number | null) => (v === null ? '—' : num(v));
  return (
    <ol className="failing-rules" data-testid="failing-rules">
      {props.rules.map((f) => {
        const name = (lang === 'hi' && f.rule.nameHi) || f.rule.name;
        const instruction = (lang === 'hi' && f.rule.instructionHi) || f.rule.instruction;
        const boxId = `rule-comment-${f.rule.id}`;
        const missing = props.missing?.has(f.rule.id);
        return (
          <li key={f.rule.id} data-rule={f.rule.code ?? f.rule.id}>
            <strong>{name}</strong>
            <span className="rule-values"> — {t('hmis.ruleValues', { left: value(f.leftValue), right: value(f.rightValue) })}</span>
            {instruction && <div className="sub">{instruction}</div>}
            {props.onComment ? (
              <div className={`field${missing ? ' has-error' : ''}`}>
                <label htmlFor={boxId}>{t('hmis.ruleComment')} <span className="required" aria-hidden="true">*</span></label>
                <textarea id={boxId} rows={2} maxLength={2000} required aria-required="true" aria-invalid={missing || undefined}
                  value={props.comments?.[f.rule.id] ?? ''} onChange={(e) => props.onComment!(f.rule.id, e.target.value)} />
                {missing && <span className="error" role="alert">{t('hmis.ruleCommentRequired')}</span>}
              </div>
            ) : (
              <div className="rule-comment">
                {f.comment
                  ? <>{t('hmis.facilityComment')}: <q>{f.comment.text}</q> <span className="muted">({f.comment.by})</span></>
                  : <span className="muted">{t('hmis.noComment')}</span>}
              </div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
