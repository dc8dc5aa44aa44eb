import { and, eq } from 'drizzle-orm';
import { AppError } from '../../core/errors/app-error.js';
import type { DbOrTx } from '../../db/client.js';
import { categories, grades, staff } from '../../db/schema.js';

export const unknownReference = (field: string, message: string) =>
  new AppError('ticket.unknown_reference', message, { field });

export async function checkGrade(db: DbOrTx, code: string): Promise<void> {
  const [grade] = await db.select().from(grades).where(eq(grades.code, code));
  if (!grade) throw unknownReference('grade', `Unknown grade "${code}"`);
}

export async function checkCategory(tx: DbOrTx, categoryId: string, type: string) {
  const [category] = await tx.select().from(categories).where(eq(categories.id, categoryId));
  checkCategoryFor(category ?? null, type);
}

/** A ticket of `type` may be filed under `category` (null: there is no such category) when it is active and of that type. */
export function checkCategoryFor(
  category: Pick<typeof categories.$inferSelect, 'active' | 'ticketType' | 'nameZh'> | null,
  type: string,
): void {
  if (!category || !category.active) throw unknownReference('categoryId', 'No such category');
  if (category.ticketType && category.ticketType !== type) {
    throw new AppError(
      'ticket.category_type_mismatch',
      `Category "${category.nameZh}" belongs to ${category.ticketType} tickets, not ${type}`,
      { field: 'categoryId', categoryType: category.ticketType },
    );
  }
}

/** Work can be handed only to someone who can still sign in. */
export async function checkActiveStaff(db: DbOrTx, id: string): Promise<void> {
  const [person] = await db
    .select({ id: staff.id })
    .from(staff)
    .where(and(eq(staff.id, id), eq(staff.active, true)));
  if (!person)
    throw new AppError('ticket.assignee_invalid', 'The assignee must be an active staff member', {
      field: 'assigneeId',
    });
}
