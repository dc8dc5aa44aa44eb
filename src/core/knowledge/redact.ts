import { ID_NUMBER, LANDLINE, MOBILE, normalise } from '../privacy/free-text.js';

// A case drafted from a ticket carries no personal data (PIPL): the customer's known name,
// numbers, email addresses and addresses are replaced by placeholders, and so is anything that
// looks like one in the free text (ID numbers, mobile and landline numbers, emails, street
// addresses, "张先生"-style forms of address, long account numbers).

export const PLACEHOLDERS = {
  name: '【客户】',
  phone: '【电话】',
  idNumber: '【证件号】',
  email: '【邮箱】',
  address: '【地址】',
  number: '【号码】',
} as const;

/** What the ticket and its customer record say about the person, to be removed wherever it appears. */
export type KnownPersonalData = {
  names: readonly string[];
  numbers: readonly string[];
  emails: readonly string[];
  addresses: readonly string[];
};

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
const CN = '\\p{Script=Han}';
/** A street address: up to the door, the building, the unit and the room (…路88号3栋2单元501室). */
const ADDRESS = new RegExp(
  `(?:[${CN}]{2,8}(?:省|自治区|市|区|县|镇|乡))*[${CN}\\p{N}]{1,12}(?:路|街|大道|巷|弄|胡同|村|小区|花园|公寓)` +
    `(?:[\\p{N}一二三四五六七八九十]+(?:号|弄|巷))?(?:[\\p{N}一二三四五六七八九十]+(?:号楼|栋|幢|单元|层|楼|室|号))*`,
  'gu',
);
/** 张先生, 李女士, 王小姐: a surname with a form of address. */
const ADDRESSED = new RegExp(`[${CN}](?:先生|女士|小姐|老师|师傅)`, 'gu');
/** "我叫王小明", "我是李娜": a name the customer gives. */
const SELF_NAMED = new RegExp(`(我叫|我是|机主)([${CN}]{2,3})(?=[，。,.；;！!\\s]|$)`, 'gu');
/** Any other run of seven or more digits: broadband accounts, order and card numbers. */
const LONG_NUMBER = /\d{7,}/g;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function replaceKnown(text: string, values: readonly string[], placeholder: string): string {
  const list = [...new Set(values.map((v) => v.trim()).filter((v) => v.length >= 2))].sort(
    (a, b) => b.length - a.length,
  );
  if (list.length === 0) return text;
  return text.replace(new RegExp(list.map(escapeRegExp).join('|'), 'giu'), placeholder);
}

/** Numbers as typed and as digits only (138 1234 5678 and 13812345678 are the same number). */
const numberForms = (n: string) => [n, n.replace(/[\s-]/g, ''), n.replace(/^\+?86/, '')];

/** The text with every piece of personal data replaced by a placeholder. */
export function redactPersonalData(text: string, known: KnownPersonalData): string {
  let out = normalise(text);
  out = replaceKnown(out, known.emails, PLACEHOLDERS.email);
  out = replaceKnown(out, known.numbers.flatMap(numberForms), PLACEHOLDERS.phone);
  out = replaceKnown(out, known.addresses, PLACEHOLDERS.address);
  out = replaceKnown(out, known.names, PLACEHOLDERS.name);
  out = out.replace(EMAIL, PLACEHOLDERS.email);
  out = out.replace(ID_NUMBER, PLACEHOLDERS.idNumber);
  out = out.replace(MOBILE, PLACEHOLDERS.phone);
  out = out.replace(LANDLINE, PLACEHOLDERS.phone);
  out = out.replace(LONG_NUMBER, PLACEHOLDERS.number);
  out = out.replace(ADDRESS, (m) =>
    /[\p{N}一二三四五六七八九十](?:号|栋|幢|单元|室)/u.test(m) ? PLACEHOLDERS.address : m,
  );
  out = out.replace(ADDRESSED, PLACEHOLDERS.name);
  out = out.replace(SELF_NAMED, (m, lead: string, name: string) =>
    /用户|客户|机主/.test(name) ? m : `${lead}${PLACEHOLDERS.name}`,
  );
  return out;
}
