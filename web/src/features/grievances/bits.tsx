// Pieces the grievance screens share: labels of codes in the UI language, the status badge, the
// history as a list, the frame of the citizen's pages, and turning an API error into text.
import type { ReactNode } from 'react';
import { LangSwitch } from '../../components/LangSwitch.tsx';
import { useApiErrors } from '../../components/useApiErrors.ts';
import { formatDateTime, useI18n } from '../../i18n/i18n.tsx';
import './grievances.css';

export function useGrv() {
  const { t, tx, lang } = useI18n();
  return {
    type: (c: string) => tx(`grv.type.${c}`, c.replace(/_/g, ' ')),
    status: (c: string) => tx(`grv.status.${c}`, c.replace(/_/g, ' ')),
    level: (c: string) => tx(`grv.level.${c}`, c),
    event: (c: string) => tx(`grv.event.${c}`, tx(`grv.status.${c}`, c.replace(/_/g, ' '))),
    /** An event's words; a rating's ("satisfied (4/5)") in the UI language. */
    text: (kind: string, text: string | null) => {
      const m = kind === 'rated' && text ? /^(satisfied|not satisfied)(.*)$/.exec(text) : null;
      if (m) return `${tx(`grv.rated.${m[1]!.replace(' ', '_')}`, m[1])}${m[2]}`;
      // The server's own words of an escalation (grievances.escalation.ts), in the UI language.
      const moved = kind === 'escalated' && text ? /^escalated from the (\w+) level to the (\w+) level/.exec(text) : null;
      if (moved) return t('grv.escalatedText.moved', { from: tx(`grv.level.${moved[1]}`, moved[1]), to: tx(`grv.level.${moved[2]}`, moved[2]) });
      const still = kind === 'escalated' && text ? /^still overdue at the (\w+) level/.exec(text) : null;
      if (still) return t('grv.escalatedText.still', { level: tx(`grv.level.${still[1]}`, still[1]) });
      return text;
    },
    /** Who did it, as the citizen's history names them: citizen, system, or a role. */
    by: (c: string) => tx(`grv.by.${c.replace(/ /g, '_')}`, c),
    /** A name the server gives in English, with its Hindi form beside it when there is one. */
    name: (en: string | null, hi?: string | null) => (lang === 'hi' && hi ? hi : en) ?? '—',
    ...useApiErrors(),
  };
}

export function StatusBadge({ status }: { status: string }) {
  const g = useGrv();
  return <span className={`badge grv-status grv-status-${status}`} data-status={status}>{g.status(status)}</span>;
}

export interface HistoryLine { key: string; at: string; kind: string; text: string | null; who: string; internal?: boolean }

/** What happened to a ticket, oldest first: when, what, who, and the words (a reply, a resolution). */
export function History({ lines, testId }: { lines: HistoryLine[]; testId?: string }) {
  const { t } = useI18n();
  const g = useGrv();
  return (
    <section aria-labelledby="grv-history-title" className="grv-history" data-testid={testId}>
      <h2 id="grv-history-title">{t('grv.history')}</h2>
      {lines.length === 0 ? <p className="muted">{t('grv.historyNone')}</p> : (
        <ol>
          {lines.map((l) => (
            <li key={l.key} className={l.internal ? 'internal' : undefined} data-kind={l.kind}>
              <div className="grv-event-head">
                <strong>{g.event(l.kind)}</strong>
                {l.internal && <span className="badge grv-internal">{t('grv.internal')}</span>}
                <span className="muted"> · {formatDateTime(l.at)} · {l.who}</span>
              </div>
              {l.text && <p className="grv-text">{l.text}</p>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** The frame of the citizen's complaint pages (no sign-in): the name, links between them, the language switch. */
export function GrievanceShell({ children, current }: { children: ReactNode; current: 'file' | 'track' | 'figures' }) {
  const { t } = useI18n();
  const links = [
    { id: 'file', href: '#/complaint', label: t('grv.fileLink') },
    { id: 'track', href: '#/complaint/track', label: t('grv.trackLink') },
    { id: 'figures', href: '#/complaint/figures', label: t('grv.figuresLink') },
  ] as const;
  return (
    <>
      <header className="app-header grv-public-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">✚</span>
          <span className="brand-name">{t('app.name')}</span>
          <span className="grv-public-sub">{t('grv.brand')}</span>
        </div>
        <LangSwitch />
      </header>
      <nav className="grv-public-nav" aria-label={t('grv.brand')}>
        {links.map((l) => <a key={l.id} href={l.href} aria-current={current === l.id ? 'page' : undefined}>{l.label}</a>)}
      </nav>
      <main className="page grv-public-page" id="main">
        {children}
        <p className="muted"><a href="#/login">{t('grv.staffSignIn')}</a></p>
      </main>
    </>
  );
}

/** A share as a percentage of a whole, or a dash when there is nothing to share. */
export function usePercent() {
  const { num } = useI18n();
  return (part: number, whole: number) => (whole > 0 ? `${num(Math.round((part / whole) * 100))}%` : '—');
}

/** Ten digits of an Indian mobile, from what a person types (+91, spaces, hyphens). */
export function mobileDigits(raw: string): string | null {
  const d = raw.replace(/[\s-]/g, '').replace(/^(\+91|0091|91(?=\d{10}$)|0(?=\d{10}$))/, '');
  return /^[6-9]\d{9}$/.test(d) ? d : null;
}
