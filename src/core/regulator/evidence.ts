import { DateTime } from 'luxon';
import { maskFreeText } from '../privacy/free-text.js';
import { maskAddress, maskIdNumber, maskName, maskPhone } from '../privacy/masking.js';
import { APPEAL_CATEGORY_ZH, type AppealCategory, type EligibilityHint } from './referrals.js';

// The evidence pack's summary (issue 18): what the PDF says, section by section, with personal
// data shown as the recipient may see it. Pure: the use case loads the facts, renders the
// sections into the PDF and writes them beside it as JSON.

export type EvidenceFacts = {
  referral: {
    referralNumber: string;
    sourceName: string;
    receivedOn: string;
    appealedOn: string;
    deadline: string;
    matterOn: string | null;
    respondentUnit: string;
    category: AppealCategory;
    claim: string;
    facts: string;
    firstContactAt: Date | null;
    reply: { text: string; repliedOn: string } | null;
  };
  hints: EligibilityHint[];
  customer: { name: string; numbers: string[]; idNumber: string | null; address: string | null };
  ticket: { number: string; status: string; contactNumber: string | null; createdAt: Date };
  events: { at: Date; actor: string | null; kind: string; detail: string }[];
  messages: { at: Date; author: string | null; fromCustomer: boolean; visibility: string; body: string }[];
  calls: {
    startedAt: Date | null;
    endedAt: Date | null;
    caller: string;
    agent: string | null;
    recordingUrl: string | null;
  }[];
  firstComplaint: {
    number: string;
    createdAt: Date;
    status: string;
    subject: string;
    description: string;
    messages: { at: Date; fromCustomer: boolean; body: string }[];
  } | null;
  attachments: { fileName: string; size: number }[];
};

export type EvidenceSection = { heading: string; lines: string[] };
export type EvidenceDocument = { title: string; masked: boolean; sections: EvidenceSection[] };

const HINT_TEXT: Record<EligibilityHint, string> = {
  no_prior_complaint: '用户未先向企业投诉（第十条） / no complaint to the operator first (Art. 10)',
  complained_recently:
    '投诉未满 15 日且未答复即申诉（第十条） / appealed within 15 days of an unanswered complaint (Art. 10)',
  fee_dispute_too_old: '收费争议超过 5 个月（第十一条） / fee dispute older than 5 months (Art. 11)',
  matter_too_old: '申诉事项超过 2 年（第十一条） / matter older than 2 years (Art. 11)',
};

/**
 * The summary as the recipient may see it: masked, every number and ID in free text and every
 * field of personal data is masked (names to their first character); unmasked, as stored.
 */
