import { QueryClient, QueryClientProvider, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { useTranslation } from 'react-i18next';
import { ApiError, api, get, post, setCsrfToken } from '../api/client';
import type { TicketStatus } from '../api/types';
import { StatusBadge } from '../components/Badges';
import { ErrorText } from '../components/ErrorText';
import { initI18n, toggleLanguage } from '../i18n';
import '../styles.css';

// The customer portal: sign in by SMS code (or the link from a notification), submit a request,
// follow it, answer, and confirm the resolution or say it is not solved. Mobile first.

type PortalSession = { csrfToken: string; phone: string | null; ticketId: string | null };
type Summary = { id: string; number: string; type: string; subject: string; status: TicketStatus; createdAt: string };
type Detail = Summary & {
  description: string;
  canConfirm: boolean;
  canReopen: boolean;
  timeline: (
    | { kind: 'message'; fromCustomer: boolean; bodyHtml: string; at: string }
    | { kind: 'status'; status: string; at: string }
  )[];
};
type PortalCategory = { id: string; type: string | null; nameZh: string; nameEn: string; parentId: string | null };

initI18n({
  zh: {
    portal: {
      title: '客户服务中心',
      phone: '手机号码',
      sendCode: '获取验证码',
      code: '验证码',
      signIn: '登录',
      codeSent: '验证码已发送，5 分钟内有效',
      mine: '我的工单',
      new: '我要反映问题',
      type: '问题类型',
      category: '具体分类',
      description: '问题描述',
      contact: '联系电话（可选）',
      submit: '提交',
      submitted: '已提交，工单号 {{number}}',
      reply: '补充说明',
      send: '发送',
      solved: '已解决，确认',
      notSolved: '没有解决',
      attach: '添加照片或文件',
      you: '我',
      service: '客服',
      empty: '您还没有工单。',
      signOut: '退出',
      back: '返回',
    },
  },
  en: {
    portal: {
      title: 'Customer service',
      phone: 'Mobile number',
      sendCode: 'Send code',
      code: 'Code',
      signIn: 'Sign in',
      codeSent: 'Code sent; valid for 5 minutes',
      mine: 'My requests',
      new: 'Report a problem',
      type: 'Kind of problem',
      category: 'Category',
      description: 'What happened',
      contact: 'Contact number (optional)',
      submit: 'Submit',
      submitted: 'Submitted as {{number}}',
      reply: 'Add a message',
      send: 'Send',
      solved: 'Solved, confirm',
      notSolved: 'Not solved',
      attach: 'Add a photo or file',
      you: 'You',
      service: 'Service',
      empty: 'You have no requests yet.',
      signOut: 'Sign out',
      back: 'Back',
    },
  },
});
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
        return post<PortalSession>('/api/portal/v1/link', { token: link });
      }
      try {
        return await get<PortalSession>('/api/portal/v1/session');
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }
    },
  });
  const [open, setOpen] = useState<string | null>(null);
  useEffect(() => {
    if (session.data?.ticketId) setOpen(session.data.ticketId);
  }, [session.data?.ticketId]);
  if (session.data) setCsrfToken(session.data.csrfToken);
  const signOut = useMutation({
    mutationFn: () => api('DELETE', '/api/portal/v1/session'),
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
        {session.data && (
          <button type="button" className="link" onClick={() => signOut.mutate()}>
            {t('portal.signOut')}
          </button>
        )}
      </header>
      <main>
        <ErrorText error={session.error} />
        {session.isPending ? null : !session.data ? (
          <SignIn onSignedIn={(s) => client.setQueryData(['portal-session'], s)} />
        ) : open ? (
          <TicketView id={open} onBack={session.data.ticketId ? undefined : () => setOpen(null)} />
        ) : (
          <Home onOpen={setOpen} />
        )}
      </main>
    </div>
  );
}

