import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ASSIGNMENT_STRATEGIES, type AssignmentStrategy } from '../../../src/core/routing/assignment';
import { adminDirectory, type Agent, type Team, type TeamInput } from '../api/admin-directory';
import { ErrorText } from '../components/ErrorText';
import { formText, Pager, usePaged } from './directory-parts';
import './admin-directory.css';

const KINDS = ['frontline', 'expert', 'vip', 'supervisor', 'department'] as const;
type Kind = (typeof KINDS)[number];

/** Teams and their queues: members, assignment strategy, restriction and supervisors' visibility. */
export default function TeamsSection() {
  const { t } = useTranslation();
  const teams = useQuery({ queryKey: ['admin', 'teams'], queryFn: adminDirectory.teams });
  const agents = useQuery({ queryKey: ['admin', 'agents'], queryFn: adminDirectory.agents });
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const paged = usePaged(teams.data?.items ?? []);
  const team = teams.data?.items.find((x) => x.id === selected) ?? null;
  const memberCount = (id: string) => agents.data?.items.filter((a) => a.queues.includes(id)).length ?? 0;

  return (
    <div className="dir-section teams-section">
      <h2>{t('admin.teams.title')}</h2>
      <p className="muted intro">{t('admin.teams.intro')}</p>
      <ErrorText error={teams.error ?? agents.error} />
      <div className="dir-actions">
        <button type="button" className="primary" data-action="new-team" onClick={() => setCreating(true)}>
          {t('admin.teams.new')}
        </button>
      </div>
      {creating && (
        <CreateTeam
          onDone={(id) => {
            setCreating(false);
            if (id) setSelected(id);
          }}
        />
      )}
      <div className="dir-grid">
        <section className="panel">
          <table className="teams-table">
            <thead>
              <tr>
                <th>{t('admin.teams.code')}</th>
                <th>{t('admin.teams.name')}</th>
                <th>{t('admin.teams.kind')}</th>
                <th>{t('admin.teams.strategy')}</th>
                <th>{t('admin.teams.restricted')}</th>
                <th>{t('admin.teams.members')}</th>
              </tr>
            </thead>
            <tbody>
              {paged.rows.map((x) => (
                <tr key={x.id} data-team={x.code} className={x.id === selected ? 'selected' : ''}>
                  <td>
                    <button type="button" className="link" onClick={() => setSelected(x.id)}>
                      {x.code}
                    </button>
                  </td>
                  <td>{x.name}</td>
                  <td>{t(`admin.teams.kinds.${x.kind as Kind}`, { defaultValue: x.kind })}</td>
                  <td>{t(`admin.teams.strategies.${x.assignmentStrategy}`)}</td>
                  <td>
                    {x.restricted ? (
                      <span className={`dir-badge ${x.supervisorsSeeRestricted ? 'warn' : 'off'}`}>
                        {x.supervisorsSeeRestricted
                          ? t('admin.teams.visibleToSupervisors')
                          : t('admin.teams.hiddenFromSupervisors')}
                      </span>
                    ) : (
                      <span className="dir-badge">{t('admin.teams.open')}</span>
                    )}
                  </td>
                  <td className="num">{memberCount(x.id)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager {...paged} />
        </section>
        {team && <TeamDetail key={team.id} team={team} agents={agents.data?.items ?? []} />}
      </div>
    </div>
  );
}

function CreateTeam(props: { onDone: (id: string | null) => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const create = useMutation({
    mutationFn: (input: TeamInput) => adminDirectory.createTeam(input),
    onSuccess: async ({ id }) => {
      await client.invalidateQueries({ queryKey: ['admin', 'teams'] });
      await client.invalidateQueries({ queryKey: ['teams'] });
      props.onDone(id);
    },
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    create.mutate({
      code: formText(f, 'code').trim(),
      name: formText(f, 'name'),
      kind: formText(f, 'kind') as Kind,
      restricted: f.get('restricted') === 'on',
    });
  };
  return (
    <form className="panel dir-form create-team" onSubmit={submit}>
      <h3 className="wide">{t('admin.teams.new')}</h3>
      <label>
        {t('admin.teams.code')}
        <input name="code" required pattern="[a-z0-9][a-z0-9_\-]{0,39}" title={t('admin.teams.codeHint')} />
      </label>
      <label>
        {t('admin.teams.name')}
        <input name="name" required />
      </label>
      <label>
        {t('admin.teams.kind')}
        <select name="kind" defaultValue="frontline">
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`admin.teams.kinds.${k}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="check">
        <input type="checkbox" name="restricted" />
        {t('admin.teams.restricted')}
      </label>
      <div className="dir-actions wide">
        <button type="submit" className="primary" disabled={create.isPending}>
          {t('admin.common.create')}
        </button>
        <button type="button" onClick={() => props.onDone(null)}>
          {t('admin.common.cancel')}
        </button>
        <ErrorText error={create.error} />
      </div>
    </form>
  );
}

function TeamDetail({ team, agents }: { team: Team; agents: Agent[] }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [form, setForm] = useState({
    name: team.name,
    kind: team.kind as Kind,
    restricted: team.restricted,
    supervisorsSeeRestricted: team.supervisorsSeeRestricted,
    assignmentStrategy: team.assignmentStrategy,
  });
  const save = useMutation({
    mutationFn: () => adminDirectory.updateTeam(team.id, form),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['admin', 'teams'] });
      await client.invalidateQueries({ queryKey: ['teams'] });
    },
  });
  const own = agents.filter((a) => a.teamId === team.id);
  const others = agents.filter((a) => a.teamId !== team.id);
  const [members, setMembers] = useState<string[]>(others.filter((a) => a.queues.includes(team.id)).map((a) => a.id));
  const saveMembers = useMutation({
    mutationFn: () => adminDirectory.setQueueMembers(team.id, members),
    onSuccess: () => client.invalidateQueries({ queryKey: ['admin', 'agents'] }),
  });

  return (
    <section className="panel team-detail" data-team={team.code}>
      <h3>
        {team.name} · {team.code}
      </h3>
      <form
        className="dir-form"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <label>
          {t('admin.teams.name')}
          <input name="name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </label>
        <label>
          {t('admin.teams.kind')}
          <select name="kind" value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value as Kind })}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`admin.teams.kinds.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('admin.teams.strategy')}
          <select
            name="assignmentStrategy"
            value={form.assignmentStrategy}
            onChange={(e) => setForm({ ...form, assignmentStrategy: e.target.value as AssignmentStrategy })}
          >
            {ASSIGNMENT_STRATEGIES.map((s) => (
              <option key={s} value={s}>
                {t(`admin.teams.strategies.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <div className="wide">
          <label className="check" title={t('admin.teams.restrictedHint')}>
            <input
              type="checkbox"
              name="restricted"
              checked={form.restricted}
              onChange={(e) => setForm({ ...form, restricted: e.target.checked })}
            />
            {t('admin.teams.restricted')} <span className="muted">— {t('admin.teams.restrictedHint')}</span>
          </label>
          <label className="check">
            <input
              type="checkbox"
              name="supervisorsSeeRestricted"
              disabled={!form.restricted}
              checked={form.supervisorsSeeRestricted}
              onChange={(e) => setForm({ ...form, supervisorsSeeRestricted: e.target.checked })}
            />
            {t('admin.teams.supervisorsSee')} <span className="muted">— {t('admin.teams.supervisorsSeeHint')}</span>
          </label>
        </div>
        <div className="dir-actions wide">
          <button type="submit" className="primary" data-action="save-team" disabled={save.isPending}>
            {save.isPending ? t('admin.common.saving') : t('admin.common.save')}
          </button>
          {save.isSuccess && <span className="ok">{t('admin.common.saved')}</span>}
          <ErrorText error={save.error} />
        </div>
      </form>
      <h3>{t('admin.teams.ownStaff')}</h3>
      <p>{own.map((a) => a.displayName).join('、') || t('admin.teams.noMembers')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          saveMembers.mutate();
        }}
      >
        <h3>{t('admin.teams.members')}</h3>
        <p className="muted">{t('admin.teams.membersHint')}</p>
        <div className="dir-checks">
          {others.map((a) => (
            <label key={a.id} className="check">
              <input
                type="checkbox"
                name="member"
                value={a.id}
                checked={members.includes(a.id)}
                onChange={(e) => setMembers(e.target.checked ? [...members, a.id] : members.filter((m) => m !== a.id))}
              />
              {a.displayName}
            </label>
          ))}
        </div>
        <div className="dir-actions">
          <button type="submit" disabled={saveMembers.isPending}>
            {t('admin.teams.saveMembers')}
          </button>
          {saveMembers.isSuccess && <span className="ok">{t('admin.common.saved')}</span>}
          <ErrorText error={saveMembers.error} />
        </div>
      </form>
    </section>
  );
}
