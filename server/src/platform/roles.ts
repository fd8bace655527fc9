/** Roles from ARCHITECTURE.md, each with its permissions (`can_<verb>_<noun>`) and natural scope level. */
export const ROLES = [
  'admin',
  'state_officer',
  'district_officer',
  'block_officer',
  'facility_operator',
  'doctor',
  'cho',
  'ultrasound_operator',
  'helpline_agent',
  'dispatcher',
  'asha',
  'block_accountant',
  'citizen',
] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'can_read_geo',
  'can_import_geo',
  /** Add a block, panchayat or village, rename one, correct its LGD code (geo.units.ts). */
  'can_update_geo',
  'can_read_facility',
  'can_create_facility',
  'can_update_facility',
  'can_delete_facility',
  'can_import_facility',
  'can_read_user',
  'can_create_user',
  'can_update_user',
  'can_read_audit',
  'can_read_metadata',
  'can_update_metadata',
  'can_read_data',
  'can_submit_data',
  'can_approve_data',
  'can_read_surveillance',
  'can_submit_surveillance',
  'can_register_patient',
  'can_register_opd',
  'can_search_patient',
  'can_read_patient',
  'can_update_patient',
  'can_register_pregnancy',
  'can_record_ultrasound',
  'can_read_ultrasound',
  'can_survey',
  'can_assign_survey',
  'can_request_consultation',
  'can_consult',
  'can_manage_telemedicine',
  'can_read_telemedicine',
  'can_dispense',
  'can_refer',
  'can_receive_referral',
  'can_review_break_glass',
  /** Ambulances (108/102): read the fleet and positions; register vehicles; change a vehicle's status (modules/ambulances). */
  'can_read_ambulances',
  'can_manage_ambulances',
  'can_dispatch_ambulances',
  /** Dispatch (modules/dispatch): the base facility's operator reports the crew's trip steps; the destination facility sees ambulances coming. */
  'can_report_ambulance_trip',
  'can_receive_ambulance',
  /** Crew on shift (driver, EMT) and, for the base facility's operator, available/off_road (ambulances.crew.ts). */
  'can_manage_ambulance_crew',
  /** Population by district, for the ambulance norms (ambulances.norms.ts). */
  'can_manage_population',
  /** The state's response-time targets for 108 and 102 (modules/dispatch/stats). */
  'can_manage_ambulance_targets',
  /** Grievances (modules/grievances): file one for a citizen (help desk, helpline); read tickets in one's area; act on them (assign, reply, resolve); set routing, deadlines and the state's calendar. */
  'can_file_grievance',
  'can_read_grievances',
  'can_handle_grievances',
  'can_manage_grievance_settings',
  /** The 104 helpline (modules/helpline): log calls and make outbound calls from lists; pick up calls transferred to a doctor or counsellor. */
  'can_log_helpline_calls',
  'can_take_helpline_transfers',
  /** The outbox (platform/outbox): SMS and e-mail of the area with their delivery status. */
  'can_read_messages',
  /** ASHA incentives (modules/asha): the ASHA claims; the ANM/CHO recommends; the block's MO in charge (or a doctor of the block) approves; the block accountant pays; officers keep the register and catalogue. */
  'can_claim_asha_incentives',
  'can_recommend_asha_claims',
  'can_approve_asha_claims',
  'can_pay_asha',
  'can_manage_asha',
  /** Didi ki Rasoi (modules/kitchens): the hospital's operator runs its kitchen's days and bills; district and state officers register kitchens and approve bills (the state's rates at state level); the state pays. */
  'can_run_kitchen',
  'can_manage_kitchens',
  'can_pay_kitchens',
  /** HIMCARE and other schemes (modules/schemes): the state's scheme officer keeps the set-up and settles claims; officers enrol register families and issue cards; an empanelled hospital's operator files claims; officers read their area's enrolments and claims. */
  'can_manage_schemes',
  'can_enrol_schemes',
  'can_file_scheme_claims',
  'can_settle_scheme_claims',
  'can_read_schemes',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READER: Permission[] = ['can_read_geo', 'can_read_facility'];
/** Staff who see HMIS forms and their facility's data. */
const STAFF: Permission[] = [...READER, 'can_read_metadata', 'can_read_data'];
/** IDSP weekly S/P/L reporting: health workers, doctors and the officers above them. */
const IDSP: Permission[] = ['can_read_surveillance', 'can_submit_surveillance'];
/**
 * Counter and clinical staff of a facility: register, find and (where registered or seen) read
 * patients, give OPD tokens. Registering a person is not serving them: an OPD token is its own permission.
 */
const CARE: Permission[] = ['can_register_patient', 'can_search_patient', 'can_read_patient', 'can_update_patient', 'can_register_pregnancy', 'can_register_opd'];