function SignIn({ onSignedIn }: { onSignedIn: (s: PortalSession) => void }) {
  const { t } = useTranslation();
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const send = useMutation({ mutationFn: () => post('/api/portal/v1/codes', { phone }) });
  const verify = useMutation({
    mutationFn: () => post<PortalSession>('/api/portal/v1/session', { phone, code }),
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

function Home({ onOpen }: { onOpen: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const tickets = useQuery({
    queryKey: ['portal-tickets'],
    queryFn: () => get<{ items: Summary[] }>('/api/portal/v1/tickets'),
  });
  const categories = useQuery({
    queryKey: ['portal-categories'],
    queryFn: () => get<{ items: PortalCategory[] }>('/api/portal/v1/categories'),
  });
  const [type, setType] = useState('complaint');
  const [categoryId, setCategoryId] = useState('');
  const [description, setDescription] = useState('');
  const [contactNumber, setContactNumber] = useState('');
  const [key] = useState(() => crypto.randomUUID());
  const submit = useMutation({
    mutationFn: () =>
      post<{ id: string; number: string }>(
        '/api/portal/v1/tickets',
        { type, description, ...(categoryId ? { categoryId } : {}), ...(contactNumber ? { contactNumber } : {}) },
        { 'idempotency-key': key },
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: ['portal-tickets'] }),
  });
  const en = i18n.language === 'en';
  return (
    <>
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          submit.mutate();
        }}
      >
        <h1>{t('portal.new')}</h1>
        {submit.data ? (
          <p className="ok" role="status">
            {t('portal.submitted', { number: submit.data.number })}
          </p>
        ) : (
          <>
            <label>
              {t('portal.type')}
              <select name="type" value={type} onChange={(e) => (setType(e.target.value), setCategoryId(''))}>
                {(['complaint', 'fault', 'service_request', 'inquiry'] as const).map((v) => (
                  <option key={v} value={v}>
                    {t(`type.${v}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('portal.category')}
              <select name="category" value={categoryId} onChange={(e) => setCategoryId(e.target.value)}>
                <option value="">—</option>
                {categories.data?.items
                  .filter((c) => c.type === type)
                  .map((c) => (
                    <option key={c.id} value={c.id}>
                      {en ? c.nameEn : c.nameZh}
                    </option>
                  ))}
              </select>
            </label>
            <label>
              {t('portal.description')}
              <textarea
                name="description"
                rows={5}
                value={description}
                onChange={(e) => setDescription(e.target.value)}
                required
              />
            </label>
            <label>
              {t('portal.contact')}
              <input
                name="contact"
                inputMode="tel"
                value={contactNumber}
                onChange={(e) => setContactNumber(e.target.value)}
              />
            </label>
            <ErrorText error={submit.error} />
            <button type="submit" className="primary" disabled={submit.isPending}>
              {t('portal.submit')}
            </button>
          </>
        )}
      </form>
      <section className="card">
        <h2>{t('portal.mine')}</h2>
        {tickets.data?.items.length === 0 && <p className="muted">{t('portal.empty')}</p>}
        <ul className="portal-list">
          {tickets.data?.items.map((tk) => (
            <li key={tk.id}>
              <button type="button" className="link" onClick={() => onOpen(tk.id)}>
                {tk.number}
              </button>{' '}
              <StatusBadge status={tk.status} /> {tk.subject}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

function TicketView({ id, onBack }: { id: string; onBack: (() => void) | undefined }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [text, setText] = useState('');
  const ticket = useQuery({
    queryKey: ['portal-ticket', id],
    queryFn: () => get<Detail>(`/api/portal/v1/tickets/${id}`),
  });
  const refresh = () => client.invalidateQueries({ queryKey: ['portal-ticket', id] });
  const reply = useMutation({
    mutationFn: () => post(`/api/portal/v1/tickets/${id}/messages`, { body: text }),
    onSuccess: () => (setText(''), refresh()),
  });
  const confirm = useMutation({
    mutationFn: (solved: boolean) => post(`/api/portal/v1/tickets/${id}/confirm`, { solved }),
    onSuccess: refresh,
  });
  const attach = useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append('file', file);
      return api<{ fileName: string }>('POST', `/api/portal/v1/tickets/${id}/attachments`, form);
    },
  });
  if (!ticket.data) return <ErrorText error={ticket.error} />;
  const tk = ticket.data;
  return (
    <section className="card">
      {onBack && (
        <button type="button" className="link" onClick={onBack}>
          ← {t('portal.back')}
        </button>
      )}
      <h1>
        {tk.number} <StatusBadge status={tk.status} />
      </h1>
      <ol className="timeline">
        {tk.timeline.map((item, i) =>
          item.kind === 'message' ? (
            <li key={i} className={`message ${item.fromCustomer ? 'customer' : 'public'}`}>
              <div className="meta">
                {item.fromCustomer ? t('portal.you') : t('portal.service')} ·{' '}
                {new Date(item.at).toLocaleString(i18n.language)}
              </div>
              <div className="body" dangerouslySetInnerHTML={{ __html: item.bodyHtml }} />
            </li>
          ) : (
            <li key={i} className="event">
              {new Date(item.at).toLocaleString(i18n.language)} ·{' '}
              {t(`status.${item.status}`, { defaultValue: item.status })}
            </li>
          ),
        )}
      </ol>
      {tk.canConfirm && (
        <div className="actions">
          <button type="button" className="primary" onClick={() => confirm.mutate(true)}>
            {t('portal.solved')}
          </button>
          <button type="button" onClick={() => confirm.mutate(false)}>
            {t('portal.notSolved')}
          </button>
        </div>
      )}
      {!tk.canConfirm && tk.canReopen && (
        <button type="button" onClick={() => confirm.mutate(false)}>
          {t('portal.notSolved')}
        </button>
      )}
      <ErrorText error={confirm.error} />
      {tk.status !== 'closed' && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (text.trim()) reply.mutate();
          }}
        >
          <label>
            {t('portal.reply')}
            <textarea name="reply" rows={3} value={text} onChange={(e) => setText(e.target.value)} />
          </label>
          <ErrorText error={reply.error} />
          <button type="submit" disabled={reply.isPending || !text.trim()}>
            {t('portal.send')}
          </button>
          <label>
            {t('portal.attach')}
            <input
              type="file"
              accept="image/*,application/pdf"
              onChange={(e) => e.target.files?.[0] && attach.mutate(e.target.files[0])}
              disabled={attach.isPending}
            />
          </label>
          {attach.data && <p className="ok">✓ {attach.data.fileName}</p>}
          <ErrorText error={attach.error} />
        </form>
      )}
    </section>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <Portal />
    </QueryClientProvider>
  </StrictMode>,
);
