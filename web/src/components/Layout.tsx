import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { toggleLanguage } from '../i18n';

export function Layout(props: {
  user: { displayName: string; role: string };
  presence?: ReactNode;
  onSignOut: () => void;
  banner?: ReactNode;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const supervisor = props.user.role === 'supervisor' || props.user.role === 'admin';
  return (
    <div className="shell">
      <header className="topbar">
        <strong className="brand">Loopdesk</strong>
        <nav>
          <NavLink to="/" end>
            {t('nav.queue')}
          </NavLink>
          <NavLink to="/new">{t('nav.new')}</NavLink>
          {supervisor && <NavLink to="/board">{t('nav.board')}</NavLink>}
        </nav>
        <span className="spacer" />
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
