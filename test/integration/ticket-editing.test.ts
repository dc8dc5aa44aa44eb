import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { categoryId } from '../../src/db/reference-data.js';
import { receiveChannelMessage } from '../../src/usecases/channels/receive-channel-message.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, type Harness, type Session } from '../helpers/harness.js';

// Correcting a ticket: a contact that came in through a channel arrives as an inquiry of grade
// general, and the agent who reads it makes it what it is. The timeline keeps every change with the
// classification's before/after, and never the customer's words or number.

const INTAKE = `edit-intake-${Date.now().toString(36)}`;

describe.each(ENGINES)('editing a ticket on %s', (engine) => {
  let h: Harness;
  let agent: Session;
  beforeAll(async () => {
    h = await startHarness(engine, { env: { LOOPDESK_INTAKE_QUEUES: INTAKE } });
    const team = await h.buildTeam({ code: INTAKE, kind: 'frontline', name: '一线受理' });
    agent = await h.signIn('agent', team);
  }, 180_000);
  afterAll(() => h?.close());

  let counter = 0;
  /** An SMS ticket as it arrives where suggestions are never applied: an unclassified inquiry. */
  async function smsTicket(msisdn: string, text: string) {
    const { ticketId } = await receiveChannelMessage({ ...h.deps, classifyApplyAt: 1 }, 'sms', {
      messageId: `edit-${Date.now()}-${counter++}`,
      from: { msisdn },
      text,
    });
    const res = await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${ticketId}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }
  const patch = (id: string, payload: object) =>
    h.request(agent, { method: 'PATCH', url: `/api/v1/tickets/${id}`, payload });
  const timelineOf = async (id: string) =>
    (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${id}/timeline` })).json().items as {
      kind: string;
      data: Record<string, unknown>;
    }[];

  it('reclassifies an SMS ticket as a fault with its details and a contact number; priority follows and the timeline keeps no personal data', async () => {
    const ticket = await smsTicket('13755550001', '家里宽带断网两天了');
    expect(ticket).toMatchObject({ channel: 'sms', type: 'inquiry', grade: 'general', category: null });
    expect(ticket.abilities).toContain('edit');

    const res = await patch(ticket.id, {
      version: ticket.version,
      type: 'fault',
      categoryId: categoryId('fault-broadband-down'),
      grade: 'major',
      subject: '宽带断网两天',
      tags: ['宽带'],
      contactNumber: '+8613755550002',
      details: {
        location: '天河区中山大道100号3栋',
        symptom: '光猫LOS灯红',
        scope: 'building',
        onsetAt: '2026-11-26T08:00:00+08:00',
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const edited = res.json();
    expect(edited).toMatchObject({
      type: 'fault',
      grade: 'major',
      category: { code: 'fault-broadband-down' },
      subject: '宽带断网两天',
      tags: ['宽带'],
      details: { location: '天河区中山大道100号3栋', symptom: '光猫LOS灯红', scope: 'building' },
      contactNumber: '137****0002', // stored normalised, shown masked
      priority: 2, // fault 2 + major 3 = 5: P2 (was inquiry/general: P4)
      version: ticket.version + 1,
    });

    const updated = (await timelineOf(ticket.id)).filter((e) => e.kind === 'updated');
    expect(updated).toHaveLength(1);
    expect(updated[0]!.data).toEqual({
      changed: ['type', 'categoryId', 'grade', 'subject', 'details', 'tags', 'contactNumber', 'priority'],
      before: { type: 'inquiry', categoryId: null, grade: 'general', tags: [], priority: 4 },
      after: {
        type: 'fault',
        categoryId: categoryId('fault-broadband-down'),
        grade: 'major',
        tags: ['宽带'],
        priority: 2,
      },
    });
    // The append-only rows themselves hold neither the words nor the number.
    const rows = await queryRows<{ data: unknown }>(
      h.database.db,
      sql`SELECT data FROM ticket_events WHERE ticket_id = ${ticket.id} AND kind = 'updated'`,
    );
    const stored = JSON.stringify(rows);
    for (const secret of ['宽带断网两天', '13755550002', '5555', '天河区', '光猫'])
      expect(stored).not.toContain(secret);
  });

  it('clears the contact number with null, and says which field changed', async () => {
    const ticket = await smsTicket('13755550003', '查一下话费');
    const set = (await patch(ticket.id, { version: ticket.version, contactNumber: '13755550004' })).json();
    expect(set.contactNumber).toBe('137****0004');
    const cleared = await patch(ticket.id, { version: set.version, contactNumber: null });
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(cleared.json().contactNumber).toBeNull();
    expect((await timelineOf(ticket.id)).filter((e) => e.kind === 'updated').map((e) => e.data)).toEqual([
      { changed: ['contactNumber'], before: {}, after: {} },
      { changed: ['contactNumber'], before: {}, after: {} },
    ]);
  });

  it('refuses a category of another type and a malformed contact number, naming the field', async () => {
    const ticket = await smsTicket('13755550005', '信号不好');
    const mismatch = await patch(ticket.id, {
      version: ticket.version,
      type: 'complaint',
      categoryId: categoryId('fault-network-slow'),
    });
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.json().error).toMatchObject({
      code: 'ticket.category_type_mismatch',
      details: { field: 'categoryId' },
    });
    const badNumber = await patch(ticket.id, { version: ticket.version, contactNumber: '12345' });
    expect(badNumber.statusCode).toBe(400);
    expect(badNumber.json().error.details.issues[0].path).toEqual(['contactNumber']);
    // Nothing was saved by either refusal.
    expect((await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${ticket.id}` })).json().version).toBe(
      ticket.version,
    );
  });

  it('keeps the priority a routing rule or escalation raised when an edit makes the facts milder', async () => {
    const ticket = await smsTicket('13755550006', '投诉营业厅');
    await h.database.db.execute(sql`UPDATE tickets SET priority = 1, priority_floor = 1 WHERE id = ${ticket.id}`);
    const res = await patch(ticket.id, { version: ticket.version, type: 'service_request' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ type: 'service_request', priority: 1 });
  });
});
