import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { getToken, UNAUTHENTICATED_EVENT } from './api.ts';
import { Header } from './components/Header.tsx';
import { Notice } from './components/Notice.tsx';
import { LoginPage } from './features/auth/LoginPage.tsx';
import { landingPath } from './features/auth/landing.ts';
import { fetchMe, logout, SessionContext, useMe, type Me } from './features/auth/session.tsx';
import { GeoScopeProvider } from './features/geo/GeoScope.tsx';
import { forgetMe, offlineMe, rememberMe } from './features/survey/offline.ts';
import { useI18n } from './i18n/i18n.tsx';
import { navigate, useHashRoute, type Route } from './router.ts';

// Each screen is its own chunk, fetched when first opened (the service worker precaches them all, so
// they open offline too); the first screen a field worker opens stays small.
const AnalyticsPage = lazy(() => import('./features/analytics/AnalyticsPage.tsx').then((m) => ({ default: m.AnalyticsPage })));
const MetadataPage = lazy(() => import('./features/metadata/MetadataPage.tsx').then((m) => ({ default: m.MetadataPage })));
const SurveillancePage = lazy(() => import('./features/surveillance/SurveillancePage.tsx').then((m) => ({ default: m.SurveillancePage })));
const CompliancePage = lazy(() => import('./features/compliance/CompliancePage.tsx').then((m) => ({ default: m.CompliancePage })));
const FacilityDetailPage = lazy(() => import('./features/facilities/FacilityDetailPage.tsx').then((m) => ({ default: m.FacilityDetailPage })));
const FacilityFormPage = lazy(() => import('./features/facilities/FacilityFormPage.tsx').then((m) => ({ default: m.FacilityFormPage })));
const FacilityListPage = lazy(() => import('./features/facilities/FacilityListPage.tsx').then((m) => ({ default: m.FacilityListPage })));
const MapPage = lazy(() => import('./features/map/MapPage.tsx').then((m) => ({ default: m.MapPage })));
const DispatchPage = lazy(() => import('./features/dispatch/DispatchPage.tsx').then((m) => ({ default: m.DispatchPage })));
const EntryPage = lazy(() => import('./features/hmis/EntryPage.tsx').then((m) => ({ default: m.EntryPage })));
const ReturnsPage = lazy(() => import('./features/hmis/ReturnsPage.tsx').then((m) => ({ default: m.ReturnsPage })));
const BreakGlassPage = lazy(() => import('./features/patients/BreakGlassPage.tsx').then((m) => ({ default: m.BreakGlassPage })));
const OpdQueuePage = lazy(() => import('./features/patients/OpdQueuePage.tsx').then((m) => ({ default: m.OpdQueuePage })));
const PatientRecordPage = lazy(() => import('./features/patients/PatientRecordPage.tsx').then((m) => ({ default: m.PatientRecordPage })));
const PatientEditPage = lazy(() => import('./features/patients/PatientEditPage.tsx').then((m) => ({ default: m.PatientEditPage })));
const MergePage = lazy(() => import('./features/patients/MergePanel.tsx').then((m) => ({ default: m.MergePage })));
const PatientsPage = lazy(() => import('./features/patients/PatientsPage.tsx').then((m) => ({ default: m.PatientsPage })));
const RegisterPatientPage = lazy(() => import('./features/patients/RegisterPatientPage.tsx').then((m) => ({ default: m.RegisterPatientPage })));
const TeleStatsPage = lazy(() => import('./features/telestats/TeleStatsPage.tsx').then((m) => ({ default: m.TeleStatsPage })));
const ChoPage = lazy(() => import('./features/telemedicine/ChoPage.tsx').then((m) => ({ default: m.ChoPage })));
const DoctorPage = lazy(() => import('./features/telemedicine/DoctorPage.tsx').then((m) => ({ default: m.DoctorPage })));
const HubPage = lazy(() => import('./features/telemedicine/HubPage.tsx').then((m) => ({ default: m.HubPage })));
const OpdBookPage = lazy(() => import('./features/telemedicine/OpdBookPage.tsx').then((m) => ({ default: m.OpdBookPage })));
const OpdWaitPage = lazy(() => import('./features/telemedicine/OpdWaitPage.tsx').then((m) => ({ default: m.OpdWaitPage })));
const ReferralsPage = lazy(() => import('./features/telemedicine/ReferralsPage.tsx').then((m) => ({ default: m.ReferralsPage })));
const CoveragePage = lazy(() => import('./features/survey/CoveragePage.tsx').then((m) => ({ default: m.CoveragePage })));
const SurveyPage = lazy(() => import('./features/survey/SurveyPage.tsx').then((m) => ({ default: m.SurveyPage })));
const PlacesPage = lazy(() => import('./features/geo/PlacesPage.tsx').then((m) => ({ default: m.PlacesPage })));
const FamiliesPage = lazy(() => import('./features/maternal/FamiliesPage.tsx').then((m) => ({ default: m.FamiliesPage })));
const FamilyPage = lazy(() => import('./features/maternal/FamiliesPage.tsx').then((m) => ({ default: m.FamilyPage })));
const NewFamilyPage = lazy(() => import('./features/maternal/FamiliesPage.tsx').then((m) => ({ default: m.NewFamilyPage })));
const UltrasoundPage = lazy(() => import('./features/maternal/UltrasoundPage.tsx').then((m) => ({ default: m.UltrasoundPage })));
const IncomingPage = lazy(() => import('./features/dispatch/IncomingPage.tsx').then((m) => ({ default: m.IncomingPage })));
const FleetPage = lazy(() => import('./features/ambulances/FleetPage.tsx').then((m) => ({ default: m.FleetPage })));
const ResponseTimesPage = lazy(() => import('./features/response-times/ResponseTimesPage.tsx').then((m) => ({ default: m.ResponseTimesPage })));
const MessagesPage = lazy(() => import('./features/messages/MessagesPage.tsx').then((m) => ({ default: m.MessagesPage })));
const UsersPage = lazy(() => import('./features/users/UsersPage.tsx').then((m) => ({ default: m.UsersPage })));
const HelplineCallPage = lazy(() => import('./features/helpline/CallPage.tsx').then((m) => ({ default: m.CallPage })));
const HelplineTransfersPage = lazy(() => import('./features/helpline/TransfersPage.tsx').then((m) => ({ default: m.TransfersPage })));
const HelplineOutboundPage = lazy(() => import('./features/helpline/OutboundPage.tsx').then((m) => ({ default: m.OutboundPage })));
const GrievanceFilePage = lazy(() => import('./features/grievances/FilePage.tsx').then((m) => ({ default: m.FilePage })));
const GrievanceTrackPage = lazy(() => import('./features/grievances/TrackPage.tsx').then((m) => ({ default: m.TrackPage })));
const GrievancePublicFiguresPage = lazy(() => import('./features/grievances/PublicFiguresPage.tsx').then((m) => ({ default: m.PublicFiguresPage })));
const GrievanceListPage = lazy(() => import('./features/grievances/OfficerListPage.tsx').then((m) => ({ default: m.OfficerListPage })));
const GrievanceTicketPage = lazy(() => import('./features/grievances/TicketPage.tsx').then((m) => ({ default: m.TicketPage })));
const GrievanceFiguresPage = lazy(() => import('./features/grievances/FiguresPage.tsx').then((m) => ({ default: m.FiguresPage })));
const AshaClaimsPage = lazy(() => import('./features/asha/ClaimsPage.tsx').then((m) => ({ default: m.ClaimsPage })));
const AshaVerifyPage = lazy(() => import('./features/asha/VerifyPage.tsx').then((m) => ({ default: m.VerifyPage })));
const AshaPaymentsPage = lazy(() => import('./features/asha/PaymentsPage.tsx').then((m) => ({ default: m.PaymentsPage })));
const AshaWorkersPage = lazy(() => import('./features/asha/WorkersPage.tsx').then((m) => ({ default: m.WorkersPage })));
const AshaTimelinessPage = lazy(() => import('./features/asha/TimelinessPage.tsx').then((m) => ({ default: m.TimelinessPage })));
const KitchensPage = lazy(() => import('./features/kitchens/KitchensPage.tsx').then((m) => ({ default: m.KitchensPage })));
const RegistersPage = lazy(() => import('./features/registers/RegistersPage.tsx').then((m) => ({ default: m.RegistersPage })));
const SchemesPage = lazy(() => import('./features/schemes/SchemesPage.tsx').then((m) => ({ default: m.SchemesPage })));
const SchemesPublicPage = lazy(() => import('./features/schemes/PublicCoveragePage.tsx').then((m) => ({ default: m.PublicCoveragePage })));

