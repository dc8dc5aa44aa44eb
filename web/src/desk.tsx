import { QueryClient, QueryClientProvider, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, StrictMode, Suspense, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Link, Route, Routes, useLocation, useNavigate } from 'react-router';
import { ApiError, setCsrfToken } from './api/client';
import type { Agent, Session, StaffAbility } from './api/types';
import { TierBadge } from './components/Badges';
import { Layout } from './components/Layout';
import { usePresence } from './components/usePresence';
import { isShortcutKey } from './components/shortcuts';
import { useLiveUpdates } from './features/live/useLiveUpdates';
import { useUnreadCount } from './features/notifications/useUnreadCount';
import { initI18n, setTimeZone } from './i18n';
import { adminText } from './locales/admin';
import { callbacksText } from './locales/callbacks';
import { surveyProblemsText } from './locales/survey-problems';
import { qaText } from './locales/qa';
import { incidentsText } from './locales/incidents';
import { careText } from './locales/care';
import { closingText } from './locales/closing';
import { assignmentText } from './locales/assignment';
import { deliveriesText } from './locales/deliveries';
import { knowledgeText } from './locales/knowledge';
import { deskExtraText } from './locales/desk-extra';
import { notificationsText } from './locales/notifications';
import { surveysText } from './locales/surveys';
import { qualityText } from './locales/quality';
import { trainingText } from './locales/training';
import { repliesText } from './locales/replies';
import { kpiText } from './locales/kpi';
import { wallboardText } from './locales/wallboard';
import { appraisalText } from './locales/appraisal';
import { regulatorText } from './locales/regulator';
import { privacyText } from './locales/privacy';
import { classificationText } from './locales/classification';
import { chatDeskText } from './locales/chat-desk';
import { chatSystemText } from './locales/chat-system';
import { LoginPage } from './routes/LoginPage';
import './styles.css';
import { deskApi } from './api/desk';

// Each screen is its own chunk: the first load is the shell, the sign-in form and the queue.
const QueuePage = lazy(() => import('./routes/QueuePage'));
const TicketPage = lazy(() => import('./routes/TicketPage'));
const NewTicketPage = lazy(() => import('./routes/NewTicketPage'));
const BoardPage = lazy(() => import('./routes/BoardPage'));
const WallboardPage = lazy(() => import('./routes/WallboardPage'));
const AdminPage = lazy(() => import('./admin/AdminPage'));
const InboxPage = lazy(() => import('./routes/InboxPage'));
const RepliesPage = lazy(() => import('./routes/RepliesPage'));
const DeliveriesPage = lazy(() => import('./routes/DeliveriesPage'));
const CallbacksPage = lazy(() => import('./routes/CallbacksPage'));
const SurveyProblemsPage = lazy(() => import('./routes/SurveyProblemsPage'));
const QaSamplesPage = lazy(() => import('./routes/QaPage').then((m) => ({ default: m.QaSamplesPage })));
const QaMyReviewsPage = lazy(() => import('./routes/QaPage').then((m) => ({ default: m.QaMyReviewsPage })));
const QaOverviewPage = lazy(() => import('./routes/QaPage').then((m) => ({ default: m.QaOverviewPage })));
const PrivacyPage = lazy(() => import('./routes/PrivacyPage'));
const ReferralsPage = lazy(() => import('./routes/ReferralsPage'));
const DashboardPage = lazy(() => import('./routes/DashboardPage'));
const AppraisalPage = lazy(() => import('./routes/AppraisalPage'));
const TrainingPage = lazy(() => import('./routes/TrainingPage'));
const TrainingRecordPage = lazy(() => import('./routes/TrainingRecordPage'));
const KnowledgePage = lazy(() => import('./routes/KnowledgePage'));
const IncidentsPage = lazy(() => import('./routes/IncidentsPage'));
const ChatPage = lazy(() => import('./routes/ChatPage'));

initI18n([
  kpiText,
  wallboardText,
  appraisalText,
  adminText,
  callbacksText,
  surveyProblemsText,
  qaText,
  incidentsText,
  classificationText,
  careText,
  closingText,
  assignmentText,
  deskExtraText,
  notificationsText,
  repliesText,
  deliveriesText,
  surveysText,
  regulatorText,
  qualityText,
  privacyText,
  trainingText,
  knowledgeText,
  chatDeskText,
  chatSystemText,
]);
const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      staleTime: 10_000,
    },
  },
});

