import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { AppDeps } from '../app.js';
import { requirePermission } from './actor.js';
import { actorOf, Paging } from './http.js';

const Query = Type.Object(
  {
    actor: Type.Optional(Type.String({ description: 'user name or user id' })),
    action: Type.Optional(Type.String()),
    entity: Type.Optional(Type.String()),
    entityId: Type.Optional(Type.String()),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    ...Paging,
  },
  { additionalProperties: false },
);

export const auditRoutes = ({ db }: AppDeps): FastifyPluginAsync => async (app) => {
  app.get('/api/audit', {
    schema: { tags: ['audit'], summary: 'Audit log: writes and reads of personal data (admins)', querystring: Query },
  }, async (request) => {
    const actor = actorOf(request);
    requirePermission(actor, 'can_read_audit');
    const q = request.query as Record<string, any>;
    const limit = q.limit ?? 50;
    const offset = q.offset ?? 0;
    let base = db.kysely
      .selectFrom('audit_log')
      .where((eb) => eb.or([eb('org_unit_path', 'like', `${actor.orgPath}%`), eb('org_unit_path', 'is', null)]));
    if (q.actor) base = base.where((eb) => eb.or([eb('actor_username', '=', q.actor), eb('actor_id', '=', q.actor)]));
    if (q.action) base = base.where('action', '=', q.action);
    if (q.entity) base = base.where('entity', '=', q.entity);
    // A patient's id finds the reads that returned them among others (one row per search, patient_ids).
    if (q.entityId) base = base.where((eb) => eb.or([eb('entity_id', '=', q.entityId), sql<boolean>`patient_ids @> array[${q.entityId}]::text[]`]));
    if (q.from) base = base.where('at', '>=', new Date(q.from));
    if (q.to) base = base.where('at', '<', new Date(q.to));
    const [rows, total] = await Promise.all([
      base.selectAll().orderBy('id', 'desc').limit(limit).offset(offset).execute(),
      base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
    ]);
    return {
      items: rows.map((r) => ({
        id: r.id,
        at: r.at.toISOString(),
        actorId: r.actor_id,
        actorUsername: r.actor_username,
        action: r.action,
        entity: r.entity,
        entityId: r.entity_id,
        purpose: r.purpose,
        ip: r.ip,
        before: r.before,
        after: r.after,
        patientIds: r.patient_ids,
      })),
      total: total.n,
      limit,
      offset,
    };
  });
};
