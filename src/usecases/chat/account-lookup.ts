import { eq } from 'drizzle-orm';
import type { BotIntent, ChatLanguage } from '../../core/chat/types.js';
import type { DbOrTx } from '../../db/client.js';
import { customers } from '../../db/schema.js';

// Self-service answers from the customer's account (data balance, this month's bill, plan
// details), behind one interface so an operator's billing system can replace the demo. The bot
// asks only for a customer who signed in with the number's code (the caller checks).

export type AccountLookup = {
  /** The answer text for a signed-in customer, or null when the account cannot be read. */
  answer(db: DbOrTx, customerId: string, intent: BotIntent, language: ChatLanguage, now: Date): Promise<string | null>;
};

/** A plan's monthly fee and data allowance, read from its name (demo plans: 5G畅享套餐129元 …). */
function planFacts(plan: string): { fee: number; dataGb: number } {
  const fee = Number(/(\d+)元/.exec(plan)?.[1] ?? (plan.includes('宽带') ? 169 : 30));
  return { fee, dataGb: fee >= 199 ? 60 : fee >= 129 ? 30 : fee >= 58 ? 10 : 2 };
}

/** A number from 0 to n-1 that stays the same for a customer and a month (the demo's "usage"). */
function stable(customerId: string, month: string, n: number): number {
  let h = 0;
  for (const ch of `${customerId}:${month}`) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h % n;
}

/** The demo implementation over the demo customers' plans (customers.plans). */
export const demoAccountLookup: AccountLookup = {
  async answer(db, customerId, intent, language, now) {
    const [c] = await db.select({ plans: customers.plans }).from(customers).where(eq(customers.id, customerId));
    if (!c) return null;
    const plans = c.plans.length > 0 ? c.plans : ['4G畅聊套餐58元'];
    const month = now.toISOString().slice(0, 7);
    const main = planFacts(plans[0]!);
    const zh = language === 'zh';
    switch (intent) {
      case 'data_balance': {
        const usedTenths = stable(customerId, month, main.dataGb * 10);
        const left = (main.dataGb * 10 - usedTenths) / 10;
        return zh
          ? `您本月套餐内流量共 ${main.dataGb}GB，已用 ${usedTenths / 10}GB，剩余 ${left}GB。`
          : `Your plan includes ${main.dataGb} GB this month; used ${usedTenths / 10} GB, ${left} GB left.`;
      }
      case 'bill_explained': {
        const fees = plans.map((p) => planFacts(p).fee);
        const extra = stable(customerId, month, 20);
        const total = fees.reduce((a, b) => a + b, 0) + extra;
        const lines = plans.map((p, i) => `${p}: ${fees[i]}${zh ? '元' : ' yuan'}`).join(zh ? '；' : '; ');
        return zh
          ? `您${month}月账单合计 ${total} 元：${lines}；套餐外费用 ${extra} 元。`
          : `Your bill for ${month} is ${total} yuan: ${lines}; charges beyond the plan ${extra} yuan.`;
      }
      case 'plan_details':
        return zh
          ? `您当前的套餐：${plans.join('、')}。主套餐月费 ${main.fee} 元，含流量 ${main.dataGb}GB。`
          : `Your plans: ${plans.join(', ')}. The main plan costs ${main.fee} yuan a month with ${main.dataGb} GB of data.`;
    }
  },
};