/** Telemedicine at a spoke: request a consultation, follow it, dispense what was prescribed, refer. */
const SPOKE: Permission[] = ['can_request_consultation', 'can_read_telemedicine', 'can_dispense', 'can_refer', 'can_receive_referral'];
/** Officers who run the network (hubs, links, rosters, equipment) and read its counts. */
const TELE_ADMIN: Permission[] = ['can_manage_telemedicine', 'can_read_telemedicine'];
/** Officers a grievance is routed to (the facility's in-charge, the district, the state). */
const GRIEVANCE_OFFICER: Permission[] = ['can_read_grievances', 'can_handle_grievances'];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  state_officer: [...STAFF, 'can_update_geo', 'can_import_geo', 'can_create_facility', 'can_update_facility', 'can_delete_facility', 'can_import_facility', 'can_update_metadata', 'can_submit_data', 'can_approve_data', ...IDSP, 'can_read_ultrasound', ...TELE_ADMIN, 'can_review_break_glass', 'can_read_ambulances', 'can_manage_ambulance_targets', 'can_manage_population', ...GRIEVANCE_OFFICER, 'can_manage_grievance_settings', 'can_read_messages', 'can_manage_asha', 'can_manage_kitchens', 'can_pay_kitchens', 'can_manage_schemes', 'can_settle_scheme_claims', 'can_enrol_schemes', 'can_read_schemes'],
  /** Also creates and looks after the district's care and field staff (users.manage.ts), and its blocks, panchayats and villages. */
  district_officer: [...STAFF, 'can_update_geo', 'can_import_geo', 'can_read_user', 'can_create_user', 'can_update_user', 'can_create_facility', 'can_update_facility', 'can_submit_data', 'can_approve_data', ...IDSP, 'can_read_ultrasound', 'can_assign_survey', ...TELE_ADMIN, 'can_review_break_glass', 'can_read_ambulances', 'can_manage_ambulances', 'can_dispatch_ambulances', 'can_manage_ambulance_crew', ...GRIEVANCE_OFFICER, 'can_read_messages', 'can_manage_asha', 'can_manage_kitchens', 'can_enrol_schemes', 'can_read_schemes'],
  block_officer: [...STAFF, 'can_update_facility', 'can_submit_data', 'can_approve_data', ...IDSP, 'can_read_ultrasound', 'can_assign_survey', 'can_read_telemedicine', 'can_read_grievances', 'can_approve_asha_claims', 'can_manage_asha', 'can_enrol_schemes', 'can_read_schemes'],
  /** At a hub the facility operator is the hub manager: rosters, doctors on duty, the live queue. */
  facility_operator: [...STAFF, 'can_update_facility', 'can_submit_data', ...IDSP, ...CARE, ...SPOKE, 'can_manage_telemedicine', 'can_manage_ambulance_crew', 'can_report_ambulance_trip', 'can_receive_ambulance', ...GRIEVANCE_OFFICER, 'can_file_grievance', 'can_run_kitchen', 'can_file_scheme_claims'],
  doctor: [...STAFF, ...IDSP, ...CARE, 'can_consult', 'can_read_telemedicine', 'can_refer', 'can_receive_referral', 'can_receive_ambulance', 'can_take_helpline_transfers', 'can_approve_asha_claims'],
  cho: [...STAFF, 'can_submit_data', ...IDSP, ...CARE, 'can_survey', ...SPOKE, 'can_receive_ambulance', 'can_recommend_asha_claims'],
  ultrasound_operator: [...READER, 'can_record_ultrasound'],
  /** Logs calls and outbound calls; the counsellors' queue is taken by agents at the centre's counselling seats (helpline.transfers.ts). */
  helpline_agent: [...READER, 'can_log_helpline_calls', 'can_take_helpline_transfers', 'can_file_grievance', 'can_read_grievances'],
  /** The control room of a district (or the state): the fleet, its positions, each vehicle's status. */
  dispatcher: [...READER, 'can_read_ambulances', 'can_dispatch_ambulances', 'can_manage_ambulance_crew'],
  /** ASHAs enumerate households for the health-card survey (registering them, not reading records). */
  asha: [...READER, 'can_register_patient', 'can_survey', 'can_claim_asha_incentives'],
  block_accountant: [...READER, 'can_pay_asha'],
  citizen: READER,
};

/** The level of org unit a role is normally scoped to; used to read a bare LGD code. */
export const ROLE_LEVEL: Record<Role, 'country' | 'state' | 'district' | 'block' | 'village' | 'facility'> = {
  admin: 'state',
  state_officer: 'state',
  district_officer: 'district',
  block_officer: 'block',
  facility_operator: 'facility',
  doctor: 'facility',
  cho: 'facility',
  ultrasound_operator: 'facility',
  helpline_agent: 'state',
  dispatcher: 'district',
  asha: 'village',
  block_accountant: 'block',
  citizen: 'state',
};

export function isRole(s: string): s is Role {
  return (ROLES as readonly string[]).includes(s);
}
