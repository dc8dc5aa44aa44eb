import { QueryClient, QueryClientProvider, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { useTranslation } from 'react-i18next';
import { ApiError, setCsrfToken } from '../api/client';
import { portalApi } from '../api/portal';
import { ErrorText } from '../components/ErrorText';
import { initI18n, toggleLanguage } from '../i18n';
import '../styles.css';
import { Home } from './Home';
import { portalText } from './i18n';
import { SignIn } from './SignIn';
import { TicketView } from './TicketView';
import { SurveyPage } from './SurveyPage';
import { surveysText } from '../locales/surveys';
import { privacyText } from '../locales/privacy';
import { MyData } from './MyData';
import { faqText } from '../locales/faq';
import { Faq } from './Faq';
import { chatPortalText } from '../locales/chat-portal';
import { chatSystemText } from '../locales/chat-system';
import { PortalChat } from './Chat';
import { hasStoredChat } from './useCustomerChat';

// The customer portal: sign in by SMS code (or the link from a notification), submit a request,
// follow it, answer, and confirm the resolution or say it is not solved. Mobile first.

initI18n([portalText, surveysText, privacyText, faqText, chatPortalText, chatSystemText]);
/** A survey link (/portal/?survey=TOKEN) opens the survey page, without signing in. */
const surveyToken = new URLSearchParams(window.location.search).get('survey');
const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });

function Portal() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const session = useQuery({
    queryKey: ['portal-session'],
    queryFn: async () => {
      const link = new URLSearchParams(window.location.search).get('link');
      if (link) {
        window.history.replaceState(null, '', window.location.pathname);
        return portalApi.signInByLink(link);
      }
      try {
        return await portalApi.session();
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }
    },
  });
  const [open, setOpen] = useState<string | null>(null);
  const [myData, setMyData] = useState(false);
  // A conversation under way in this browser opens again after a reload.
  const [chat, setChat] = useState(hasStoredChat);
  useEffect(() => {
    if (session.data?.ticketId) setOpen(session.data.ticketId);
  }, [session.data?.ticketId]);
  if (session.data) setCsrfToken(session.data.csrfToken);
  const signOut = useMutation({
    mutationFn: portalApi.signOut,
    onSettled: () => client.setQueryData(['portal-session'], null),
  });

  return (
    <div className="portal">
      <header className="topbar">
        <strong className="brand">{t('portal.title')}</strong>
        <span className="spacer" />
        <button type="button" className="link" onClick={toggleLanguage}>
          {t('app.language')}
        </button>
        {session.data?.phone && (
          <button type="button" className="link" onClick={() => (setMyData(true), setOpen(null))}>
            {t('myData.open')}
          </button>
        )}
        {session.data && (
          <button type="button" className="link" onClick={() => signOut.mutate()}>
            {t('portal.signOut')}
          </button>
        )}
      </header>
      <main>
        <ErrorText error={session.error} />
        {session.isPending ? null : chat ? (
          <PortalChat signedIn={Boolean(session.data?.phone)} onBack={() => setChat(false)} />
        ) : !session.data ? (
          <>
            <ChatButton onOpen={() => setChat(true)} />
            <SignIn onSignedIn={(s) => client.setQueryData(['portal-session'], s)} />
            <Faq />
          </>
        ) : myData && session.data.phone ? (
          <MyData onBack={() => setMyData(false)} />
        ) : open ? (
          <TicketView id={open} onBack={session.data.ticketId ? undefined : () => setOpen(null)} />
        ) : (
          <>
            <ChatButton onOpen={() => setChat(true)} />
            <Home onOpen={setOpen} />
            <Faq />
          </>
        )}
      </main>
    </div>
  );
}

/** The way into the live chat, above the rest of the page. */
function ChatButton({ onOpen }: { onOpen: () => void }) {
  const { t } = useTranslation();
  return (
    <button type="button" className="primary chat-open" onClick={onOpen} data-action="open-chat">
      💬 {t('chat.open')}
    </button>
  );
}

/** The survey page on its own: the link is the credential, so no session is asked for. */
function SurveyPortal({ token }: { token: string }) {
  const { t } = useTranslation();
  return (
    <div className="portal">
      <header className="topbar">
        <strong className="brand">{t('portal.title')}</strong>
        <span className="spacer" />
        <button type="button" className="link" onClick={toggleLanguage}>
          {t('app.language')}
        </button>
      </header>
      <main>
        <SurveyPage token={token} />
      </main>
    </div>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      {surveyToken ? <SurveyPortal token={surveyToken} /> : <Portal />}
    </QueryClientProvider>
  </StrictMode>,
);
