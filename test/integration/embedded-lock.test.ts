import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirLockedError, openPglite } from '../../src/db/client.js';

describe('embedded database folder', () => {
  it('refuses a second opener of the same data folder, and admits one after the first closes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loopdesk-lock-'));
    try {
      const first = await openPglite(dir);
      await expect(openPglite(dir)).rejects.toBeInstanceOf(DataDirLockedError);
      await first.close();
      const second = await openPglite(dir);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
