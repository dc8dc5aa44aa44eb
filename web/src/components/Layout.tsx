import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import type { StaffAbility } from '../api/types';
import { toggleLanguage } from '../i18n';
import { DeskNav } from './DeskNav';

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
        <DeskNav abilities={props.user.abilities} />
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
