// PIPL: personal data is masked in every response unless revealed through the audited action.

/** 13812345678 → 138****5678; +8613812345678 keeps its country code. Short values are fully masked. */
export function maskPhone(value: string): string {
  const digits = value.replace(/\s|-/g, '');
  const match = /^(\+?86)?(\d+)$/.exec(digits);
  if (!match) return maskMiddle(value, 3, 4);
  const [, country = '', local = ''] = match;
  return country + maskMiddle(local, 3, 4);
}

/** A message recipient of any channel: a phone number as a phone number; an email address or open id keeps two characters at each end. */
export function maskRecipient(recipient: string): string {
  if (/^\+?\d{7,}$/.test(recipient)) return maskPhone(recipient);
  return recipient.length <= 4 ? '****' : `${recipient.slice(0, 2)}****${recipient.slice(-2)}`;
}

/** wang.xiaoming@qq.com → wa****@qq.com: the mailbox hidden but for two characters, the domain kept. */
export function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at < 1) return maskRecipient(value);
  const local = value.slice(0, at);
  return `${local.length <= 2 ? local.slice(0, 1) : local.slice(0, 2)}****${value.slice(at)}`;
}

/** 110101199003071234 → 1101**********1234 (first four, last four). */
export function maskIdNumber(value: string): string {
  return maskMiddle(value, 4, 4);
}

/** Keep the province/city part of a Chinese address, hide the street and number. */
export function maskAddress(value: string): string {
  const keep = Math.min(6, Math.floor(value.length / 3));
  return value.slice(0, keep) + '*'.repeat(Math.max(4, value.length - keep));
}

/** 张三丰 → 张** ; Zhang San → Z******** */
export function maskName(value: string): string {
  if (value.length <= 1) return '*';
  return value.slice(0, 1) + '*'.repeat(value.length - 1);
}

function maskMiddle(value: string, head: number, tail: number): string {
  if (value.length <= head + tail) return '*'.repeat(value.length);
  return value.slice(0, head) + '*'.repeat(value.length - head - tail) + value.slice(-tail);
}

export const PII_FIELDS = ['phone', 'email', 'id_number', 'address'] as const;
export type PiiField = (typeof PII_FIELDS)[number];
