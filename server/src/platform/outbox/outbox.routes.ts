import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import type { AppDeps } from '../../app.js';
import type { Database } from '../../db/types.js';
import type { Kysely } from 'kysely';
import { requirePermission, type Actor } from '../actor.js';
import { recordAudit } from '../audit.js';
import { actorOf, ErrorBody } from '../http.js';
import { maskRecipient } from './index.js';
import { listMessages } from './outbox.repository.js';
import { hideSecrets } from './templates.js';

const MessagesQuery = Type.Object({
  status: Type.Optional(Type.Union([Type.Literal('queued'), Type.Literal('sending'), Type.Literal('sent'), Type.Literal('failed')])),
  channel: Type.Optional(Type.Union([Type.Literal('sms'), Type.Literal('email')])),
  about: Type.Optional(Type.String({ minLength: 1, maxLength: 60, pattern: '^[a-z_.]+$', description: 'what the messages are about: otp, hmis_reminder, presence, registration, grievance…' })),
  aboutId: Type.Optional(Type.String({ minLength: 1, maxLength: 60, description: 'e.g. the id of a round of HMIS reminders' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
}, { additionalProperties: false });
type MessagesQueryT = Static<typeof MessagesQuery>;

const Message = Type.Object({
  id: Type.String(), channel: Type.String(), to: Type.String(), template: Type.String(), language: Type.String(),
  subject: Type.Union([Type.String(), Type.Null()]), text: Type.String(), status: Type.String(), attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]), createdAt: Type.String(), sentAt: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.String(), createdBy: Type.Union([Type.String(), Type.Null()]),
  about: Type.Union([Type.Object({ kind: Type.String(), id: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]),
});
const Summary = Type.Object({ queued: Type.Integer(), sending: Type.Integer(), sent: Type.Integer(), failed: Type.Integer() });
const MessagesPage = Type.Object({ items: Type.Array(Message), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer(), summary: Summary });

/** Messages tied to no place (the public's one-time codes, which name no state) are read at country level only. */
const countryWide = (actor: Actor) => actor.orgLevel === 'country';

/**
 * What was sent to whom: the messages of the reader's area, newest first, numbers masked, secrets
 * hidden; each read is audited.
 */
export async function listOutbox(db: Kysely<Database>, actor: Actor, q: MessagesQueryT) {
  requirePermission(actor, 'can_read_messages');
  const limit = q.limit ?? 50;
  const offset = q.offset ?? 0;
  const r = await listMessages(db, {
    path: actor.orgPath, unplaced: countryWide(actor),
    status: q.status, channel: q.channel, aboutKind: q.about, aboutId: q.aboutId, limit, offset,
  });
  await recordAudit(db, actor, { action: 'read', entity: 'outbox_messages', orgPath: actor.orgPath, after: { filter: { ...q }, shown: r.items.length } });
  return {
    items: r.items.map((m) => ({
      id: m.id, channel: m.channel, to: maskRecipient(m.recipient), template: m.template, language: m.language, subject: m.subject,
      text: hideSecrets(m.text), status: m.status, attempts: m.attempts, lastError: m.last_error,
      createdAt: m.created_at.toISOString(), sentAt: m.sent_at?.toISOString() ?? null, updatedAt: m.updated_at.toISOString(), createdBy: m.created_by,
      about: m.about_kind ? { kind: m.about_kind, id: m.about_id } : null,
    })),
    total: r.total, limit, offset, summary: r.summary,
  };
}

export const outboxRoutes = ({ db }: AppDeps): FastifyPluginAsync => async (plain) => {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/messages', {
    schema: {
      tags: ['platform'],
      summary: 'The outbox: SMS and e-mail of your area with their delivery status (queued, sending, sent, failed), tries and last error; numbers masked; newest first',
      querystring: MessagesQuery, response: { 200: MessagesPage, 400: ErrorBody, 403: ErrorBody },
    },
  }, async (request) => listOutbox(db.kysely, actorOf(request), request.query));
};