export function evidenceDocument(f: EvidenceFacts, masked: boolean, zone: string): EvidenceDocument {
  // The customer's own name, address and ID number wherever free text repeats them, then every
  // phone and ID number the text holds.
  const known = (
    [
      [f.customer.address, maskAddress],
      [f.customer.idNumber, maskIdNumber],
      [f.customer.name, maskName],
    ] as const
  ).filter((k): k is readonly [string, (v: string) => string] => typeof k[0] === 'string' && k[0].length >= 2);
  const text = masked
    ? (s: string) => maskFreeText(known.reduce((out, [value, mask]) => out.split(value).join(mask(value)), s))
    : (s: string) => s;
  const phone = masked ? maskPhone : (s: string) => s;
  const name = masked ? maskName : (s: string) => s;
  const at = (d: Date | null) => (d ? DateTime.fromJSDate(d, { zone }).toFormat('yyyy-MM-dd HH:mm') : '—');
  const r = f.referral;
  return {
    title: `监管转办申诉证据材料 Evidence pack — ${r.sourceName} ${r.referralNumber}`,
    masked,
    sections: [
      {
        heading: '案件 Case',
        lines: [
          `转办单位 Referred by: ${r.sourceName}`,
          `转办编号 Referral number: ${r.referralNumber}`,
          `申诉类别 Category: ${APPEAL_CATEGORY_ZH[r.category]} (${r.category})`,
          `收到日期 Received: ${r.receivedOn}    用户申诉日期 Appealed: ${r.appealedOn}`,
          `答复期限 Deadline: ${r.deadline}    争议发生日期 Matter on: ${r.matterOn ?? '—'}`,
          `被申诉单位 Respondent: ${r.respondentUnit}`,
          `申诉人 Appellant: ${name(f.customer.name)}`,
          `电话 Numbers: ${f.customer.numbers.map(phone).join(', ') || '—'}`,
          `证件号 ID number: ${f.customer.idNumber ? (masked ? maskIdNumber(f.customer.idNumber) : f.customer.idNumber) : '—'}`,
          `地址 Address: ${f.customer.address ? (masked ? maskAddress(f.customer.address) : f.customer.address) : '—'}`,
          `工单 Ticket: ${f.ticket.number} (${f.ticket.status}), 联系电话 contact ${f.ticket.contactNumber ? phone(f.ticket.contactNumber) : '—'}`,
          `诉求 Claim: ${text(r.claim)}`,
          `事实 Facts: ${text(r.facts)}`,
          `受理条件提示 Eligibility hints: ${f.hints.length ? f.hints.map((h) => HINT_TEXT[h]).join('; ') : '无 none'}`,
        ],
      },
      {
        heading: '时间线 Timeline',
        lines: [
          `${r.receivedOn} 收到转办 referral received`,
          `${at(f.ticket.createdAt)} 登记工单 ticket ${f.ticket.number} opened`,
          `${at(r.firstContactAt)} 首次联系用户 first contact with the customer`,
          `${r.reply?.repliedOn ?? '—'} 答复监管部门 reply to the regulator (deadline ${r.deadline})`,
        ],
      },
      {
        heading: '沟通记录 Messages',
        lines: f.messages.length
          ? f.messages.map(
              (m) =>
                `${at(m.at)} [${m.visibility}] ${m.fromCustomer ? '客户 customer' : (m.author ?? '系统 system')}: ${text(m.body)}`,
            )
          : ['无 none'],
      },
      {
        heading: '通话记录 Call records',
        lines: f.calls.length
          ? f.calls.map((c) =>
              `${at(c.startedAt)} – ${at(c.endedAt)} ${phone(c.caller)} ${c.agent ? `坐席 agent ${c.agent}` : ''} ${c.recordingUrl ? `录音 recording ${c.recordingUrl}` : ''}`.trim(),
            )
          : ['无 none'],
      },
      {
        heading: '处理日志 Handling log',
        lines: f.events.map(
          (e) => `${at(e.at)} ${e.actor ?? '系统 system'} ${e.kind}${e.detail ? ` ${e.detail}` : ''}`,
        ),
      },
      {
        heading: '首次投诉 First complaint',
        lines: f.firstComplaint
          ? [
              `${f.firstComplaint.number} ${at(f.firstComplaint.createdAt)} (${f.firstComplaint.status})`,
              `主题 Subject: ${text(f.firstComplaint.subject)}`,
              `描述 Description: ${text(f.firstComplaint.description)}`,
              ...f.firstComplaint.messages.map(
                (m) => `${at(m.at)} ${m.fromCustomer ? '客户 customer' : '客服 agent'}: ${text(m.body)}`,
              ),
            ]
          : ['该客户此前未向企业投诉 No earlier complaint to the operator'],
      },
      {
        heading: '答复 Reply to the regulator',
        lines: r.reply ? [`${r.reply.repliedOn}: ${text(r.reply.text)}`] : ['尚未答复 Not replied yet'],
      },
      {
        heading: '附件 Attachments',
        lines: f.attachments.length
          ? f.attachments.map((a) => `attachments/${a.fileName} (${a.size} bytes)`)
          : ['无 none'],
      },
    ],
  };
}
