import { ticketPriority } from '../../core/tickets/priority.js';
import { recordEvent } from '../tickets/record-event.js';
import { and, asc, eq, ilike, inArray, ne, sql, type SQL } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { canReadCustomers, canSupervise, canWriteCustomers, WORKER_ROLES, type Actor } from '../../core/auth/policy.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import type { CustomerCreate, CustomerSearchQuery, CustomerUpdate } from '../../contracts/customers.js';
import type { DbOrTx } from '../../db/client.js';
import { customerIdentities, customerNumbers, customers, staff, tickets } from '../../db/schema.js';
import { OPEN_STATUSES } from '../../core/tickets/state-machine.js';
import { recalculateSla } from '../sla/sla-lifecycle.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { Deps } from '../deps.js';
import { priorityWeightsOf } from '../admin/settings.js';

/** +86 13812345678 and 13812345678 are the same number. */
export const normaliseMsisdn = (n: string): string => n.replace(/[\s-]/g, '').replace(/^\+?86(?=1\d{10}$)/, '');

function requireRead(actor: Actor) {
  if (!canReadCustomers(actor)) throw new AppError('auth.forbidden', 'Your role cannot look up customers');
}
function requireWrite(actor: Actor) {
  if (!canWriteCustomers(actor)) throw new AppError('auth.forbidden', 'Your role cannot change customers');
}

export async function numbersOf(db: DbOrTx, customerIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>(customerIds.map((id) => [id, []]));
  if (customerIds.length === 0) return map;
  const rows = await db
    .select()
    .from(customerNumbers)
    .where(inArray(customerNumbers.customerId, customerIds))
    .orderBy(asc(customerNumbers.position));
  for (const r of rows) map.get(r.customerId)!.push(r.msisdn);
  return map;
}

/** The email addresses customers wrote from (their email identities), oldest first. */
export async function emailsOf(db: DbOrTx, customerIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>(customerIds.map((id) => [id, []]));
  if (customerIds.length === 0) return map;
  const rows = await db
    .select({ customerId: customerIdentities.customerId, address: customerIdentities.externalUserId })
    .from(customerIdentities)
    .where(and(eq(customerIdentities.channel, 'email'), inArray(customerIdentities.customerId, customerIds)))
    .orderBy(asc(customerIdentities.createdAt));
  for (const r of rows) map.get(r.customerId)!.push(r.address);
  return map;
}

/** The account managers of customers, by customer id (absent: none). */
export async function accountManagersOf(
  db: DbOrTx,
  rows: { id: string; accountManagerId: string | null }[],
): Promise<Map<string, { id: string; name: string }>> {
  const ids = [...new Set(rows.map((r) => r.accountManagerId).filter((id): id is string => id !== null))];
  const map = new Map<string, { id: string; name: string }>();
  if (ids.length === 0) return map;
  const people = await db.select({ id: staff.id, name: staff.displayName }).from(staff).where(inArray(staff.id, ids));
  const byId = new Map(people.map((p) => [p.id, p]));
  for (const r of rows) {
    const manager = r.accountManagerId ? byId.get(r.accountManagerId) : undefined;
    if (manager) map.set(r.id, manager);
  }
  return map;
}

/** Tiers whose customers may have a dedicated account manager (the handbook's high-value customers). */
export const ACCOUNT_MANAGED_TIERS = ['vip', 'gold'] as const;

/**
 * Setting an account manager: supervisors and admins only, an active person who takes tickets,
 * for a VIP or gold customer.
 */
async function checkAccountManager(
  tx: DbOrTx,
  actor: Actor,
  customerId: string,
  managerId: string | null,
  newTier: string | undefined,
) {
  if (!canSupervise(actor)) {
    throw new AppError('auth.forbidden', 'Only supervisors and admins choose account managers');
  }
  if (managerId === null) return;
  const [customer] = await tx.select({ tier: customers.tier }).from(customers).where(eq(customers.id, customerId));
  if (!customer) throw notFound('Customer');
  const tier = newTier ?? customer.tier;
  if (!(ACCOUNT_MANAGED_TIERS as readonly string[]).includes(tier)) {
    throw new AppError('customer.not_high_value', 'Only VIP and gold customers have an account manager', { tier });
  }
  const [person] = await tx
    .select({ role: staff.role, active: staff.active })
    .from(staff)
    .where(eq(staff.id, managerId));
  if (!person || !person.active || !WORKER_ROLES.includes(person.role)) {
    throw new AppError(
      'customer.account_manager_invalid',
      'The account manager must be an active member of staff who takes tickets',
      {
        accountManagerId: managerId,
      },
    );
  }
}

async function saveNumbers(db: DbOrTx, customerId: string, numbers: string[]) {
  const unique = [...new Set(numbers.map(normaliseMsisdn))];
  await db.delete(customerNumbers).where(eq(customerNumbers.customerId, customerId));
  const taken = await db
    .select({ msisdn: customerNumbers.msisdn })
    .from(customerNumbers)
    .where(inArray(customerNumbers.msisdn, unique));
  if (taken.length > 0) {
    throw new AppError('customer.number_taken', 'A number already belongs to another customer', {
      numbers: taken.map((t) => t.msisdn),
    });
  }
  await db.insert(customerNumbers).values(unique.map((msisdn, position) => ({ msisdn, customerId, position })));
}

