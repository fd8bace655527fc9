import { useCallback, useEffect, useState } from 'react';
import { getToken, UNAUTHENTICATED_EVENT } from './api.ts';
import { Header } from './components/Header.tsx';
import { Notice } from './components/Notice.tsx';
import { LoginPage } from './features/auth/LoginPage.tsx';
import { landingPath } from './features/auth/landing.ts';
import { fetchMe, logout, SessionContext, useMe, type Me } from './features/auth/session.tsx';
import { AnalyticsPage } from './features/analytics/AnalyticsPage.tsx';
import { MetadataPage } from './features/metadata/MetadataPage.tsx';
import { SurveillancePage } from './features/surveillance/SurveillancePage.tsx';
import { CompliancePage } from './features/compliance/CompliancePage.tsx';
import { FacilityDetailPage } from './features/facilities/FacilityDetailPage.tsx';
import { FacilityFormPage } from './features/facilities/FacilityFormPage.tsx';
import { FacilityListPage } from './features/facilities/FacilityListPage.tsx';
import { MapPage } from './features/map/MapPage.tsx';
import { EntryPage } from './features/hmis/EntryPage.tsx';
import { ReturnsPage } from './features/hmis/ReturnsPage.tsx';
import { GeoScopeProvider } from './features/geo/GeoScope.tsx';
import { BreakGlassPage } from './features/patients/BreakGlassPage.tsx';
import { OpdQueuePage } from './features/patients/OpdQueuePage.tsx';
import { PatientRecordPage } from './features/patients/PatientRecordPage.tsx';
import { PatientsPage } from './features/patients/PatientsPage.tsx';
import { RegisterPatientPage } from './features/patients/RegisterPatientPage.tsx';
import { TeleStatsPage } from './features/telestats/TeleStatsPage.tsx';
import { ChoPage } from './features/telemedicine/ChoPage.tsx';
import { DoctorPage } from './features/telemedicine/DoctorPage.tsx';
import { HubPage } from './features/telemedicine/HubPage.tsx';
import { OpdBookPage } from './features/telemedicine/OpdBookPage.tsx';
import { OpdWaitPage } from './features/telemedicine/OpdWaitPage.tsx';
import { ReferralsPage } from './features/telemedicine/ReferralsPage.tsx';
import { CoveragePage } from './features/survey/CoveragePage.tsx';
import { forgetMe, offlineMe, rememberMe } from './features/survey/offline.ts';
import { SurveyPage } from './features/survey/SurveyPage.tsx';
import { UsersPage } from './features/users/UsersPage.tsx';
import { useI18n } from './i18n/i18n.tsx';
import { navigate, useHashRoute, type Route } from './router.ts';

type SessionState = { status: 'checking' } | { status: 'out' } | { status: 'in'; me: Me };

export function App() {
  const { t } = useI18n();
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
    if (!first || first === 'login') void landingPath(me).then((path) => navigate(path));
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
    return <OpdWaitPage key={route.segments[2]} id={route.segments[2]} query={route.query} />;
  }
  if (route.segments[0] === 'opd' && (route.segments[1] === 'book' || (!route.segments[1] && session.status === 'out'))) return <OpdBookPage />;
  if (session.status === 'checking') {
    return <main className="page"><Notice kind="info">{t('common.loading')}</Notice></main>;
  }
  if (session.status === 'out') {
    return <LoginPage onLogin={onLogin} />;
  }
  return (
    <SessionContext.Provider value={session.me}>
      <GeoScopeProvider me={session.me}>
        <Header me={session.me} route={route} onLogout={onLogout} />
        <main className="page" id="main">
          <Page route={route} />
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
  }
  if (first === 'opd') return <OpdQueuePage query={route.query} />;
  if (first === 'break-glass') return <BreakGlassPage />;
  if (first === 'users' && !second) return <UsersPage />;
  if (first === 'telemedicine' && second === 'stats') return <TeleStatsPage />;
  if (first === 'telemedicine' && !second) return <ChoPage query={route.query} />;
  if (first === 'telemedicine' && second === 'doctor') return <DoctorPage />;
  if (first === 'telemedicine' && second === 'hub') return <HubPage query={route.query} />;
  if (first === 'telemedicine' && second === 'referrals') return <ReferralsPage />;
  if (first === 'survey' && second === 'coverage') return <CoveragePage />;
  if (first === 'survey' && !second) return <SurveyPage />;
  return (
    <section>
      <h1>{t('notFound.title')}</h1>
      <p><a href="#/facilities">{t('nav.facilities')}</a></p>
    </section>
  );
}

/** Sends a signed-in user at `#/` to their own start page, replacing the empty address in the history. */
function Landing() {
  const { t } = useI18n();
  const me = useMe();
  useEffect(() => {
    let live = true;
    void landingPath(me).then((path) => {
      if (!live) return;
      history.replaceState(null, '', `#${path}`);
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
    return () => {
      live = false;
    };
  }, [me]);
  return <Notice kind="info">{t('common.loading')}</Notice>;
}