function Desk() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const session = useQuery({
    queryKey: ['session'],
    queryFn: async () => {
      try {
        return await deskApi.session();
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }
    },
  });
  if (session.data) {
    setCsrfToken(session.data.csrfToken);
    setTimeZone(session.data.timeZone);
  }
  const live = useLiveUpdates(Boolean(session.data));
  const unread = useUnreadCount(Boolean(session.data));
  const signOut = useMutation({
    mutationFn: deskApi.signOut,
    // Nothing the last person saw stays in memory for the next one at this desk.
    onSettled: () => {
      client.clear();
      client.setQueryData(['session'], null);
    },
  });
  useGoShortcuts(session.data?.staff.abilities ?? []);

  if (session.isPending) return <p className="loading">{t('list.loading')}</p>;
  if (!session.data) return <LoginPage onSignedIn={(s) => client.setQueryData(['session'], s)} />;
  const banner = live.pop && (
    <div className="screen-pop" role="status">
      ☎{' '}
      <strong className="caller">
        {live.pop.caller.name ? t('screenPop.caller', { name: live.pop.caller.name }) : t('screenPop.unknown')}
      </strong>{' '}
      <span className="caller-number">{live.pop.caller.number}</span>
      {live.pop.caller.tier && <TierBadge tier={live.pop.caller.tier} />}
      {live.pop.openTicketIds.map((id, i) => (
        <Link key={id} to={`/tickets/${id}`}>
          {t('live.openTicket', { n: i + 1 })}
        </Link>
      ))}
      {session.data.staff.abilities.includes('create_ticket') && (
        <Link to={`/new${live.pop.customerId ? `?customer=${live.pop.customerId}` : ''}`}>{t('nav.new')}</Link>
      )}
      <button type="button" className="link" onClick={live.dismiss}>
        ×
      </button>
    </div>
  );
  return (
    <Layout
      user={session.data.staff}
      presence={<PresenceSwitch me={session.data.staff} />}
      onSignOut={() => signOut.mutate()}
      banner={banner}
      unread={unread}
    >
      <Suspense fallback={<p className="loading">{t('list.loading')}</p>}>
        <Routes>
          <Route path="/" element={<QueuePage me={session.data.staff} />} />
          <Route path="/tickets/:id" element={<TicketPage me={session.data.staff} />} />
          <Route
            path="/new"
            element={session.data.staff.abilities.includes('create_ticket') ? <NewTicketPage /> : <NotForYou />}
          />
          <Route
            path="/board"
            element={session.data.staff.abilities.includes('supervise') ? <BoardPage /> : <NotForYou />}
          />
          <Route
            path="/wallboard"
            element={session.data.staff.abilities.includes('supervise') ? <WallboardPage /> : <NotForYou />}
          />
          <Route path="/inbox" element={<InboxPage />} />
          <Route path="/replies" element={<RepliesPage />} />
          <Route path="/chat" element={<ChatPage me={session.data.staff} />} />
          <Route path="/chat/:id" element={<ChatPage me={session.data.staff} />} />
          <Route
            path="/kpi"
            element={session.data.staff.abilities.includes('supervise') ? <DashboardPage /> : <NotForYou />}
          />
          <Route
            path="/appraisal"
            element={session.data.staff.abilities.includes('supervise') ? <AppraisalPage /> : <NotForYou />}
          />
          <Route path="/appraisal/me" element={<AppraisalPage mine />} />
          <Route
            path="/deliveries"
            element={session.data.staff.abilities.includes('supervise') ? <DeliveriesPage /> : <NotForYou />}
          />
          <Route
            path="/callbacks"
            element={session.data.staff.abilities.includes('work_callbacks') ? <CallbacksPage /> : <NotForYou />}
          />
          <Route
            path="/callbacks/:id"
            element={session.data.staff.abilities.includes('work_callbacks') ? <CallbacksPage /> : <NotForYou />}
          />
          <Route
            path="/survey-problems"
            element={session.data.staff.abilities.includes('work_callbacks') ? <SurveyProblemsPage /> : <NotForYou />}
          />
          <Route path="/knowledge" element={<KnowledgePage abilities={session.data.staff.abilities} />} />
          <Route path="/knowledge/:id" element={<KnowledgePage abilities={session.data.staff.abilities} />} />
          <Route
            path="/qa/samples"
            element={session.data.staff.abilities.includes('inspect_quality') ? <QaSamplesPage /> : <NotForYou />}
          />
          <Route
            path="/qa/samples/:id"
            element={session.data.staff.abilities.includes('inspect_quality') ? <QaSamplesPage /> : <NotForYou />}
          />
          <Route
            path="/qa/reviews"
            element={session.data.staff.abilities.includes('my_reviews') ? <QaMyReviewsPage /> : <NotForYou />}
          />
          <Route
            path="/qa/overview"
            element={session.data.staff.abilities.includes('supervise_quality') ? <QaOverviewPage /> : <NotForYou />}
          />
          <Route
            path="/privacy"
            element={session.data.staff.abilities.includes('handle_privacy') ? <PrivacyPage /> : <NotForYou />}
          />
          <Route
            path="/privacy/:id"
            element={session.data.staff.abilities.includes('handle_privacy') ? <PrivacyPage /> : <NotForYou />}
          />
          <Route
            path="/referrals"
            element={
              session.data.staff.abilities.includes('read_customers') ? (
                <ReferralsPage canCreate={session.data.staff.abilities.includes('create_ticket')} />
              ) : (
                <NotForYou />
              )
            }
          />
          <Route
            path="/referrals/:id"
            element={
              session.data.staff.abilities.includes('read_customers') ? (
                <ReferralsPage canCreate={session.data.staff.abilities.includes('create_ticket')} />
              ) : (
                <NotForYou />
              )
            }
          />
          <Route
            path="/training"
            element={session.data.staff.abilities.includes('supervise') ? <TrainingPage /> : <NotForYou />}
          />
          <Route path="/training/people/:id" element={<TrainingRecordPage me={session.data.staff} />} />
          <Route path="/training/me" element={<TrainingRecordPage me={session.data.staff} />} />
          <Route
            path="/incidents"
            element={<IncidentsPage canManage={session.data.staff.abilities.includes('manage_incidents')} />}
          />
          <Route
            path="/incidents/:id"
            element={<IncidentsPage canManage={session.data.staff.abilities.includes('manage_incidents')} />}
          />
          <Route
            path="/admin/*"
            element={session.data.staff.abilities.includes('administer') ? <AdminPage /> : <NotForYou />}
          />
        </Routes>
      </Suspense>
    </Layout>
  );
}

