import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION_SETTINGS } from '../../src/core/privacy/retention.js';
import { queryRows } from '../../src/db/client.js';
import { diskStorage } from '../../src/storage/attachment-storage.js';
import { applyRetention } from '../../src/usecases/privacy/apply-retention.js';
import { collectCustomerData } from '../../src/usecases/privacy/build-privacy-export.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness } from '../helpers/harness.js';

// Live chat transcripts follow the rules of ticket messages (PIPL Art. 19 and 45): kept for the
// chat retention period after the conversation ended, then their words and the visitor's account id
// go; a chat that became a ticket goes with its ticket (and so stays while the ticket is held); the
// customer's copy of their data holds their chats.

const DAY = 86_400_000;

describe.each(ENGINES)('live chats in retention and in the copy on %s', (engine) => {
  let h: Harness;
  // Friday 2026-11-20 10:00 Beijing.
  const clock = testClock(new Date('2026-11-20T02:00:00Z'));
  beforeAll(async () => {
    h = await startHarness(engine, { clock });
  });
  afterAll(() => h?.close());

  const ago = (days: number) => new Date(clock.now().getTime() - days * DAY);

  /** A conversation with a customer line, a bot line and an agent line, ended (or last active) `days` ago. */
  async function chat(opts: {
    customerId: string | null;
    days: number;
    ended?: boolean;
    ticketId?: string | null;
    words: string;
    agentId: string;
  }) {
    const db = h.database.db;
    const id = uuidv7();
    const at = ago(opts.days);
    const ended = opts.ended ?? true;
    await db.execute(
      sql`INSERT INTO chat_conversations (id, channel, customer_id, customer_verified, external_user_id, token_hash, state,
            agent_id, last_seq, ended_at, ended_by, outcome, ticket_id, created_at, updated_at)
          VALUES (${id}, 'wechat', ${opts.customerId}, ${opts.customerId !== null}, ${`wx-${id}`}, ${`t-${id}`},
            ${ended ? 'ended' : 'assigned'}, ${opts.agentId}, 3, ${ended ? at : null}, ${ended ? 'customer' : null},
            ${ended ? (opts.ticketId ? 'ticket' : 'settled') : null}, ${opts.ticketId ?? null}, ${at}, ${at})`,
    );
    const lines = [
      ['customer', null, `我住 ${opts.words}，宽带断了`],
      ['bot', null, `已记下 ${opts.words}`],
      ['agent', opts.agentId, `师傅明天上门 ${opts.words}`],
    ] as const;
    for (const [i, [author, agentId, body]] of lines.entries())
      await db.execute(
        sql`INSERT INTO chat_messages (id, conversation_id, seq, author, agent_id, body, payload, created_at)
            VALUES (${uuidv7()}, ${id}, ${i + 1}, ${author}, ${agentId}, ${body},
              ${JSON.stringify(author === 'bot' ? { kind: 'answer', intent: opts.words } : {})}::jsonb, ${at})`,
      );
    return id;
  }

  async function transcript(id: string) {
    const [c] = await queryRows<{ external_user_id: string | null; anonymised: boolean }>(
      h.database.db,
      sql`SELECT external_user_id, anonymised_at IS NOT NULL AS anonymised FROM chat_conversations WHERE id = ${id}`,
    );
    const messages = await queryRows<{ body: string; payload: Record<string, unknown> }>(
      h.database.db,
      sql`SELECT body, payload FROM chat_messages WHERE conversation_id = ${id} ORDER BY seq`,
    );
    return { ...c!, bodies: messages.map((m) => m.body), payloads: messages.map((m) => m.payload) };
  }

  it('anonymises chats past their period like ticket messages, keeps recent ones and those of a held or open ticket, and counts them in the run', async () => {
    const db = h.database.db;
    const agent = await h.signIn('agent');
    const customerId = await h.buildCustomer();
    const closedTicket = async (closedDaysAgo: number) => {
      const id = await h.buildTicket(agent.actor, { customerId, description: '在线客服转来的宽带故障' });
      await db.execute(sql`UPDATE tickets SET status = 'closed', closed_at = ${ago(closedDaysAgo)} WHERE id = ${id}`);
      return id;
    };
    const words = (n: string) => `幸福路${n}号`;
    const a = agent.actor.id;
    const old = await chat({ customerId, days: 1100, words: words('1'), agentId: a });
    const visitor = await chat({ customerId: null, days: 1100, words: words('2'), agentId: a });
    const stale = await chat({ customerId, days: 1100, ended: false, words: words('3'), agentId: a });
    const recent = await chat({ customerId, days: 30, words: words('4'), agentId: a });
    // Became a ticket that is still open: the transcript is part of the ticket and stays with it.
    const openTicket = await h.buildTicket(agent.actor, { customerId, description: '仍在处理' });
    const withOpenTicket = await chat({ customerId, days: 1100, ticketId: openTicket, words: words('5'), agentId: a });
    // Became a ticket closed long ago that a regulator case keeps (the legal hold): stays.
    const heldTicket = await closedTicket(1100);
    await db.execute(
      sql`INSERT INTO regulator_referrals (id, source_code, referral_number, received_on, appealed_on, deadline,
            customer_id, respondent_unit, category, claim, facts, ticket_id, status, report_due_at)
          VALUES (${uuidv7()}, 'miit', ${`R-${uuidv7()}`}, '2026-11-01', '2026-11-01', '2026-12-01', ${customerId},
            '本公司', 'network_quality', '申诉', '事实', ${heldTicket}, 'open', ${ago(-10)})`,
    );
    const withHeldTicket = await chat({ customerId, days: 1100, ticketId: heldTicket, words: words('6'), agentId: a });
    // Became a ticket closed long ago, not held: goes with the ticket.
    const goneTicket = await closedTicket(1100);
    const withGoneTicket = await chat({ customerId, days: 1100, ticketId: goneTicket, words: words('7'), agentId: a });

    const deps = { ...h.deps, storage: diskStorage(h.config.attachmentDir) };
    const node = async () => {
      while ((await applyRetention(deps, DEFAULT_RETENTION_SETTINGS, 2)).busy);
    };
    await Promise.all([node(), node()]);

    const [run] = await queryRows<{ counts: Record<string, number>; settings: Record<string, number> }>(
      db,
      sql`SELECT counts, settings FROM retention_runs WHERE run_date = '2026-11-20'`,
    );
    // The three chats without a ticket; the one of the unheld ticket is counted with its ticket.
    expect(run!.counts).toMatchObject({ chats: 3, closed_tickets: 1 });
    expect(run!.settings).toMatchObject({ chatDays: 1095 });

    for (const id of [old, visitor, stale, withGoneTicket]) {
      const t = await transcript(id);
      expect(t, id).toMatchObject({ external_user_id: null, bodies: ['[erased]', '[erased]', '[erased]'] });
      expect(t.payloads).toEqual([{}, {}, {}]);
    }
    for (const id of [old, visitor, stale]) expect((await transcript(id)).anonymised, id).toBe(true);
    for (const [id, n] of [
      [recent, '4'],
      [withOpenTicket, '5'],
      [withHeldTicket, '6'],
    ] as const) {
      const t = await transcript(id);
      expect(t, id).toMatchObject({ external_user_id: `wx-${id}`, anonymised: false });
      expect(
        t.bodies.every((b) => b.includes(words(n))),
        id,
      ).toBe(true);
    }

    // Done for the day; the desk reads the count.
    expect(await applyRetention(deps, DEFAULT_RETENTION_SETTINGS, 2)).toMatchObject({ busy: false, counts: {} });
    const supervisor = await h.signIn('supervisor');
    const list = await h.request(supervisor, { method: 'GET', url: '/api/v1/privacy/retention-runs' });
    expect(list.json().items[0].counts).toMatchObject({ chats: 3 });
  });

  it('puts the customer’s chats and every line said in them into their copy, with no agent named', async () => {
    const agent = await h.signIn('agent');
    const customerId = await h.buildCustomer();
    const other = await h.buildCustomer();
    const id = await chat({ customerId, days: 3, words: '长寿路9号', agentId: agent.actor.id });
    await chat({ customerId: other, days: 3, words: '别人的地址', agentId: agent.actor.id });

    const { sections } = await collectCustomerData(h.database.db, customerId);
    expect(sections.chats).toEqual([
      expect.objectContaining({ id, channel: 'wechat', state: 'ended', outcome: 'settled', endedAt: ago(3) }),
    ]);
    expect(sections.chat_messages.map((m) => [m.conversationId, m.seq, m.author, m.body])).toEqual([
      [id, 1, 'customer', '我住 长寿路9号，宽带断了'],
      [id, 2, 'bot', '已记下 长寿路9号'],
      [id, 3, 'agent', '师傅明天上门 长寿路9号'],
    ]);
    expect(JSON.stringify(sections.chats) + JSON.stringify(sections.chat_messages)).not.toContain(agent.actor.id);
  });
});
