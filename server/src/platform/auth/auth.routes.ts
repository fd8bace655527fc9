import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../app.js';
import { AppError } from '../errors.js';
import { actorOf, ErrorBody, Paging } from '../http.js';
import { ROLES } from '../roles.js';
import * as auth from './auth.service.js';
import * as manage from './users.manage.js';
import * as users from './users.service.js';

const Login = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 100 }), password: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
const NewPassword = Type.Object(
  { password: Type.String({ minLength: 1, maxLength: 200, description: 'at least 10 characters, and not one of the most common passwords' }) },
  { additionalProperties: false },
);
const NewUser = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 200, description: 'at least 10 characters, and not one of the most common passwords' }),
    role: Type.String({ enum: [...ROLES] }),
    orgUnit: Type.Union([Type.String({ minLength: 1, maxLength: 40 }), Type.Integer({ minimum: 0 })]),
    displayName: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const authRoutes = (deps: AppDeps): FastifyPluginAsync => async (app) => {
  const { db, config } = deps;

  app.post('/api/auth/login', {
    config: { public: true },
    schema: {
      tags: ['auth'],
      summary: 'Sign in; returns a bearer token',
      description: 'Failed sign-ins are limited per user name from one address (5 in 15 minutes; 2 while the name is '
        + 'under attack from many addresses) and per address (SWASTHYA_LOGIN_RATE_LIMIT a minute); past a limit the '
        + 'answer is 429 with Retry-After, and the password is not checked. Other addresses are not held back.',
      body: Login,
      response: { 401: ErrorBody, 429: ErrorBody },
    },
  }, async (request, reply) => {
    const body = request.body as { username: string; password: string };
    const result = await auth.login(db.kysely, { ...body, ip: request.ip }, config.sessionHours, config.loginRateLimit).catch((err) => {
      const wait = err instanceof AppError ? err.details?.retryAfterSeconds : undefined;
      if (typeof wait === 'number') reply.header('retry-after', String(wait));
      throw err;
    });
    const actor = await auth.authenticate(db.kysely, result.token, request.ip, { cache: false });
    return { token: result.token, expiresAt: result.expiresAt, user: await users.me(db.kysely, actor!) };
  });

  app.post('/api/auth/logout', { schema: { tags: ['auth'], summary: 'End this session' } }, async (request, reply) => {
    await auth.logout(db.kysely, actorOf(request), request.bearer!);
    return reply.status(204).send();
  });

  app.get('/api/auth/me', { schema: { tags: ['auth'], summary: 'Who is signed in' } }, async (request) =>
    users.me(db.kysely, actorOf(request)));

  app.get('/api/users', {
    schema: { tags: ['users'], summary: 'Users within the caller’s area', querystring: Type.Object(Paging, { additionalProperties: false }) },
  }, async (request) => {
    const q = request.query as { limit?: number; offset?: number };
    const page = { limit: q.limit ?? 50, offset: q.offset ?? 0 };
    return { ...(await users.listUsers(db.kysely, actorOf(request), page)), ...page };
  });

  app.post('/api/users', {
    schema: { tags: ['users'], summary: 'Create a user (the admin: any role; a district officer: care and field roles inside the district)', body: NewUser, response: { 201: Type.Any(), 400: ErrorBody, 403: ErrorBody, 409: ErrorBody } },
  }, async (request, reply) => {
    const actor = actorOf(request);
    const user = await db.kysely.transaction().execute((trx) => users.createUser(trx, actor, request.body as users.NewUserInput));
    return reply.status(201).send(user);
  });

  // The user named in the path is looked up, and the caller's right to look after them (area, role)
  // checked, before the body is read: after the permission check (onRequest), before parsing.
  const userParams = Type.Object({ username: Type.String({ minLength: 3, maxLength: 64, pattern: '^[a-zA-Z0-9._@-]+$' }) }, { additionalProperties: false });
  const targetFirst = async (request: FastifyRequest) => {
    await manage.managedUser(db.kysely, actorOf(request), (request.params as { username: string }).username);
  };

  app.post('/api/users/:username/password', {
    preParsing: async (request, _reply, payload) => { await targetFirst(request); return payload; },
    schema: {
      tags: ['users'],
      summary: 'Set a new password for a user (the admin, or the user\'s district officer)',
      description: 'The password policy applies (at least 10 characters, not a common password, not the user name). The user\'s sessions end. The password is never returned or logged; the change is audited.',
      params: userParams,
      body: NewPassword,
      response: { 200: Type.Object({ username: Type.String(), passwordChanged: Type.Boolean() }), 400: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => manage.setPassword(db.kysely, actorOf(request), (request.params as { username: string }).username, (request.body as { password: string }).password));

  app.post('/api/users/:username/deactivate', {
    preParsing: async (request, _reply, payload) => { await targetFirst(request); return payload; },
    schema: {
      tags: ['users'],
      summary: 'Deactivate a user (the admin, or the user\'s district officer): no more sign-ins, and their sessions stop working',
      params: userParams,
      response: { 200: Type.Object({ username: Type.String(), role: Type.String(), active: Type.Boolean() }), 400: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => manage.deactivateUser(db.kysely, actorOf(request), (request.params as { username: string }).username));

  app.post('/api/users/:username/activate', {
    preParsing: async (request, _reply, payload) => { await targetFirst(request); return payload; },
    schema: {
      tags: ['users'],
      summary: 'Let a deactivated user sign in again (the admin, or the user\'s district officer)',
      params: userParams,
      response: { 200: Type.Object({ username: Type.String(), role: Type.String(), active: Type.Boolean() }), 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => manage.activateUser(db.kysely, actorOf(request), (request.params as { username: string }).username));
};
