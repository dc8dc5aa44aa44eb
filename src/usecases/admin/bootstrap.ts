import { v7 as uuidv7 } from 'uuid';
import { staff } from '../../db/schema.js';
import { hashPassword } from '../auth/passwords.js';
import type { Deps } from '../deps.js';

/** The first administrator of an installation without demo data. */
export async function createAdminAccount(deps: Deps, username: string, password: string): Promise<void> {
  await deps.db.insert(staff).values({
    id: uuidv7(),
    username,
    displayName: 'Administrator',
    passwordHash: await hashPassword(password),
    role: 'admin',
    createdAt: deps.clock.now(),
  });
}
