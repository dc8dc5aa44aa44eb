import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import type { StaffAbility } from '../api/types';
import { toggleLanguage } from '../i18n';

export function Layout(props: {
  user: { displayName: string; abilities: StaffAbility[] };
  presence?: ReactNode;
  onSignOut: () => void;
  banner?: ReactNode;
  /** My unread notifications (kept live by the event stream). */
  unread?: number;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div className="shell">
      <header className="topbar">
        <strong className="brand">Loopdesk</strong>
        <nav>
          <NavLink to="/" end>
            {t('nav.queue')}
          </NavLink>
          {/* Only what the server grants this person (the session's abilities). */}
          {props.user.abilities.includes('create_ticket') && <NavLink to="/new">{t('nav.new')}</NavLink>}
          {props.user.abilities.includes('supervise') && <NavLink to="/board">{t('nav.board')}</NavLink>}
          {props.user.abilities.includes('supervise') && <NavLink to="/kpi">{t('nav.kpi')}</NavLink>}
          {props.user.abilities.includes('supervise') ? (
            <NavLink to="/appraisal" end>
              {t('nav.appraisal')}
            </NavLink>
          ) : (
            <NavLink to="/appraisal/me">{t('nav.myAppraisal')}</NavLink>
          )}
          <NavLink to="/replies">{t('nav.replies')}</NavLink>
          <NavLink to="/knowledge">{t('nav.knowledge')}</NavLink>
          {props.user.abilities.includes('supervise') && <NavLink to="/deliveries">{t('nav.deliveries')}</NavLink>}
          {props.user.abilities.includes('work_callbacks') && <NavLink to="/callbacks">{t('nav.callbacks')}</NavLink>}
          {props.user.abilities.includes('inspect_quality') && <NavLink to="/qa/samples">{t('nav.qaInspect')}</NavLink>}
          {props.user.abilities.includes('my_reviews') && <NavLink to="/qa/reviews">{t('nav.qaMine')}</NavLink>}
          {props.user.abilities.includes('supervise_quality') && (
            <NavLink to="/qa/overview">{t('nav.qaOverview')}</NavLink>
          )}
          {props.user.abilities.includes('handle_privacy') && <NavLink to="/privacy">{t('nav.privacy')}</NavLink>}
          {props.user.abilities.includes('read_customers') && <NavLink to="/referrals">{t('nav.referrals')}</NavLink>}
          {props.user.abilities.includes('supervise') && (
            <NavLink to="/training" end>
              {t('nav.training')}
            </NavLink>
          )}
          <NavLink to="/training/me">{t('nav.myTraining')}</NavLink>
          <NavLink to="/incidents">{t('nav.incidents')}</NavLink>
          {props.user.abilities.includes('administer') && <NavLink to="/admin">{t('admin.title')}</NavLink>}
        </nav>
        <span className="spacer" />
        <NavLink
          to="/inbox"
          className="inbox-link"
          aria-label={t('inbox.unreadBadge', { count: props.unread ?? 0 })}
          title={t('inbox.unreadBadge', { count: props.unread ?? 0 })}
        >
          <svg className="bell" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <path
              fill="currentColor"
              d="M8 16a2 2 0 0 0 2-2H6a2 2 0 0 0 2 2zm5-5V7a5 5 0 0 0-4-4.9V1a1 1 0 1 0-2 0v1.1A5 5 0 0 0 3 7v4l-1.5 1.5V13h13v-.5z"
            />
          </svg>{' '}
          {t('nav.inbox')}
          {(props.unread ?? 0) > 0 && (
            <span className="unread-count" data-testid="unread-count">
              {props.unread! > 99 ? '99+' : props.unread}
            </span>
          )}
        </NavLink>
        {props.presence}
        <span className="who">{props.user.displayName}</span>
        <button type="button" className="link" onClick={toggleLanguage}>
          {t('app.language')}
        </button>
        <button type="button" className="link" onClick={props.onSignOut}>
          {t('app.signOut')}
        </button>
      </header>
      {props.banner}
      <main>{props.children}</main>
    </div>
  );
}
