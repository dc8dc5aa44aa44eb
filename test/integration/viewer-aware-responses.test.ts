import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, type Harness, type Session } from '../helpers/harness.js';

// Responses know who is asking: each ticket says what this reader may do to it now, and free
// text is masked for readers who may not reveal personal data.

describe.each(ENGINES)('responses for the person asking, on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(engine);
  });
  afterAll(() => h?.close());

  const get = (s: Session, url: string) => h.request(s, { method: 'GET', url });
  const post = (s: Session, url: string, payload: object) => h.request(s, { method: 'POST', url, payload });
  const abilitiesOf = async (s: Session, id: string) => (await get(s, `/api/v1/tickets/${id}`)).json().abilities;
  const listed = async (s: Session, id: string) =>
    ((await get(s, '/api/v1/tickets?limit=200')).json().items as { id: string; abilities: string[] }[]).find(
      (t) => t.id === id,
    )?.abilities;

  describe('abilities', () => {
    it('offer the agent holding a ticket its work, and only the moves the lifecycle allows now', async () => {
      const agent = await h.signIn('agent');
      const id = await h.buildTicket(agent.actor, { assignToMe: true });
      expect(await abilitiesOf(agent, id)).toEqual([
        'start',
        'edit',
        'reply',
        'add_note',
        'attach',
        'escalate',
        'add_subtask',
        'merge',
        'link',
      ]);
      expect(await listed(agent, id)).toEqual(await abilitiesOf(agent, id));
      // Resolve appears once the customer has had a public reply; start goes once started.
      expect((await post(agent, `/api/v1/tickets/${id}/transitions`, { action: 'start' })).statusCode).toBe(200);
      await post(agent, `/api/v1/tickets/${id}/messages`, { visibility: 'public', body: '您好，已为您处理。' });
      const now = await abilitiesOf(agent, id);
      expect(now).toEqual(expect.arrayContaining(['wait_customer', 'wait_department', 'resolve']));
      expect(now).not.toContain('start');
    });

    it('offer a QA inspector nothing, and the server refuses what is not offered', async () => {
      const qa = await h.signIn('qa');
      const agent = await h.buildStaff('agent', await h.buildTeam());
      const id = await h.buildTicket(agent, { assignToMe: true });
      expect(await abilitiesOf(qa, id)).toEqual([]);
      expect(await listed(qa, id)).toEqual([]);
      expect((await post(qa, `/api/v1/tickets/${id}/transitions`, { action: 'start' })).statusCode).toBe(403);
      expect((await post(qa, `/api/v1/tickets/${id}/assignment`, { assigneeId: qa.actor.id })).statusCode).toBe(403);
    });

    it('offer an agent of another team notes and files only, and take once nobody holds the ticket in an open team', async () => {
      const agent = await h.signIn('agent');
      const other = await h.buildStaff('agent', await h.buildTeam());
      const held = await h.buildTicket(other, { assignToMe: true });
      expect(await abilitiesOf(agent, held)).toEqual(['add_note', 'attach']);
      expect((await post(agent, `/api/v1/tickets/${held}/transitions`, { action: 'start' })).statusCode).toBe(403);
      // Unassigned in the colleague's queue: still not this agent's to work or take.
      const waiting = await h.buildTicket(other);
      expect(await abilitiesOf(agent, waiting)).not.toContain('take');
      const own = await h.buildTicket(agent.actor);
      expect(await abilitiesOf(agent, own)).toContain('take');
      expect((await post(agent, `/api/v1/tickets/${own}/assignment`, { assigneeId: agent.actor.id })).statusCode).toBe(
        200,
      );
    });

    it('offer supervisors assignment to others, which agents are never offered', async () => {
      const supervisor = await h.signIn('supervisor');
      const agent = await h.signIn('agent');
      const id = await h.buildTicket(agent.actor);
      expect(await abilitiesOf(supervisor, id)).toEqual(expect.arrayContaining(['assign', 'take']));
      expect(await listed(supervisor, id)).toContain('assign');
      expect(await abilitiesOf(agent, id)).not.toContain('assign');
    });

    it('offer department staff notes on the work handed to them, in the ticket and in their list', async () => {
      const dept = await h.buildTeam({ kind: 'department', name: '网络运维部' });
      const engineer = await h.signIn('department', dept);
      const agent = await h.signIn('agent');
      const id = await h.buildTicket(agent.actor, { assignToMe: true });
      const handed = await post(agent, `/api/v1/tickets/${id}/subtasks`, { teamId: dept, title: '上门检修' });
      expect(handed.statusCode, handed.body).toBe(201);
      expect(await abilitiesOf(engineer, id)).toEqual(['add_note', 'attach']);
      expect(await listed(engineer, id)).toEqual(['add_note', 'attach']);
    });

    it('tell the desk what the person may do beyond single tickets', async () => {
      const session = async (s: Session) => (await get(s, '/api/v1/auth/session')).json().staff.abilities;
      expect(await session(await h.signIn('qa'))).toEqual(['read_customers', 'inspect_quality']);
      expect(await session(await h.signIn('agent'))).toEqual([
        'create_ticket',
        'read_customers',
        'write_customers',
        'reveal_pii',
        'my_reviews',
        'write_knowledge',
      ]);
      expect(await session(await h.signIn('supervisor'))).toContain('supervise');
    });
  });

  describe('numbers customers typed', () => {
    const typed = '宽带断网，请回电 138-1000-0000 或 13810000000，身份证110101199003071234';
    const masked = '宽带断网，请回电 138-****-0000 或 138****0000，身份证1101**********1234';

    async function ticketWithNumbers() {
      const agent = await h.signIn('agent');
      const customerId = await h.buildCustomer({ name: '微信用户13912345678' });
      const id = await h.buildTicket(agent.actor, {
        customerId,
        assignToMe: true,
        subject: '回电13810000000',
        description: typed,
      });
      await post(agent, `/api/v1/tickets/${id}/messages`, { visibility: 'internal', body: `客户留言：${typed}` });
      return { agent, id, customerId };
    }

    it('are masked for a QA inspector in the subject, description, messages and customer name', async () => {
      const { id, customerId } = await ticketWithNumbers();
      const qa = await h.signIn('qa');
      const ticket = (await get(qa, `/api/v1/tickets/${id}`)).json();
      expect(ticket.description).toBe(masked);
      expect(ticket.subject).toBe('回电138****0000');
      expect(ticket.customer.name).toBe('微信用户139****5678');
      const messages = (await get(qa, `/api/v1/tickets/${id}/messages`)).json().items;
      expect(messages[0].bodyHtml).toBe(`客户留言：${masked}`);
      expect((await get(qa, `/api/v1/customers/${customerId}`)).json().name).toBe('微信用户139****5678');
      const list = (await get(qa, '/api/v1/tickets?limit=200')).json().items.find((t: { id: string }) => t.id === id);
      expect(list.subject).toBe('回电138****0000');
    });

    it('are masked for department staff working a sub-task', async () => {
      const { agent, id } = await ticketWithNumbers();
      const dept = await h.buildTeam({ kind: 'department', name: '装维部' });
      const engineer = await h.signIn('department', dept);
      await post(agent, `/api/v1/tickets/${id}/subtasks`, { teamId: dept, title: '上门，联系13810000000' });
      expect((await get(engineer, `/api/v1/tickets/${id}`)).json().description).toBe(masked);
      const subtasks = (await get(engineer, `/api/v1/tickets/${id}/subtasks`)).json().items;
      expect(subtasks[0].title).toBe('上门，联系138****0000');
    });

    it('are shown as typed to the agent, whose role may reveal personal data (as today)', async () => {
      const { agent, id } = await ticketWithNumbers();
      const ticket = (await get(agent, `/api/v1/tickets/${id}`)).json();
      expect(ticket.description).toBe(typed);
      expect(ticket.customer.name).toBe('微信用户13912345678');
      expect((await get(agent, `/api/v1/tickets/${id}/messages`)).json().items[0].bodyHtml).toBe(`客户留言：${typed}`);
    });

    it('are masked in the timeline of an edit for a QA inspector', async () => {
      const { agent, id } = await ticketWithNumbers();
      const version = (await get(agent, `/api/v1/tickets/${id}`)).json().version;
      const edit = await h.request(agent, {
        method: 'PATCH',
        url: `/api/v1/tickets/${id}`,
        payload: { subject: '改为回电 13700001111', version },
      });
      expect(edit.statusCode, edit.body).toBe(200);
      const qa = await h.signIn('qa');
      const timeline = await get(qa, `/api/v1/tickets/${id}/timeline`);
      expect(timeline.body).not.toContain('13700001111');
      expect(timeline.body).not.toContain('13810000000');
    });
  });
});