export async function createCustomer(
  deps: Deps,
  actor: Actor,
  input: z.output<typeof CustomerCreate>,
): Promise<string> {
  requireWrite(actor);
  const id = uuidv7();
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const { numbers, ...fields } = input;
    await tx.insert(customers).values({ id, ...fields, createdAt: now, updatedAt: now });
    await saveNumbers(tx, id, numbers);
  });
  return id;
}

export async function updateCustomer(
  deps: Deps,
  actor: Actor,
  id: string,
  input: z.output<typeof CustomerUpdate>,
): Promise<void> {
  requireWrite(actor);
  await deps.db.transaction(async (tx) => {
    const { numbers, ...fields } = input;
    if (fields.accountManagerId !== undefined) {
      await checkAccountManager(tx, actor, id, fields.accountManagerId, fields.tier);
    }
    const updated = await tx
      .update(customers)
      .set({ ...fields, updatedAt: deps.clock.now() })
      .where(eq(customers.id, id))
      .returning({ id: customers.id });
    if (updated.length === 0) throw notFound('Customer');
    if (numbers) await saveNumbers(tx, id, numbers);
    if (fields.tier) {
      // The tickets carry the customer's tier (the VIP view's index): every ticket of theirs follows.
      await tx
        .update(tickets)
        .set({ customerTier: fields.tier })
        .where(and(eq(tickets.customerId, id), ne(tickets.customerTier, fields.tier)));
      // A new tier means another priority, and can mean another SLA policy, for the customer's open tickets.
      const now = deps.clock.now();
      const open = await tx
        .select()
        .from(tickets)
        .where(and(eq(tickets.customerId, id), inArray(tickets.status, [...OPEN_STATUSES])))
        .for('update');
      const weights = open.length > 0 ? await priorityWeightsOf(tx, deps) : undefined;
      for (const ticket of open) {
        const priority = ticketPriority(
          { type: ticket.type, grade: ticket.grade, tier: fields.tier },
          ticket.priorityFloor,
          weights,
        );
        if (priority !== ticket.priority) {
          await tx
            .update(tickets)
            .set({ priority, version: ticket.version + 1, updatedAt: now })
            .where(eq(tickets.id, ticket.id));
          await recordEvent(tx, {
            ticketId: ticket.id,
            actorId: actor.id,
            kind: 'updated',
            at: now,
            data: { changed: ['priority'], before: { priority: ticket.priority }, after: { priority } },
          });
        }
        await recalculateSla(tx, ticket, now);
      }
    }
  });
}

export async function getCustomer(deps: Deps, actor: Actor, id: string) {
  requireRead(actor);
  const [customer] = await deps.db.select().from(customers).where(eq(customers.id, id));
  if (!customer) throw notFound('Customer');
  return {
    customer,
    numbers: (await numbersOf(deps.db, [id])).get(id)!,
    emails: (await emailsOf(deps.db, [id])).get(id)!,
    accountManager: (await accountManagersOf(deps.db, [customer])).get(id) ?? null,
  };
}

const Cursor = z.object({ n: z.string(), i: z.uuid() });

/**
 * Finds customers by full number, by the last 4+ digits (a reversed-number index makes the
 * suffix search an index range scan), or by name.
 */
export async function searchCustomers(deps: Deps, actor: Actor, q: z.output<typeof CustomerSearchQuery>) {
  requireRead(actor);
  const filters: (SQL | undefined)[] = [];
  const text = q.q?.trim();
  if (text) {
    const digits = normaliseMsisdn(text);
    if (/^\d{4,}$/.test(digits)) {
      const reversed = [...digits]
        .reverse()
        .join('')
        .replace(/[\\%_]/g, '\\$&');
      filters.push(
        inArray(
          customers.id,
          deps.db
            .select({ id: customerNumbers.customerId })
            .from(customerNumbers)
            .where(sql`reverse(${customerNumbers.msisdn}) LIKE ${reversed + '%'}`),
        ),
      );
    } else {
      filters.push(ilike(customers.name, `%${text.replace(/[\\%_]/g, '\\$&')}%`));
    }
  }
  if (q.tier) filters.push(eq(customers.tier, q.tier));
  const cursor = decodeCursor(q.cursor, Cursor);
  if (cursor) {
    filters.push(sql`(${customers.name}, ${customers.id}) > (${cursor.n}, ${cursor.i})`);
  }
  const rows = await deps.db
    .select()
    .from(customers)
    .where(and(...filters))
    .orderBy(asc(customers.name), asc(customers.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const numbers = await numbersOf(
    deps.db,
    page.map((c) => c.id),
  );
  const emails = await emailsOf(
    deps.db,
    page.map((c) => c.id),
  );
  const managers = await accountManagersOf(deps.db, page);
  const last = page.at(-1);
  return {
    items: page.map((customer) => ({
      customer,
      numbers: numbers.get(customer.id)!,
      emails: emails.get(customer.id)!,
      accountManager: managers.get(customer.id) ?? null,
    })),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ n: last.name, i: last.id }) : null,
  };
}
