// One outbox for every SMS and e-mail the system sends. Modules never call a gateway: they write a
// message with the transaction of the change it tells of, and the outbox delivers it after commit,
// retries it through the job queue (platform/jobs, pg-boss) with growing delays, and keeps the record
// of what was sent to whom (GET /api/messages, the Messages screen).
//
//   // inside the module's transaction:
//   const [m] = await app.outbox.queue(trx, {
//     to: mobile, template: 'text', params: { en: 'Your complaint …', hi: 'आपकी शिकायत …' },
//     language: 'hi', about: { kind: 'grievance', id: ticketNumber }, createdBy: actor.username, orgPath: facility.path,
//   }, { deliverAfterCommit: true });
//   // after commit (optional: without it the queue sends it within seconds):
//   await app.outbox.deliver([m.id]);
//
//   // no transaction of one's own: queue and try at once
//   await app.outbox.send({ to: officer.email, channel: 'email', template: 'grievance.escalated', params: {...} });
//
// Templates: registerTemplates({ 'grievance.escalated': { en: (p) => …, hi: (p) => …, subject: {…} } }).
// The development senders print each message with "SMS NOT SENT" / "EMAIL NOT SENT".
export { Outbox, outboxOf, DELIVER_QUEUE, type NewMessage, type QueuedMessage, type OutboxOptions } from './outbox.service.js';
export { registerTemplates, templateOf, type Template, type Params } from './templates.js';
export { emailSenderFor, LogEmailSender, HttpEmailSender, type EmailSender } from './email.js';
export type { MessageChannel, MessageLanguage, MessageStatus } from '../../db/types.outbox.js';
/** What became of the messages about some things (a module asks about its own: the patient told of a break-glass opening). */
export { statusesAbout } from './outbox.repository.js';

/** Shows the last four digits of a number (XXXXXX1234), the first letter and domain of an address. */
export function maskRecipient(to: string): string {
  const at = to.indexOf('@');
  if (at > 0) return `${to[0]}***${to.slice(at)}`;
  const digits = to.replace(/\D/g, '');
  return `${'X'.repeat(Math.max(0, Math.min(6, digits.length - 4)))}${digits.slice(-4)}`;
}

/** An Indian mobile number (10 digits from 6–9, with or without +91 or 0), as 10 digits; null for a landline or junk. */
export function mobileNumber(phone: string | null | undefined): string | null {
  const d = (phone ?? '').replace(/\D/g, '').replace(/^(91|0)(?=\d{10}$)/, '');
  return /^[6-9]\d{9}$/.test(d) ? d : null;
}
