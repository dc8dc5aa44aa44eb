import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { portalApi, type PortalSession } from '../api/portal';
import { ErrorText } from '../components/ErrorText';

/** Sign-in by phone number and the six-digit code sent by SMS. */
export function SignIn({ onSignedIn }: { onSignedIn: (s: PortalSession) => void }) {
  const { t } = useTranslation();
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const send = useMutation({ mutationFn: () => portalApi.requestCode(phone) });
  const verify = useMutation({
    mutationFn: () => portalApi.signIn(phone, code),
    onSuccess: onSignedIn,
  });
  return (
    <form
      className="card"
      onSubmit={(e) => {
        e.preventDefault();
        verify.mutate();
      }}
    >
      <label>
        {t('portal.phone')}
        <span className="row">
          <input
            name="phone"
            inputMode="tel"
            autoComplete="tel"
            value={phone}
            onChange={(e) => setPhone(e.target.value)}
            required
          />
          <button type="button" onClick={() => send.mutate()} disabled={send.isPending || !phone}>
            {t('portal.sendCode')}
          </button>
        </span>
      </label>
      {send.isSuccess && <p className="ok">{t('portal.codeSent')}</p>}
      <ErrorText error={send.error} />
      <label>
        {t('portal.code')}
        <input
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          required
        />
      </label>
      <ErrorText error={verify.error} />
      <button type="submit" className="primary" disabled={verify.isPending}>
        {t('portal.signIn')}
      </button>
    </form>
  );
}
