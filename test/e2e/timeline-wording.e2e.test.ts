import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staff } from '../../src/db/schema.js';
import { recordEvents } from '../../src/usecases/tickets/record-event.js';
import { open, shotIfAsked, signIn, startDesk, type Desk } from './browser.js';

// The ticket timeline says whom a ticket went to, on which queue, and which escalation level fired.

describe('the ticket timeline in a browser', () => {
  let desk: Desk;

  beforeAll(async () => {
    desk = await startDesk();
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  async function person(role: 'agent' | 'expert' | 'supervisor', teamId: string, displayName: string) {
    const p = await desk.h.buildStaff(role, teamId);
    await desk.h.database.db.update(staff).set({ displayName }).where(eq(staff.id, p.id));
    return p;
  }

  const lines = async (page: import('playwright-core').Page, kind: string) => {
    await page.waitForSelector(`.timeline .event-${kind}`);
    return page.locator(`.timeline .event-${kind} .text`).allTextContents();
  };

  for (const lang of ['zh', 'en'] as const)
    it(`names the assignee, the new queue, and the escalation level (${lang})`, async () => {
      const { h } = desk;
      const frontline = await h.buildTeam({ name: '一线客服组' });
      const experts = await h.buildTeam({ name: '二线专家组', kind: 'expert' });
      const agent = await person('agent', frontline, '李娜');
      const colleague = await person('agent', frontline, '张伟');
      const expert = await person('expert', experts, '王芳');
      const supervisor = await person('supervisor', frontline, '周班长');
      const ticketId = await h.buildTicket(agent);
      const boss = await h.login(supervisor);
      const assign = (payload: object) =>
        h.request(boss, { method: 'POST', url: `/api/v1/tickets/${ticketId}/assignment`, payload });
      // The agent takes it; the supervisor gives it to a colleague on the same queue, then to the
      // expert queue with its member, then back to the first queue with nobody on it.
      const self = await h.login(agent);
      const take = await h.request(self, {
        method: 'POST',
        url: `/api/v1/tickets/${ticketId}/assignment`,
        payload: { assigneeId: agent.id },
      });
      expect(take.statusCode).toBe(200);
      expect((await assign({ assigneeId: colleague.id })).statusCode).toBe(200);
      expect((await assign({ assigneeId: expert.id, teamId: experts })).statusCode).toBe(200);
      expect((await assign({ assigneeId: null, teamId: frontline })).statusCode).toBe(200);
      // An assignment written before events carried names, and both levels of one clock's escalation.
      const at = new Date();
      await recordEvents(h.database.db, [
        {
          ticketId,
          actorId: supervisor.id,
          kind: 'assigned',
          at,
          data: {
            before: { assigneeId: null, teamId: frontline, status: 'new' },
            after: { assigneeId: agent.id, teamId: experts, status: 'assigned' },
          },
        },
        ...[0, 1].map((step) => ({
          ticketId,
          actorId: null,
          kind: 'sla_escalated' as const,
          at,
          data: { metric: 'first_response' as const, policyId: 'p', dueAt: null, step, actions: [] },
        })),
      ]);

      const a = await open(desk, lang, `/tickets/${ticketId}`);
      await signIn(a.page, supervisor.username);
      const assigned = await lines(a.page, 'assigned');
      const escalated = await lines(a.page, 'sla_escalated');
      if (lang === 'zh') {
        expect(assigned).toEqual([
          '李娜 接手了工单',
          '周班长 将工单分派给 张伟',
          '周班长 将工单转至 二线专家组，分派给 王芳',
          '周班长 将工单转至 一线客服组，暂无处理人',
          // The old entry: today's names of the people and queue it recorded.
          '周班长 将工单转至 二线专家组，分派给 李娜',
        ]);
        expect(escalated).toEqual(['超时升级（第1级）：首次响应', '超时升级（第2级）：首次响应']);
      } else {
        expect(assigned).toEqual([
          '李娜 took the ticket',
          '周班长 assigned the ticket to 张伟',
          '周班长 moved the ticket to 二线专家组 and assigned it to 王芳',
          '周班长 moved the ticket to 一线客服组, with nobody assigned',
          '周班长 moved the ticket to 二线专家组 and assigned it to 李娜',
        ]);
        expect(escalated).toEqual([
          'Escalated on time limit (level 1): First response',
          'Escalated on time limit (level 2): First response',
        ]);
      }
      await shotIfAsked(a.page, `timeline-${lang}`);
      expect(a.errors).toEqual([]);
      await a.context.close();
    }, 60_000);
});
