import { asc, eq } from 'drizzle-orm';
import { SlaPolicySchema, type SlaPolicy } from '../../core/sla/sla-policy.js';
import type { DbOrTx } from '../../db/client.js';
import { slaPolicies } from '../../db/schema.js';

export async function loadPolicies(db: DbOrTx): Promise<SlaPolicy[]> {
  const rows = await db.select().from(slaPolicies).where(eq(slaPolicies.active, true)).orderBy(asc(slaPolicies.position));
  return rows.flatMap((r) => {
    const parsed = SlaPolicySchema.safeParse(r.definition);
    return parsed.success ? [parsed.data] : [];
  });
}
