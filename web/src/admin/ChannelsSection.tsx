import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Channel } from '../../../src/core/tickets/types';
import { adminDirectory, type ChannelSettings } from '../api/admin-directory';
import { ErrorText } from '../components/ErrorText';
import './admin-directory.css';

const ENVIRONMENT = '__environment__';
const NO_QUEUE = '__none__';

/** Channel settings kept in the database (intake queues) and what the environment configures (read-only). */
export default function ChannelsSection() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const settings = useQuery({ queryKey: ['admin', 'channel-settings'], queryFn: adminDirectory.channelSettings });
  const teams = useQuery({ queryKey: ['admin', 'teams'], queryFn: adminDirectory.teams });
  const change = useMutation({
    mutationFn: ({ channel, value }: { channel: Channel; value: string }) =>
      value === ENVIRONMENT
        ? adminDirectory.resetIntakeQueue(channel)
        : adminDirectory.setIntakeQueue(channel, value === NO_QUEUE ? null : value),
    onSuccess: (data) => client.setQueryData(['admin', 'channel-settings'], data),
  });

  return (
    <div className="dir-section channels-section">
      <h2>{t('admin.channels.title')}</h2>
      <p className="muted intro">{t('admin.channels.intro')}</p>
      <ErrorText error={settings.error ?? teams.error ?? change.error} />
      <div className="dir-grid">
        <section className="panel intake">
          <h3>{t('admin.channels.intake')}</h3>
          <p className="muted">{t('admin.channels.intakeIntro')}</p>
          <table>
            <thead>
              <tr>
                <th>{t('admin.channels.channel')}</th>
                <th>{t('admin.channels.queue')}</th>
                <th>{t('admin.channels.source')}</th>
              </tr>
            </thead>
            <tbody>
              {settings.data?.channels.map((c) => (
                <tr key={c.channel} data-channel={c.channel}>
                  <td>{t(`admin.channels.names.${c.channel}`)}</td>
                  <td>
                    <select
                      aria-label={t('admin.channels.queue')}
                      value={c.source === 'environment' ? ENVIRONMENT : (c.intakeQueue?.teamId ?? NO_QUEUE)}
                      disabled={change.isPending}
                      onChange={(e) => change.mutate({ channel: c.channel, value: e.target.value })}
                    >
                      <option value={ENVIRONMENT}>
                        {c.environmentCode
                          ? t('admin.channels.environmentValue', {
                              team:
                                c.source === 'environment' && c.intakeQueue
                                  ? `${c.intakeQueue.name} (${c.environmentCode})`
                                  : c.environmentCode,
                            })
                          : t('admin.common.fromEnvironment')}
                      </option>
                      {teams.data?.items.map((team) => (
                        <option key={team.id} value={team.id}>
                          {team.name} ({team.code})
                        </option>
                      ))}
                      <option value={NO_QUEUE}>{t('admin.channels.noQueue')}</option>
                    </select>
                    {c.source === 'environment' && c.environmentCode && !c.intakeQueue && (
                      <p className="error">{t('admin.channels.environmentMissing', { code: c.environmentCode })}</p>
                    )}
                  </td>
                  <td>
                    <span className={`dir-badge ${c.source === 'database' ? 'on' : ''}`}>
                      {c.source === 'database' ? t('admin.common.fromDatabase') : t('admin.common.fromEnvironment')}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        {settings.data && <EnvironmentView env={settings.data.environment} />}
      </div>
    </div>
  );
}

function EnvironmentView({ env }: { env: ChannelSettings['environment'] }) {
  const { t } = useTranslation();
  const yesNo = (set: boolean) => (
    <span className={`dir-badge ${set ? 'on' : 'off'}`}>
      {set ? t('admin.channels.configured') : t('admin.channels.notConfigured')}
    </span>
  );
  const host = (value: string | null) => (value ? <code>{value}</code> : yesNo(false));
  return (
    <section className="panel environment">
      <h3>{t('admin.channels.environment')}</h3>
      <dl className="dir-env">
        <dt>{t('admin.channels.webhookSecrets')}</dt>
        <dd className="dir-actions">
          {Object.entries(env.webhookSecrets).map(([channel, set]) => (
            <span key={channel} data-secret={channel}>
              {t(`admin.channels.names.${channel as Channel}`)} {yesNo(set)}
            </span>
          ))}
        </dd>
        <dt>{t('admin.channels.outboundGateways')}</dt>
        <dd className="dir-actions">
          {Object.entries(env.outboundGateways).map(([channel, value]) => (
            <span key={channel}>
              {t(`admin.channels.names.${channel as Channel}`)} {host(value)}
            </span>
          ))}
        </dd>
        <dt>{t('admin.channels.outboundSecret')}</dt>
        <dd>{yesNo(env.outboundSecretSet)}</dd>
        <dt>{t('admin.channels.smtpRelay')}</dt>
        <dd className="smtp-relay">
          {env.smtpRelay ? (
            <code>{env.smtpRelay}</code>
          ) : (
            <span className="error">{t('admin.channels.smtpRelayMissing')}</span>
          )}
        </dd>
        <dt>{t('admin.channels.smtpListener')}</dt>
        <dd>{env.smtpListener ? <code>{`${env.smtpListener.host}:${env.smtpListener.port}`}</code> : yesNo(false)}</dd>
        <dt>{t('admin.channels.imap')}</dt>
        <dd>{host(env.imap)}</dd>
        <dt>{t('admin.channels.mailFrom')}</dt>
        <dd>{env.mailFrom}</dd>
        <dt>{t('admin.channels.publicUrl')}</dt>
        <dd>{env.publicUrl}</dd>
      </dl>
    </section>
  );
}
