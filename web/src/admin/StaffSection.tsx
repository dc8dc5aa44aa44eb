import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { WORKER_ROLES } from '../../../src/core/auth/policy';
import { ROLES, type Role } from '../../../src/core/tickets/types';
import {
  adminDirectory,
  type Agent,
  type Category,
  type CertificationInput,
  type StaffMember,
  type Team,
} from '../api/admin-directory';
import { ErrorText } from '../components/ErrorText';
import { fromZonedInput, toZonedInput } from '../i18n';
import { formText, Pager, splitList, usePaged } from './directory-parts';
import './admin-directory.css';

const LOCALES = ['zh-CN', 'en'] as const;

/** Staff accounts: create, change role and team, deactivate, reset password; agents' profiles. */
export default function StaffSection() {
  const { t } = useTranslation();
  const staff = useQuery({ queryKey: ['admin', 'staff'], queryFn: adminDirectory.staff });
  const teams = useQuery({ queryKey: ['admin', 'teams'], queryFn: adminDirectory.teams });
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);

  const needle = search.trim().toLowerCase();
  const filtered = (staff.data?.items ?? []).filter(
    (s) => !needle || s.username.includes(needle) || s.displayName.toLowerCase().startsWith(needle),
  );
  const paged = usePaged(filtered);
  const teamName = (id: string | null) => teams.data?.items.find((x) => x.id === id)?.name ?? t('admin.staff.noTeam');
  const member = staff.data?.items.find((s) => s.id === selected) ?? null;

  return (
    <div className="dir-section staff-section">
      <h2>{t('admin.staff.title')}</h2>
      <p className="muted intro">{t('admin.staff.intro')}</p>
      <ErrorText error={staff.error ?? teams.error} />
      <div className="dir-actions">
        <input
          type="search"
          name="staff-search"
          placeholder={t('admin.staff.search')}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <button type="button" className="primary" data-action="new-staff" onClick={() => setCreating(true)}>
          {t('admin.staff.new')}
        </button>
      </div>
      {creating && (
        <CreateStaff
          teams={teams.data?.items ?? []}
          onDone={(id) => {
            setCreating(false);
            if (id) setSelected(id);
          }}
        />
      )}
      <div className="dir-grid">
        <section className="panel">
          <table className="staff-table">
            <thead>
              <tr>
                <th>{t('admin.staff.username')}</th>
                <th>{t('admin.staff.displayName')}</th>
                <th>{t('admin.staff.role')}</th>
                <th>{t('admin.staff.team')}</th>
                <th>{t('admin.staff.status')}</th>
              </tr>
            </thead>
            <tbody>
              {paged.rows.map((s) => (
                <tr key={s.id} data-username={s.username} className={s.id === selected ? 'selected' : ''}>
                  <td>
                    <button type="button" className="link" onClick={() => setSelected(s.id)}>
                      {s.username}
                    </button>
                  </td>
                  <td>{s.displayName}</td>
                  <td>{t(`admin.staff.roles.${s.role}`)}</td>
                  <td>{teamName(s.teamId)}</td>
                  <td>
                    <span className={`dir-badge ${s.active ? 'on' : 'off'}`}>
                      {s.active ? t('admin.staff.active') : t('admin.staff.inactive')}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {staff.isSuccess && filtered.length === 0 && <p className="empty">{t('admin.staff.empty')}</p>}
          <Pager {...paged} />
        </section>
        {member && <StaffDetail key={member.id} member={member} teams={teams.data?.items ?? []} />}
      </div>
    </div>
  );
}

function CreateStaff(props: { teams: Team[]; onDone: (id: string | null) => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const create = useMutation({
    mutationFn: adminDirectory.createStaff,
    onSuccess: async ({ id }) => {
      await client.invalidateQueries({ queryKey: ['admin', 'staff'] });
      await client.invalidateQueries({ queryKey: ['admin', 'agents'] });
      props.onDone(id);
    },
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (k: string) => formText(f, k);
    create.mutate({
      username: text('username').trim(),
      displayName: text('displayName'),
      password: text('password'),
      role: text('role') as Role,
      teamId: text('teamId') || null,
      locale: text('locale') as (typeof LOCALES)[number],
    });
  };
  return (
    <form className="panel dir-form create-staff" onSubmit={submit}>
      <h3 className="wide">{t('admin.staff.new')}</h3>
      <label>
        {t('admin.staff.username')}
        <input name="username" required autoComplete="off" />
      </label>
      <label>
        {t('admin.staff.displayName')}
        <input name="displayName" required />
      </label>
      <label>
        {t('admin.staff.password')}
        <input
          name="password"
          type="password"
          required
          minLength={10}
          autoComplete="new-password"
          placeholder={t('admin.staff.passwordHint')}
        />
      </label>
      <label>
        {t('admin.staff.role')}
        <select name="role" defaultValue="agent">
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`admin.staff.roles.${r}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('admin.staff.team')}
        <select name="teamId" defaultValue="">
          <option value="">{t('admin.staff.noTeam')}</option>
          {props.teams.map((team) => (
            <option key={team.id} value={team.id}>
              {team.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('admin.staff.locale')}
        <select name="locale" defaultValue="zh-CN">
          {LOCALES.map((l) => (
            <option key={l} value={l}>
              {t(`admin.staff.locales.${l}`)}
            </option>
          ))}
        </select>
      </label>
      <div className="dir-actions wide">
        <button type="submit" className="primary" disabled={create.isPending}>
          {create.isPending ? t('admin.common.saving') : t('admin.common.create')}
        </button>
        <button type="button" onClick={() => props.onDone(null)}>
          {t('admin.common.cancel')}
        </button>
        <ErrorText error={create.error} />
      </div>
    </form>
  );
}

function StaffDetail({ member, teams }: { member: StaffMember; teams: Team[] }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const agents = useQuery({ queryKey: ['admin', 'agents'], queryFn: adminDirectory.agents });
  const categories = useQuery({ queryKey: ['admin', 'categories'], queryFn: adminDirectory.categories });
  const [form, setForm] = useState({
    displayName: member.displayName,
    role: member.role,
    teamId: member.teamId ?? '',
    locale: member.locale,
  });
  const [confirming, setConfirming] = useState(false);
  const refresh = async () => {
    await client.invalidateQueries({ queryKey: ['admin', 'staff'] });
    await client.invalidateQueries({ queryKey: ['admin', 'agents'] });
  };
  const save = useMutation({
    mutationFn: (changes: Parameters<typeof adminDirectory.updateStaff>[1]) =>
      adminDirectory.updateStaff(member.id, changes),
    onSuccess: refresh,
  });
  const agent = agents.data?.items.find((a) => a.id === member.id);
  const works = WORKER_ROLES.includes(member.role);

  return (
    <section className="panel staff-detail" data-staff={member.username}>
      <h3>
        {member.displayName} · {member.username}
      </h3>
      <form
        className="dir-form"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({
            displayName: form.displayName,
            role: form.role,
            teamId: form.teamId || null,
            locale: form.locale as (typeof LOCALES)[number],
          });
        }}
      >
        <label>
          {t('admin.staff.displayName')}
          <input
            name="displayName"
            value={form.displayName}
            onChange={(e) => setForm({ ...form, displayName: e.target.value })}
          />
        </label>
        <label>
          {t('admin.staff.role')}
          <select name="role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`admin.staff.roles.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('admin.staff.team')}
          <select name="teamId" value={form.teamId} onChange={(e) => setForm({ ...form, teamId: e.target.value })}>
            <option value="">{t('admin.staff.noTeam')}</option>
            {teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('admin.staff.locale')}
          <select name="locale" value={form.locale} onChange={(e) => setForm({ ...form, locale: e.target.value })}>
            {LOCALES.map((l) => (
              <option key={l} value={l}>
                {t(`admin.staff.locales.${l}`)}
              </option>
            ))}
          </select>
        </label>
        <div className="dir-actions wide">
          <button type="submit" className="primary" data-action="save-staff" disabled={save.isPending}>
            {save.isPending ? t('admin.common.saving') : t('admin.common.save')}
          </button>
          {save.isSuccess && <span className="ok">{t('admin.common.saved')}</span>}
          {member.active && !confirming && (
            <button type="button" data-action="deactivate" onClick={() => setConfirming(true)}>
              {t('admin.staff.deactivate')}
            </button>
          )}
          {!member.active && (
            <button type="button" data-action="activate" onClick={() => save.mutate({ active: true })}>
              {t('admin.staff.activate')}
            </button>
          )}
        </div>
        {confirming && (
          <div className="dir-actions wide">
            <span>{t('admin.staff.confirmDeactivate', { name: member.displayName })}</span>
            <button
              type="button"
              className="primary"
              data-action="confirm-deactivate"
              onClick={() => {
                setConfirming(false);
                save.mutate({ active: false });
              }}
            >
              {t('admin.staff.deactivate')}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              {t('admin.common.cancel')}
            </button>
          </div>
        )}
        <div className="wide">
          <ErrorText error={save.error} />
        </div>
      </form>
      <ResetPassword member={member} />
      <h3>{t('admin.staff.profile')}</h3>
      {!works ? (
        <p className="muted">{t('admin.staff.profileNotWorker')}</p>
      ) : !member.active ? (
        <p className="muted">{t('admin.staff.profileInactive')}</p>
      ) : agent ? (
        <>
          <AgentProfileForm key={agent.id} agent={agent} categories={categories.data?.items ?? []} />
          <CertificationsForm key={`certs-${agent.id}`} agent={agent} />
          <p className="muted">
            {t('admin.staff.queues')}:{' '}
            {agent.queues
              .filter((q) => q !== agent.teamId)
              .map((q) => teams.find((x) => x.id === q)?.name ?? q)
              .join('、') || t('admin.common.none')}
          </p>
        </>
      ) : (
        <ErrorText error={agents.error} />
      )}
    </section>
  );
}

function ResetPassword({ member }: { member: StaffMember }) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const reset = useMutation({
    mutationFn: () => adminDirectory.resetPassword(member.id, password || undefined),
    onSuccess: () => setPassword(''),
  });
  return (
    <form
      className="reset-password"
      onSubmit={(e) => {
        e.preventDefault();
        reset.mutate();
      }}
    >
      <h3>{t('admin.staff.resetPassword')}</h3>
      <p className="muted">{t('admin.staff.resetHint')}</p>
      <div className="dir-actions">
        <input
          name="newPassword"
          type="password"
          autoComplete="new-password"
          minLength={10}
          placeholder={t('admin.staff.newPassword')}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <button type="submit" data-action="reset-password" disabled={reset.isPending}>
          {t('admin.staff.resetPassword')}
        </button>
      </div>
      {reset.data?.temporaryPassword ? (
        <p>
          {t('admin.staff.temporaryPassword')} <output className="dir-secret">{reset.data.temporaryPassword}</output>
        </p>
      ) : (
        reset.isSuccess && <p className="ok">{t('admin.staff.passwordSet')}</p>
      )}
      <ErrorText error={reset.error} />
    </form>
  );
}

function AgentProfileForm({ agent, categories }: { agent: Agent; categories: Category[] }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [tier, setTier] = useState(String(agent.tier));
  const [capacity, setCapacity] = useState(String(agent.capacity));
  const [skills, setSkills] = useState<string[]>(agent.skills.categories);
  const [languages, setLanguages] = useState(agent.skills.languages.join(','));
  const [regions, setRegions] = useState(agent.skills.regions.join(','));
  const save = useMutation({
    mutationFn: () =>
      adminDirectory.saveProfile(agent.id, {
        tier: Number(tier) as 1 | 2 | 3,
        capacity: Number(capacity),
        skills: { categories: skills, languages: splitList(languages), regions: splitList(regions) },
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['admin', 'agents'] }),
  });
  const name = (c: Category) => (i18n.language === 'en' ? c.nameEn : c.nameZh);
  return (
    <form
      className="dir-form agent-profile"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <label>
        {t('admin.staff.tier')}
        <select name="tier" value={tier} onChange={(e) => setTier(e.target.value)}>
          {['1', '2', '3'].map((n) => (
            <option key={n} value={n}>
              {t(`admin.staff.tiers.${n}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('admin.staff.capacity')}
        <input
          name="capacity"
          type="number"
          min={1}
          max={500}
          value={capacity}
          onChange={(e) => setCapacity(e.target.value)}
        />
      </label>
      <fieldset className="wide skills">
        <legend>{t('admin.staff.skillCategories')}</legend>
        <div className="dir-checks">
          {categories
            .filter((c) => c.active)
            .map((c) => (
              <label key={c.id} className="check">
                <input
                  type="checkbox"
                  name="skill"
                  value={c.code}
                  checked={skills.includes(c.code)}
                  onChange={(e) =>
                    setSkills(e.target.checked ? [...skills, c.code] : skills.filter((s) => s !== c.code))
                  }
                />
                {name(c)}
              </label>
            ))}
        </div>
      </fieldset>
      <label>
        {t('admin.staff.languages')}
        <input name="languages" value={languages} onChange={(e) => setLanguages(e.target.value)} />
      </label>
      <label>
        {t('admin.staff.regions')}
        <input name="regions" value={regions} onChange={(e) => setRegions(e.target.value)} />
      </label>
      <div className="dir-actions wide">
        <button type="submit" className="primary" data-action="save-profile" disabled={save.isPending}>
          {t('admin.staff.saveProfile')}
        </button>
        {save.isSuccess && <span className="ok">{t('admin.common.saved')}</span>}
        <ErrorText error={save.error} />
      </div>
    </form>
  );
}

function CertificationsForm({ agent }: { agent: Agent }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [items, setItems] = useState<CertificationInput[]>(
    agent.certifications.map((c) => ({ code: c.code, expiresAt: c.expiresAt })),
  );
  const save = useMutation({
    mutationFn: () =>
      adminDirectory.setCertifications(
        agent.id,
        items.filter((c) => c.code.trim()),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: ['admin', 'agents'] }),
  });
  const update = (i: number, changes: Partial<CertificationInput>) =>
    setItems(items.map((c, j) => (j === i ? { ...c, ...changes } : c)));
  return (
    <form
      className="certifications"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <h3>{t('admin.staff.certifications')}</h3>
      {items.length === 0 && <p className="muted">{t('admin.staff.noCerts')}</p>}
      {items.map((c, i) => (
        <div key={i} className="dir-actions">
          <input
            name="certCode"
            aria-label={t('admin.staff.certCode')}
            placeholder={t('admin.staff.certCode')}
            value={c.code}
            onChange={(e) => update(i, { code: e.target.value })}
          />
          <input
            type="date"
            aria-label={t('admin.staff.certExpires')}
            value={toZonedInput(c.expiresAt, 'date')}
            onChange={(e) =>
              update(i, {
                expiresAt: fromZonedInput(e.target.value, true),
              })
            }
          />
          <button type="button" className="link" onClick={() => setItems(items.filter((_, j) => j !== i))}>
            {t('admin.staff.removeCert')}
          </button>
        </div>
      ))}
      <div className="dir-actions">
        <button type="button" onClick={() => setItems([...items, { code: '', expiresAt: null }])}>
          {t('admin.staff.addCert')}
        </button>
        <button type="submit" className="primary" disabled={save.isPending}>
          {t('admin.staff.saveCerts')}
        </button>
        {save.isSuccess && <span className="ok">{t('admin.common.saved')}</span>}
        <ErrorText error={save.error} />
      </div>
    </form>
  );
}
