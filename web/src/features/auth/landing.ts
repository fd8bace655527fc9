// Where each user starts: their own work, judged from their role's permissions and where they work,
// never a page their role may not open.
import { get } from '../../api.ts';
import { can, type Me } from './session.tsx';

const atFacility = (me: Me) => me.orgUnit.level.toLowerCase() === 'facility';

const hubAnswers = new Map<string, Promise<boolean>>();

/** True when the user's facility is a telemedicine hub (its manager starts on the hub's screen). Asked once per user. */
export function worksAtHub(me: Me): Promise<boolean> {
  if (!atFacility(me) || !can(me, 'can_manage_telemedicine')) return Promise.resolve(false);
  let answer = hubAnswers.get(me.id);
  if (!answer) {
    answer = get<{ items: { id: string }[] }>('/api/telemedicine/hubs')
      .then((hubs) => hubs.items.some((h) => h.id === me.orgUnit.id))
      .catch(() => {
        hubAnswers.delete(me.id);
        return false;
      });
    hubAnswers.set(me.id, answer);
  }
  return answer;
}

/**
 * The start page of a signed-in user:
 * an ASHA her survey; a doctor the telemedicine queue; a CHO today's requests at her centre; a hub's
 * manager the hub; an ultrasound centre's operator the check of a pregnancy registration number;
 * other facility staff the patients; other staff of a facility their facility's page; district, block and state officers their area's HMIS report
 * status; a dispatcher the live map of ambulances and calls; a helpline agent the call form; anyone else (the administrator) the facility registry of their area.
 */
export async function landingPath(me: Me): Promise<string> {
  // The administrator holds every permission; their work is the registry of their area.
  if (me.role === 'admin') return '/facilities';
  if (can(me, 'can_survey') && !can(me, 'can_request_consultation')) return '/survey';
  if (can(me, 'can_consult')) return '/telemedicine/doctor';
  if (atFacility(me)) {
    if (can(me, 'can_record_ultrasound')) return '/ultrasound';
    if (can(me, 'can_request_consultation') && can(me, 'can_survey')) return '/telemedicine';
    if (await worksAtHub(me)) return '/telemedicine/hub';
    if (can(me, 'can_search_patient')) return '/patients';
    if (can(me, 'can_submit_data') && can(me, 'can_read_metadata')) return '/hmis/entry';
    return `/facilities/${me.orgUnit.id}`;
  }
  if (can(me, 'can_read_data') && can(me, 'can_approve_data')) return '/hmis/returns';
  // The control room: the dispatcher's live map and calls.
  if (can(me, 'can_dispatch_ambulances')) return '/dispatch';
  // The 104 helpline's agent: the call form.
  if (can(me, 'can_log_helpline_calls')) return '/helpline';
  return '/facilities';
}
