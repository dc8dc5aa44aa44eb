import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { findOrCreateCustomer } from '../../src/usecases/customers/find-or-create-customer.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, type Harness } from '../helpers/harness.js';

// A customer who wrote by email: the address they wrote from is on their profile, masked like a
// number, and shown in full only through the audited reveal.

describe.each(ENGINES)('a customer’s email address on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(engine);
  }, 180_000);
  afterAll(() => h?.close());

  const emailCustomer = (address: string) =>
    h.database.db.transaction((tx) =>
      findOrCreateCustomer(tx, { identity: { channel: 'email', externalUserId: address } }, '王小明', new Date()),
    );

  it('shows the address masked on the customer and in the search, and in full only through a logged reveal', async () => {
    const customerId = await emailCustomer('wang.xiaoming@qq.com');
    const agent = await h.signIn('agent');
    const view = await h.request(agent, { method: 'GET', url: `/api/v1/customers/${customerId}` });
    expect(view.statusCode, view.body).toBe(200);
    expect(view.json().emails).toEqual(['wa****@qq.com']);
    expect(view.body).not.toContain('wang.xiaoming');
    const search = await h.request(agent, { method: 'GET', url: '/api/v1/customers?q=王小明' });
    expect(search.json().items.find((c: { id: string }) => c.id === customerId).emails).toEqual(['wa****@qq.com']);

    const reveal = await h.request(agent, {
      method: 'POST',
      url: `/api/v1/customers/${customerId}/reveal`,
      payload: { field: 'email', reason: '核实客户邮箱以便回复' },
    });
    expect(reveal.statusCode, reveal.body).toBe(200);
    expect(reveal.json()).toEqual({ field: 'email', values: ['wang.xiaoming@qq.com'] });
    const log = await queryRows<{ field: string; reason: string }>(
      h.database.db,
      sql`SELECT field, reason FROM pii_access_log WHERE customer_id = ${customerId}`,
    );
    expect(log).toEqual([{ field: 'email', reason: '核实客户邮箱以便回复' }]);
  });

  it('gives a customer known only by number no addresses', async () => {
    const customerId = await h.buildCustomer();
    const agent = await h.signIn('agent');
    expect((await h.request(agent, { method: 'GET', url: `/api/v1/customers/${customerId}` })).json().emails).toEqual(
      [],
    );
  });
});