type SessionState = { status: 'checking' } | { status: 'out' } | { status: 'in'; me: Me };

export function App() {
  const route = useHashRoute();
  const [session, setSession] = useState<SessionState>(() =>
    getToken() ? { status: 'checking' } : { status: 'out' },
  );

  useEffect(() => {
    if (session.status !== 'checking') return;
    let live = true;
    fetchMe()
      .then((me) => { rememberMe(me); if (live) setSession({ status: 'in', me }); })
      .catch((err) => {
        // Offline (the page came from the service worker): carry on as the user last signed in.
        const known = offlineMe(err);
        if (live) setSession(known ? { status: 'in', me: known } : { status: 'out' });
      });
    return () => {
      live = false;
    };
  }, [session.status]);

  useEffect(() => {
    const onOut = () => setSession({ status: 'out' });
    window.addEventListener(UNAUTHENTICATED_EVENT, onOut);
    return () => window.removeEventListener(UNAUTHENTICATED_EVENT, onOut);
  }, []);

  const onLogin = useCallback((me: Me) => {
    rememberMe(me);
    setSession({ status: 'in', me });
    const first = window.location.hash.replace(/^#\/?/, '').split(/[/?]/)[0];
    // Each role starts on its own work (features/auth/landing.ts).
    // Only while the address is still the sign-in page: someone who went on to a page meanwhile stays there.
    if (!first || first === 'login') {
      const at = window.location.hash;
      void landingPath(me).then((path) => { if (window.location.hash === at) navigate(path); });
    }
  }, []);

  const onLogout = useCallback(async () => {
    await logout().catch(() => undefined);
    forgetMe();
    setSession({ status: 'out' });
    navigate('/login');
  }, []);

  // The citizen's OPD from home needs no sign-in: the waiting room always, booking at #/opd/book, and
  // at #/opd when nobody is signed in (staff signed in keep #/opd as the counter's OPD queue).
  if (route.segments[0] === 'opd' && route.segments[1] === 'wait' && route.segments[2]) {
    return <Suspense fallback={<Loading page />}><OpdWaitPage key={route.segments[2]} id={route.segments[2]} query={route.query} /></Suspense>;
  }
  if (route.segments[0] === 'opd' && (route.segments[1] === 'book' || (!route.segments[1] && session.status === 'out'))) {
    return <Suspense fallback={<Loading page />}><OpdBookPage /></Suspense>;
  }
  // A citizen's complaint needs no sign-in: filing at #/complaint, tracking, the public figures.
  if (route.segments[0] === 'complaint') {
    const sub = route.segments[1];
    return (
      <Suspense fallback={<Loading page />}>
        {sub === 'track' ? <GrievanceTrackPage query={route.query} /> : sub === 'figures' ? <GrievancePublicFiguresPage /> : <GrievanceFilePage />}
      </Suspense>
    );
  }
  // HIMCARE's public figures by district or block need no sign-in (#/himcare?by=&year=).
  if (route.segments[0] === 'himcare') return <Suspense fallback={<Loading page />}><SchemesPublicPage query={route.query} /></Suspense>;
  if (session.status === 'checking') return <Loading page />;
  if (session.status === 'out') {
    return <LoginPage onLogin={onLogin} />;
  }
  return (
    <SessionContext.Provider value={session.me}>
      <GeoScopeProvider me={session.me}>
        <Header me={session.me} route={route} onLogout={onLogout} />
        <main className="page" id="main">
          <Suspense fallback={<Loading />}>
            <Page route={route} />
          </Suspense>
        </main>
      </GeoScopeProvider>
    </SessionContext.Provider>
  );
}

function Page({ route }: { route: Route }) {
  const { t } = useI18n();
  const [first, second, third] = route.segments;
  if (!first || first === 'login') {
    // Signed in already: the user's own start page.
    return <Landing />;
  }
  if (first === 'facilities') {
    if (!second) return <FacilityListPage query={route.query} />;
    if (second === 'new') return <FacilityFormPage key="new" />;
    if (third === 'edit') return <FacilityFormPage key={`edit-${second}`} id={second} />;
    if (!third) return <FacilityDetailPage key={second} id={second} />;
  }
  if (first === 'map') return <MapPage />;
  if (first === 'dispatch' && !second) return <DispatchPage />;
  if (first === 'compliance') return <CompliancePage />;
  if (first === 'hmis' && second === 'entry') return <EntryPage query={route.query} />;
  if (first === 'hmis' && second === 'returns') return <ReturnsPage query={route.query} />;
  if (first === 'analytics') return <AnalyticsPage />;
  if (first === 'metadata') return <MetadataPage id={second} />;
  if (first === 'surveillance') return <SurveillancePage query={route.query} />;
  if (first === 'patients') {
    if (!second) return <PatientsPage query={route.query} />;
    if (second === 'new') return <RegisterPatientPage />;
    if (!third) return <PatientRecordPage key={second} id={second} />;
    if (third === 'edit') return <PatientEditPage key={`edit-${second}`} id={second} />;
    if (third === 'merge') return <MergePage key={`merge-${second}`} id={second} query={route.query} />;
  }
  if (first === 'opd') return <OpdQueuePage query={route.query} />;
  if (first === 'ultrasound' && !second) return <UltrasoundPage />;
  if (first === 'families') {
    if (!second) return <FamiliesPage />;
    if (second === 'new') return <NewFamilyPage query={route.query} />;
    if (!third) return <FamilyPage key={second} id={second} />;
  }
  if (first === 'break-glass') return <BreakGlassPage />;
  if (first === 'users' && !second) return <UsersPage />;
  if (first === 'messages' && !second) return <MessagesPage query={route.query} />;
  if (first === 'places') return <PlacesPage key={second ?? ''} id={second} />;
  if (first === 'telemedicine' && second === 'stats') return <TeleStatsPage />;
  if (first === 'telemedicine' && !second) return <ChoPage query={route.query} />;
  if (first === 'telemedicine' && second === 'doctor') return <DoctorPage />;
  if (first === 'telemedicine' && second === 'hub') return <HubPage query={route.query} />;
  if (first === 'telemedicine' && second === 'referrals') return <ReferralsPage />;
  if (first === 'ambulances' && !second) return <FleetPage />;
  if (first === 'ambulances' && second === 'response') return <ResponseTimesPage />;
  if (first === 'ambulances' && second === 'incoming') return <IncomingPage />;
  if (first === 'grievances' && !second) return <GrievanceListPage query={route.query} />;
  if (first === 'grievances' && second === 'figures') return <GrievanceFiguresPage />;
  if (first === 'grievances' && second && !third) return <GrievanceTicketPage key={second} ticketNumber={second} />;
  if (first === 'survey' && second === 'coverage') return <CoveragePage />;
  if (first === 'survey' && !second) return <SurveyPage />;
  if (first === 'helpline' && !second) return <HelplineCallPage />;
  if (first === 'helpline' && second === 'transfers') return <HelplineTransfersPage />;
  if (first === 'helpline' && second === 'outbound') return <HelplineOutboundPage />;
  // ASHA incentives (features/asha): her claims, the verifiers' queue, payments, the register, days to pay.
  if (first === 'asha' && second === 'claims') return <AshaClaimsPage />;
  if (first === 'asha' && second === 'verify') return <AshaVerifyPage />;
  if (first === 'asha' && second === 'payments') return <AshaPaymentsPage />;
  if (first === 'asha' && second === 'workers') return <AshaWorkersPage />;
  if (first === 'asha' && second === 'timeliness') return <AshaTimelinessPage />;
  // Didi ki Rasoi (features/kitchens): the kitchens of the area; a kitchen's days and monthly bill.
  if (first === 'kitchens' && !third) return <KitchensPage key={second ?? ''} id={second} query={route.query} />;
  // The state family register (features/registers): import, matches to review, families by panchayat.
  if (first === 'registers' && !second) return <RegistersPage />;
  // HIMCARE (features/schemes): the set-up, enrolment and cards, claims, figures by panchayat (#/schemes/enrol, #/schemes/claims, #/schemes/coverage open a tab).
  if (first === 'schemes' && !third) return <SchemesPage key={second ?? ''} tab={second} />;
  return (
    <section>
      <h1>{t('notFound.title')}</h1>
      <p><a href="#/facilities">{t('nav.facilities')}</a></p>
    </section>
  );
}

/** What shows while a screen's chunk is fetched (or the session is checked): the loading notice. */
function Loading({ page = false }: { page?: boolean }) {
  const { t } = useI18n();
  const notice = <Notice kind="info">{t('common.loading')}</Notice>;
  return page ? <main className="page">{notice}</main> : notice;
}

/** Sends a signed-in user at `#/` to their own start page, replacing the empty address in the history. */
function Landing() {
  const { t } = useI18n();
  const me = useMe();
  useEffect(() => {
    let live = true;
    // The address may change before this screen is gone (a page opened meanwhile): that page stays.
    const at = window.location.hash;
    void landingPath(me).then((path) => {
      if (!live || window.location.hash !== at) return;
      history.replaceState(null, '', `#${path}`);
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
    return () => {
      live = false;
    };
  }, [me]);
  return <Notice kind="info">{t('common.loading')}</Notice>;
}