/** A page this person's role does not offer (reached by its address): a sentence, no controls that would fail. */
function NotForYou() {
  const { t } = useTranslation();
  return (
    <p className="empty not-for-you" role="status">
      {t('app.notForYou')} <Link to="/">{t('nav.queue')}</Link>
    </p>
  );
}

/** Online / away / offline: going online makes automatic queues hand this agent work at once. */
function PresenceSwitch({ me }: { me: Session['staff'] }) {
  const { t } = useTranslation();
  const { presence, set } = usePresence(me.id);
  if (!presence) return null;
  return (
    <select
      className={`presence presence-${presence}`}
      aria-label={t('board.presence')}
      value={presence}
      onChange={(e) => set.mutate(e.target.value as Agent['presence'])}
    >
      {(['online', 'away', 'offline'] as const).map((p) => (
        <option key={p} value={p}>
          ● {t(`presence.${p}`)}
        </option>
      ))}
    </select>
  );
}

/**
 * "g q" goes to the queues, "g n" to a new ticket, "g b" to the board, "g i" to the inbox, "/" to the ticket search
 * (from any screen), wherever focus is not in a field. The queue page focuses its own search box.
 */
function useGoShortcuts(abilities: readonly StaffAbility[]) {
  const canCreate = abilities.includes('create_ticket');
  const canSupervise = abilities.includes('supervise');
  const navigate = useNavigate();
  const location = useLocation();
  useEffect(() => {
    let pendingG = false;
    const onKey = (e: KeyboardEvent) => {
      if (!isShortcutKey(e)) return;
      if (pendingG && e.key === 'q') void navigate('/');
      if (pendingG && e.key === 'n' && canCreate) void navigate('/new');
      if (pendingG && e.key === 'b' && canSupervise) void navigate('/board');
      if (pendingG && e.key === 'i') void navigate('/inbox');
      if (e.key === '/' && location.pathname !== '/') {
        e.preventDefault();
        void navigate('/', { state: { focusSearch: true } });
      }
      pendingG = e.key === 'g';
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate, location.pathname, canCreate, canSupervise]);
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <Desk />
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
