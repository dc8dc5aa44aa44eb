import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, TEST_PASSWORD, type Harness } from '../helpers/harness.js';

// The browser judges a cookie's life by its own clock. A session cookie carrying the server's
// absolute expiry is thrown away at once by a browser whose clock runs ahead of the server's.

describe.each(ENGINES)('the staff session cookie on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    // A server clock a year behind the real one.
    h = await startHarness(engine, { clock: testClock(new Date('2025-11-28T11:00:00+08:00')) });
  });
  afterAll(() => h?.close());

  it('lasts the session length counted from when the browser gets it, not until a date on the server clock', async () => {
    const agent = await h.buildStaff('agent', null);
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: agent.username, password: TEST_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(new RegExp(`Max-Age=${h.config.sessionHours * 3600}(;|$)`));
    expect(cookie).not.toMatch(/Expires=/i);
  });
});
