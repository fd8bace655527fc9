import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../app.js';

/** Claims from empanelled hospitals (issue 15, part 5): registered with the next change. */
export const claimRoutes = (_deps: AppDeps): FastifyPluginAsync => async () => {};
