import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { setCsrfToken } from '../api/client';
import type { Session } from '../api/types';
import { ErrorText } from '../components/ErrorText';
import { toggleLanguage } from '../i18n';
import { deskApi } from '../api/desk';

export function LoginPage({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const login = useMutation({
    mutationFn: () => deskApi.signIn(username, password),
    onSuccess: (s) => {
      setCsrfToken(s.csrfToken);
      onSignedIn(s);
    },
  });
  return (
    <div className="login">
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          login.mutate();
        }}
      >
        <h1>{t('app.title')}</h1>
        <label>
          {t('login.username')}
          <input
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
            autoFocus
          />
        </label>
        <label>
          {t('login.password')}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        <ErrorText error={login.error} />
        <button type="submit" className="primary" disabled={login.isPending}>
          {login.isPending ? t('login.busy') : t('login.submit')}
        </button>
        <button type="button" className="link" onClick={toggleLanguage}>
          {t('app.language')}
        </button>
      </form>
    </div>
  );
}
