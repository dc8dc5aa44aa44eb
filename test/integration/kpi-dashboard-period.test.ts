import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';

// The dashboard's days are the installation's (Asia/Shanghai here). A browser elsewhere, or one
// whose clock is off, must not pick "today": without a period the server gives the last 30 days.

describe.each(ENGINES)('the KPI dashboard’s default period on %s', (engine) => {
  let h: Harness;
  let supervisor: Session;
  beforeAll(async () => {
    // 17:00 UTC on 28 November is 01:00 on the 29th in Beijing.
    h = await startHarness(engine, { clock: testClock(new Date('2026-11-28T17:00:00Z')) });
    supervisor = await h.signIn('supervisor', await h.buildTeam());
  });
  afterAll(() => h?.close());

  const dashboard = (query: string) => h.request(supervisor, { method: 'GET', url: `/api/v1/kpi/dashboard${query}` });

  it('shows the last 30 local days up to today in the installation’s time zone when no period is given', async () => {
    const res = await dashboard('');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ from: '2026-10-31', to: '2026-11-29', timeZone: 'Asia/Shanghai' });
    const monthly = await dashboard('?granularity=month');
    expect(monthly.json()).toMatchObject({ from: '2026-10-31', to: '2026-11-29', granularity: 'month' });
  });

  it('refuses a period with only one end, with a machine-readable code', async () => {
    for (const query of ['?from=2026-11-01', '?to=2026-11-01']) {
      const res = await dashboard(query);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('request.invalid');
    }
  });
});
