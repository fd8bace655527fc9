import { useEffect, useState } from 'react';
import { worksAtHub } from '../features/auth/landing.ts';
import { can, type Me } from '../features/auth/session.tsx';
import { getUnit, unitName } from '../features/geo/geo.api.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { Route } from '../router.ts';
import { LangSwitch } from './LangSwitch.tsx';

export function Header({ me, route, onLogout }: { me: Me; route: Route; onLogout: () => void }) {
  const { t, tx, lang } = useI18n();
  const section = route.segments[0] === 'hmis' ? `hmis/${route.segments[1] ?? ''}` : (route.segments[0] ?? 'facilities');
  const current = route.segments[0] === 'survey' && route.segments[1] ? `survey/${route.segments[1]}`
    : route.segments[0] === 'telemedicine' && route.segments[1] ? `telemedicine/${route.segments[1]}`
    : route.segments[0] === 'ambulances' && route.segments[1] ? `ambulances/${route.segments[1]}`
    : route.segments[0] === 'grievances' && route.segments[1] === 'figures' ? 'grievances/figures'
    : route.segments[0] === 'helpline' && route.segments[1] ? `helpline/${route.segments[1]}`
    : route.segments[0] === 'asha' && route.segments[1] ? `asha/${route.segments[1]}` : section;
  const atFacility = me.orgUnit.level.toLowerCase() === 'facility';
  // /api/auth/me names the unit in English; the geo unit carries the Hindi name too.
  const [unit, setUnit] = useState<{ name: string; nameHi?: string | null }>(me.orgUnit);
  useEffect(() => {
    let live = true;
    getUnit(me.orgUnit.id).then((u) => live && setUnit(u)).catch(() => undefined);
    return () => {
      live = false;
    };
  }, [me.orgUnit.id]);
  // Staff of one facility see their own facility; an ASHA's village holds none. The registry, its map
  // and its compliance are for those who look after an area.
  const local = atFacility || me.orgUnit.level.toLowerCase() === 'village';
  // At a facility, the hub's screen is for the manager of a hub only; officers pick a hub of their area.
  const [atHub, setAtHub] = useState(false);
  useEffect(() => {
    let live = true;
    void worksAtHub(me).then((yes) => live && setAtHub(yes));
    return () => {
      live = false;
    };
  }, [me]);
  const links = [
    ...(atFacility ? [{ id: 'facilities', href: `#/facilities/${me.orgUnit.id}`, label: t('nav.myFacility') }] : []),
    ...(local ? [] : [
      { id: 'facilities', href: '#/facilities', label: t('nav.facilities') },
      { id: 'map', href: '#/map', label: t('nav.map') },
      { id: 'compliance', href: '#/compliance', label: t('nav.compliance') },
    ]),
    // The live map of ambulances and calls: the control room, and officers who watch the fleet.
    ...(can(me, 'can_read_ambulances') && !atFacility
      ? [{ id: 'dispatch', href: '#/dispatch', label: t('nav.dispatch') }] : []),
    ...(can(me, 'can_read_metadata') && (can(me, 'can_submit_data') || !atFacility)
      ? [{ id: 'hmis/entry', href: '#/hmis/entry', label: t('nav.hmisEntry') }] : []),
    ...(can(me, 'can_read_data') && !atFacility
      ? [{ id: 'hmis/returns', href: '#/hmis/returns', label: t('nav.hmisReturns') }] : []),
    ...(can(me, 'can_read_data') && !atFacility
      ? [{ id: 'analytics', href: '#/analytics', label: t('nav.analytics') }] : []),
    ...(can(me, 'can_read_surveillance') || can(me, 'can_submit_surveillance')
      ? [{ id: 'surveillance', href: '#/surveillance', label: t('nav.surveillance') }] : []),
    ...(can(me, 'can_search_patient')
      ? [{ id: 'patients', href: '#/patients', label: t('nav.patients') }] : []),
    // The OPD queue of one's facility: for those who issue its tokens or record its visits.
    ...((can(me, 'can_register_opd') || can(me, 'can_read_patient')) && atFacility
      ? [{ id: 'opd', href: '#/opd', label: t('nav.opdQueue') }] : []),
    ...(can(me, 'can_search_patient') && can(me, 'can_register_patient')
      ? [{ id: 'families', href: '#/families', label: t('nav.families') }] : []),
    ...(can(me, 'can_record_ultrasound') && atFacility
      ? [{ id: 'ultrasound', href: '#/ultrasound', label: t('nav.ultrasound') }] : []),
    ...(can(me, 'can_review_break_glass')
      ? [{ id: 'break-glass', href: '#/break-glass', label: t('nav.breakGlass') }] : []),
    ...(can(me, 'can_update_geo') || can(me, 'can_import_geo')
      ? [{ id: 'places', href: '#/places', label: t('nav.places') }] : []),
    ...(can(me, 'can_create_user')
      ? [{ id: 'users', href: '#/users', label: t('nav.users') }] : []),
    ...(can(me, 'can_survey')
      ? [{ id: 'survey', href: '#/survey', label: t('nav.survey') }] : []),
    ...(can(me, 'can_assign_survey')
      ? [{ id: 'survey/coverage', href: '#/survey/coverage', label: t('nav.surveyCoverage') }] : []),
    ...(can(me, 'can_request_consultation') && atFacility
      ? [{ id: 'telemedicine', href: '#/telemedicine', label: t('nav.tele') }] : []),
    ...(can(me, 'can_consult')
      ? [{ id: 'telemedicine/doctor', href: '#/telemedicine/doctor', label: t('nav.teleDoctor') }] : []),
    ...(can(me, 'can_manage_telemedicine') && (!atFacility || atHub)
      ? [{ id: 'telemedicine/hub', href: '#/telemedicine/hub', label: t('nav.teleHub') }] : []),
    ...(can(me, 'can_receive_referral') || can(me, 'can_refer')
      ? [{ id: 'telemedicine/referrals', href: '#/telemedicine/referrals', label: t('nav.teleReferrals') }] : []),
    ...(can(me, 'can_read_telemedicine') && !atFacility
      ? [{ id: 'telemedicine/stats', href: '#/telemedicine/stats', label: t('nav.teleStats') }] : []),
    // The fleet: vehicles, crew on shift, status, the norms per district (the base facility's operator: its own vehicles).
    ...(can(me, 'can_read_ambulances') || can(me, 'can_manage_ambulance_crew')
      ? [{ id: 'ambulances', href: '#/ambulances', label: t('nav.fleet') }] : []),
    // The receiving facility's screen: ambulances on their way to it, acknowledged by its staff.
    ...(can(me, 'can_receive_ambulance') && atFacility
      ? [{ id: 'ambulances/incoming', href: '#/ambulances/incoming', label: t('nav.incoming') }] : []),
    // Response times of 108 and 102: district and state officers, dispatchers (and the administrator).
    ...(can(me, 'can_read_ambulances') && !atFacility
      ? [{ id: 'ambulances/response', href: '#/ambulances/response', label: t('nav.responseTimes') }] : []),
    // Complaints of the area (features/grievances): the officers they are routed to; the figures for district and state officers.
    ...(can(me, 'can_read_grievances')
      ? [{ id: 'grievances', href: '#/grievances', label: t('nav.grievances') }] : []),
    ...(can(me, 'can_read_grievances') && !atFacility
      ? [{ id: 'grievances/figures', href: '#/grievances/figures', label: t('nav.grievanceFigures') }] : []),
    // The outbox: every SMS and e-mail of the area with its delivery status (features/messages).
    ...(can(me, 'can_read_messages')
      ? [{ id: 'messages', href: '#/messages', label: t('nav.messages') }] : []),
    // The 104 helpline: agents log calls and ring the outbound lists; doctors and counsellors pick up transferred calls.
    // (A national account keeps no calls: the helpline is a state's.)
    ...(can(me, 'can_log_helpline_calls') && me.orgUnit.level.toLowerCase() !== 'country'
      ? [{ id: 'helpline', href: '#/helpline', label: t('nav.helpline') }, { id: 'helpline/outbound', href: '#/helpline/outbound', label: t('nav.helplineOutbound') }] : []),
    ...(can(me, 'can_take_helpline_transfers') && me.orgUnit.level.toLowerCase() !== 'country'
      ? [{ id: 'helpline/transfers', href: '#/helpline/transfers', label: t('nav.helplineTransfers') }] : []),
    // ASHA incentives (features/asha): the ASHA's claims; the CHO/ANM and the medical officer verify; the
    // block accountant pays; district and block officers keep the register and watch the days to pay.
    // (The administrator holds every permission but is no ASHA: no claims of their own.)
    ...(can(me, 'can_claim_asha_incentives') && me.role !== 'admin'
      ? [{ id: 'asha/claims', href: '#/asha/claims', label: t('nav.ashaClaims') }] : []),
    ...(can(me, 'can_recommend_asha_claims') || can(me, 'can_approve_asha_claims')
      ? [{ id: 'asha/verify', href: '#/asha/verify', label: t('nav.ashaVerify') }] : []),
    ...(can(me, 'can_pay_asha')
      ? [{ id: 'asha/payments', href: '#/asha/payments', label: t('nav.ashaPayments') }] : []),
    ...(can(me, 'can_manage_asha')
      ? [{ id: 'asha/workers', href: '#/asha/workers', label: t('nav.ashaWorkers') }] : []),
    ...(can(me, 'can_manage_asha') || can(me, 'can_pay_asha')
      ? [{ id: 'asha/timeliness', href: '#/asha/timeliness', label: t('nav.ashaTimeliness') }] : []),
    // Didi ki Rasoi (features/kitchens): the hospital's operator enters days and submits bills; officers approve and pay.
    ...(can(me, 'can_run_kitchen') || can(me, 'can_manage_kitchens') || can(me, 'can_pay_kitchens')
      ? [{ id: 'kitchens', href: '#/kitchens', label: t('nav.kitchens') }] : []),
    // The state family register (features/registers): state, district and block officers.
    ...(['admin', 'state_officer', 'district_officer', 'block_officer'].includes(me.role)
      ? [{ id: 'registers', href: '#/registers', label: t('nav.registers') }] : []),
    // HIMCARE (features/schemes): officers see the set-up, enrol families and settle claims; a hospital's operator files claims.
    ...(['can_manage_schemes', 'can_enrol_schemes', 'can_read_schemes', 'can_file_scheme_claims', 'can_settle_scheme_claims'].some((p) => can(me, p))
      ? [{ id: 'schemes', href: '#/schemes', label: t('nav.schemes') }] : []),
    ...(['admin', 'state_officer'].includes(me.role) && can(me, 'can_update_metadata')
      ? [{ id: 'metadata', href: '#/metadata', label: t('nav.metadata') }] : []),
  ];
  return (
    <header className="app-header">
      <a className="skip-link" href="#main">{t('nav.skip')}</a>
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">✚</span>
        <span className="brand-name">{t('app.name')}</span>
      </div>
      <nav aria-label={t('nav.label')}>
        <ul>
          {links.map((l) => (
            <li key={l.id}>
              <a href={l.href} aria-current={current === l.id ? 'page' : undefined}>{l.label}</a>
            </li>
          ))}
        </ul>
      </nav>
      <div className="header-user">
        <span className="user-name">{me.name || me.username}</span>
        <span className="user-role">{tx(`role.${me.role}`, me.role)}</span>
        <span className="user-unit" title={t('header.orgUnit')}>
          {unitName(unit, lang)}
        </span>
      </div>
      <LangSwitch />
      <button type="button" className="secondary" onClick={onLogout}>{t('header.logout')}</button>
    </header>
  );
}
