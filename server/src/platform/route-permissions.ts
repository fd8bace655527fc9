import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { forbidden, unauthenticated } from './errors.js';
import type { Permission } from './roles.js';

/**
 * What a route that takes a body needs before a byte of that body is read: a permission (or any one
 * of several), any signed-in user, or nobody (a public route, which must also say `config.public`).
 */
export type RouteAccess = Permission | readonly Permission[] | 'signed_in' | 'public';

/**
 * Every operation with a request body (POST, PUT, PATCH under /api and /fhir), keyed by
 * `METHOD url` as Fastify knows the route (`request.routeOptions.url`, `:param` style). The check runs
 * in an onRequest hook, before the body is parsed; the services check the same permission again
 * (and the caller's scope, which needs the body). `route-permissions.test.ts` fails when an operation
 * in the OpenAPI document is missing here, so no new route can skip it.
 */
export const ROUTE_ACCESS: Readonly<Record<string, RouteAccess>> = {
  // sign-in and users
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'signed_in',
  'POST /api/users': 'can_create_user',
  // geography
  'POST /api/geo/units/import': 'can_import_geo',
  'POST /api/geo/boundaries': 'can_import_geo',
  'POST /api/geo/units': 'can_update_geo',
  'PATCH /api/geo/units/:code': 'can_update_geo',
  'POST /api/users/:username/password': 'can_update_user',
  'POST /api/users/:username/deactivate': 'can_update_user',
  'POST /api/users/:username/activate': 'can_update_user',
  // facility registry
  'POST /api/facilities': 'can_create_facility',
  'PATCH /api/facilities/:id': 'can_update_facility',
  'POST /api/facilities/:id/registration': 'can_update_facility',
  'POST /api/facilities/:id/upgrades': 'can_update_facility',
  // HMIS
  'POST /api/metadata': 'can_update_metadata',
  'PATCH /api/hmis/dataSets/:id': 'can_update_metadata',
  'POST /api/dataValueSets': 'can_submit_data',
  'POST /api/completeDataSetRegistrations': 'can_submit_data',
  'POST /api/hmis/sheets': 'can_submit_data',
  'POST /api/hmis/defaulters/reminders': 'can_approve_data',
  'POST /api/hmis/returns/:action': ['can_submit_data', 'can_approve_data'],
  'POST /api/hmis/lock-exceptions': 'can_approve_data',
  'POST /api/hmis/validation/run': 'can_read_data',
  'POST /api/hmis/analytics/favourites': 'can_read_data',
  'PATCH /api/hmis/analytics/favourites/:id': 'can_read_data',
  'POST /api/surveillance/reports': 'can_submit_surveillance',
  // patients, families, OPD, pregnancies, documents, survey
  'POST /api/patients': 'can_register_patient',
  'POST /api/cards/resolve': 'can_search_patient',
  'POST /api/families': 'can_register_patient',
  'POST /api/families/:id/members': 'can_register_patient',
  // the state family register (modules/registers): officers who import the state's lists; the service also requires a state or district officer (or admin)
  'POST /api/families/import': 'can_import_geo',
  'POST /api/families/matches/:id/confirm': 'can_import_geo',
  'POST /api/families/matches/:id/reject': 'can_import_geo',
  'POST /api/patients/:id/merge': 'can_update_patient',
  'PATCH /api/patients/:id': 'can_update_patient',
  'POST /api/patients/merges/:id/undo': 'can_update_patient',
  'POST /api/opd/visits': 'can_read_patient',
  'POST /api/opd/registrations': 'can_register_opd',
  'POST /api/opd/registrations/:id/status': 'can_register_opd',
  'POST /api/patients/:id/documents': 'can_update_patient',
  'POST /api/survey/sync': 'can_survey',
  'POST /api/survey/assignments': 'can_assign_survey',
  'POST /api/pregnancies': 'can_register_pregnancy',
  'POST /api/pregnancies/:id/close': 'can_register_pregnancy',
  'POST /api/ultrasounds': 'can_record_ultrasound',
  // presence before access (patients.presence.ts) and the district's review of break-glass
  'POST /api/patients/:id/presence/code': 'can_search_patient',
  'POST /api/patients/:id/presence': 'can_search_patient',
  'POST /api/break-glass/:id/review': 'can_review_break_glass',
  // registration and OPD from home: code-confirmed and rate-limited
  'POST /api/public/otp': 'public',
  'POST /api/public/patients': 'public',
  'POST /api/public/telemedicine/otp': 'public',
  'POST /api/public/telemedicine/requests': 'public',
  'POST /api/public/telemedicine/find': 'public',
  'POST /api/public/telemedicine/requests/:id/cancel': 'public',
  // telemedicine network, queue, consultations, prescriptions, stock, referrals
  'PUT /api/telemedicine/hubs/:id/specialties': 'can_manage_telemedicine',
  'POST /api/telemedicine/links': 'can_manage_telemedicine',
  'POST /api/telemedicine/doctors': 'can_manage_telemedicine',
  'PUT /api/telemedicine/equipment/:id': ['can_manage_telemedicine', 'can_request_consultation'],
  'POST /api/telemedicine/rosters': 'can_manage_telemedicine',
  'POST /api/telemedicine/duty': 'can_consult',
  'POST /api/telemedicine/requests': 'can_request_consultation',
  'POST /api/telemedicine/next': 'can_consult',
  'POST /api/telemedicine/requests/:id/start': 'can_consult',
  'POST /api/telemedicine/requests/:id/no-answer': 'can_consult',
  'POST /api/telemedicine/requests/:id/complete': 'can_consult',
  'POST /api/telemedicine/requests/:id/cancel': 'can_request_consultation',
  'PUT /api/telemedicine/requests/:id/consultation': 'can_consult',
  'POST /api/telemedicine/requests/:id/prescriptions': 'can_consult',
  'POST /api/telemedicine/prescriptions/:id/dispense': 'can_dispense',
  'PUT /api/telemedicine/stock': 'can_dispense',
  'POST /api/referrals': 'can_refer',
  'POST /api/referrals/:id/status': ['can_refer', 'can_receive_referral'],
  // ambulances (108/102) and the positions their GPS devices send (the device id is the key)
  'POST /api/ambulances': 'can_manage_ambulances',
  'PATCH /api/ambulances/:id': ['can_dispatch_ambulances', 'can_manage_ambulances', 'can_manage_ambulance_crew'],
  // crew on shift, per-device keys, population for the norms (ambulances.crew.ts, .keys.ts, .norms.ts)
  'PUT /api/ambulances/:id/crew': 'can_manage_ambulance_crew',
  'POST /api/ambulances/:id/device-key': 'can_manage_ambulances',
  'PUT /api/ambulances/norms/population': 'can_manage_population',
  'POST /api/ambulances/norms/population/import': 'can_manage_population',
  'POST /api/positions/osmand': 'public',
  'POST /api/positions': 'public',
  // dispatch: calls, trips and their steps (the crew's base operator too), the receiving hospital
  'POST /api/dispatch/calls': 'can_dispatch_ambulances',
  'POST /api/dispatch/calls/:id/assign': 'can_dispatch_ambulances',
  'POST /api/dispatch/calls/:id/cancel': 'can_dispatch_ambulances',
  'POST /api/dispatch/trips/:id/steps': ['can_dispatch_ambulances', 'can_report_ambulance_trip'],
  'POST /api/dispatch/trips/:id/decline': ['can_dispatch_ambulances', 'can_report_ambulance_trip'],
  'POST /api/dispatch/trips/:id/acknowledge': 'can_receive_ambulance',
  // the state's response-time targets for 108 and 102 (dispatch/stats)
  'PUT /api/dispatch/targets': 'can_manage_ambulance_targets',
  // the 104 helpline: calls, an ambulance call's place, transfers picked up and closed, outbound calls (modules/helpline)
  'POST /api/helpline/calls': 'can_log_helpline_calls',
  'POST /api/helpline/calls/:id/place': 'can_log_helpline_calls',
  'POST /api/helpline/transfers/:id/claim': 'can_take_helpline_transfers',
  'POST /api/helpline/transfers/:id/close': 'can_take_helpline_transfers',
  'POST /api/helpline/outbound': 'can_log_helpline_calls',
  // grievances: filed by citizens (a code to the mobile), help desks and the helpline; officers act on them (modules/grievances)
  'POST /api/public/grievances/otp': 'public',
  'POST /api/public/grievances': 'public',
  'POST /api/public/grievances/:ticketNumber/information': 'public',
  'POST /api/public/grievances/:ticketNumber/reopen': 'public',
  'POST /api/public/grievances/:ticketNumber/rating': 'public',
  'POST /api/public/grievances/:ticketNumber/attachments': 'public',
  'POST /api/grievances': 'can_file_grievance',
  'POST /api/grievances/:ticketNumber/assign': 'can_handle_grievances',
  'POST /api/grievances/:ticketNumber/start': 'can_handle_grievances',
  'POST /api/grievances/:ticketNumber/reply': 'can_handle_grievances',
  'POST /api/grievances/:ticketNumber/notes': 'can_handle_grievances',
  'POST /api/grievances/:ticketNumber/wait': 'can_handle_grievances',
  'POST /api/grievances/:ticketNumber/interim': 'can_handle_grievances',
  'POST /api/grievances/:ticketNumber/resolve': 'can_handle_grievances',
  'POST /api/grievances/:ticketNumber/close': 'can_handle_grievances',
  'POST /api/grievances/:ticketNumber/reopen': 'can_handle_grievances',
  'POST /api/grievances/:ticketNumber/attachments': ['can_handle_grievances', 'can_file_grievance'],
  'PUT /api/grievances/settings/:type': 'can_manage_grievance_settings',
  'PUT /api/grievances/calendar': 'can_manage_grievance_settings',
  // ASHA incentives: register and catalogue, claims from the phone, verification, payment batches (modules/asha)
  'POST /api/asha/workers': 'can_manage_asha',
  'POST /api/asha/workers/import': 'can_manage_asha',
  'POST /api/asha/activities/:code/rates': 'can_manage_asha',
  'POST /api/asha/claims': 'can_claim_asha_incentives',
  'POST /api/asha/claims/:id/recommend': 'can_recommend_asha_claims',
  'POST /api/asha/claims/:id/approve': 'can_approve_asha_claims',
  'POST /api/asha/claims/:id/reject': ['can_recommend_asha_claims', 'can_approve_asha_claims'],
  'POST /api/asha/claims/:id/resubmit': 'can_claim_asha_incentives',
  'POST /api/asha/batches': 'can_pay_asha',
  'POST /api/asha/batches/:id/returns': 'can_pay_asha',
  'POST /api/asha/notices/:id/seen': ['can_approve_asha_claims', 'can_manage_asha'],
  // Didi ki Rasoi: kitchens, rates, the hospital's days, monthly bills (modules/kitchens)
  'POST /api/kitchens': ['can_manage_kitchens', 'can_run_kitchen'],
  'POST /api/kitchens/rates': 'can_manage_kitchens',
  'POST /api/kitchens/:id/days': 'can_run_kitchen',
  'POST /api/kitchens/:id/bills/:month/submit': 'can_run_kitchen',
  'POST /api/kitchens/:id/bills/:month/approve': 'can_manage_kitchens',
  'POST /api/kitchens/:id/bills/:month/pay': 'can_pay_kitchens',
  // HIMCARE and other schemes: set-up by date, empanelment, enrolments and cards, claims (modules/schemes)
  'POST /api/schemes/:scheme/setup': 'can_manage_schemes',
  'POST /api/schemes/:scheme/categories': 'can_manage_schemes',
  'POST /api/schemes/:scheme/packages': 'can_manage_schemes',
  'POST /api/schemes/:scheme/hospitals': 'can_manage_schemes',
  'POST /api/schemes/:scheme/enrolments': 'can_enrol_schemes',
  'POST /api/schemes/:scheme/enrolments/:id/renew': 'can_enrol_schemes',
  'POST /api/schemes/:scheme/enrolments/:id/members': 'can_enrol_schemes',
  'POST /api/schemes/:scheme/enrolments/:id/members/:patientId/remove': 'can_enrol_schemes',
  'POST /api/schemes/:scheme/claims': 'can_file_scheme_claims',
  'POST /api/schemes/:scheme/claims/:id/preauth': 'can_settle_scheme_claims',
  'POST /api/schemes/:scheme/claims/:id/discharge': 'can_file_scheme_claims',
  'POST /api/schemes/:scheme/claims/:id/settle': 'can_settle_scheme_claims',
  // FHIR
  'POST /fhir/': 'can_update_patient',
  'POST /fhir/Patient': 'can_register_patient',
  'PUT /fhir/Patient/:id': 'can_update_patient',
  'POST /fhir/:type': 'can_update_patient',
  'PUT /fhir/:type/:id': 'can_update_patient',
};

/** Methods whose requests carry a body that must not be read before the permission check. */
export const BODY_METHODS = ['POST', 'PUT', 'PATCH'] as const;

/** The declared access of a route (`/fhir` and `/fhir/` are one route), or undefined. */
export function routeAccess(method: string, url: string): RouteAccess | undefined {
  const m = method.toUpperCase();
  return ROUTE_ACCESS[`${m} ${url}`] ?? ROUTE_ACCESS[`${m} ${url.endsWith('/') ? url.slice(0, -1) : `${url}/`}`];
}

/** Throws 401 or 403 unless the request's actor satisfies `access`. */
export function checkAccess(request: FastifyRequest, access: RouteAccess): void {
  if (access === 'public') return;
  const actor = request.actor;
  if (!actor) throw unauthenticated();
  if (access === 'signed_in') return;
  const any = typeof access === 'string' ? [access] : access;
  if (any.some((p) => actor.permissions.has(p))) return;
  throw forbidden(
    `Your role (${actor.role}) does not have ${any.join(' or ')}`,
    `आपकी भूमिका (${actor.role}) को ${any.join(' या ')} की अनुमति नहीं है`,
  );
}

/**
 * Adds the permission check to every route registered after this call (plugins included) as a
 * route-level onRequest hook: it runs after the sign-in hooks (the API's and FHIR's) and before the
 * body is read or parsed. Call it right after the sign-in hook, before any route is registered.
 */
export function installRoutePermissions(app: FastifyInstance) {
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const access = methods.map((m) => routeAccess(m, route.url)).find((a) => a !== undefined);
    if (access === undefined || access === 'public') return;
    const hook = async (request: FastifyRequest) => checkAccess(request, access);
    const existing = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    route.onRequest = [...existing, hook] as RouteOptions['onRequest'];
  });
}
