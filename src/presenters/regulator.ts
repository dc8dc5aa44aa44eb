import type { z } from 'zod';
import { canRevealPii, canWorkTicket, type Actor, type TicketAccessFacts } from '../core/auth/policy.js';
import { freeTextFor } from '../core/privacy/free-text.js';
import { maskPhone } from '../core/privacy/masking.js';
import type { AppealCategory, EligibilityHint, ReferralStatus } from '../core/regulator/referrals.js';
import type { EvidencePackView, ReferralDetail, ReferralSummary } from '../contracts/regulator.js';

// What staff see of a referral case: personal data (the appellant's name, numbers in the claim and
// facts, the contact number) masked as everywhere else, and the actions legal now.

type Referral = {
  id: string;
  referralNumber: string;
  receivedOn: string;
  appealedOn: string;
  deadline: string;
  matterOn: string | null;
  category: AppealCategory;
  status: ReferralStatus;
  respondentUnit: string;
  claim: string;
  facts: string;
  firstContactAt: Date | null;
  reportDueAt: Date;
  replyText: string | null;
  repliedOn: string | null;
  replyRecordedAt: Date | null;
  createdAt: Date;
};
type Source = { code: string; nameZh: string; nameEn: string };
type Pack = {
  id: string;
  fileName: string;
  size: number;
  masked: boolean;
  generatedAt: Date;
  manifest: { messages: number; events: number; calls: number; attachments: unknown[]; linkedTickets: unknown[] };
};
type Clock = { dueAt: Date | null; metAt: Date | null; breachedAt: Date | null };
type StaffName = { id: string; displayName: string } | null;

export type ReferralSummaryRecord = {
  referral: Referral;
  source: Source;
  customerName: string;
  ticket: { id: string; number: string; status: string };
};

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function presentReferralSummary(r: ReferralSummaryRecord, viewer: Actor): z.output<typeof ReferralSummary> {
  return {
    id: r.referral.id,
    source: { code: r.source.code, nameZh: r.source.nameZh, nameEn: r.source.nameEn },
    referralNumber: r.referral.referralNumber,
    receivedOn: r.referral.receivedOn,
    deadline: r.referral.deadline,
    category: r.referral.category,
    status: r.referral.status,
    customerName: freeTextFor(viewer)(r.customerName),
    ticket: r.ticket,
    reportDueAt: r.referral.reportDueAt.toISOString(),
    createdAt: r.referral.createdAt.toISOString(),
  };
}

export function presentEvidencePack(p: Pack, by: StaffName): z.output<typeof EvidencePackView> {
  return {
    id: p.id,
    fileName: p.fileName,
    size: p.size,
    masked: p.masked,
    generatedBy: by,
    generatedAt: p.generatedAt.toISOString(),
    contents: {
      messages: p.manifest.messages,
      events: p.manifest.events,
      calls: p.manifest.calls,
      attachments: p.manifest.attachments.length,
      linkedTickets: p.manifest.linkedTickets.length,
    },
  };
}

export type ReferralDetailRecord = ReferralSummaryRecord & {
  access: TicketAccessFacts;
  contactNumber: string | null;
  hints: EligibilityHint[];
  clocks: { firstContact: Clock; report: Clock };
  linkedTickets: { id: string; number: string; subject: string; status: string; createdAt: Date }[];
  replyBy: StaffName;
  packs: { pack: Pack; by: StaffName }[];
};

export function presentReferral(r: ReferralDetailRecord, viewer: Actor): ReferralDetail {
  const text = freeTextFor(viewer);
  const ref = r.referral;
  const works = canWorkTicket(viewer, r.access);
  const open = ref.status === 'open';
  const clock = (c: Clock) => ({ dueAt: iso(c.dueAt), metAt: iso(c.metAt), breachedAt: iso(c.breachedAt) });
  const abilities: ReferralDetail['abilities'] = [];
  if (works && ref.firstContactAt === null) abilities.push('record_contact');
  if (works && open) abilities.push('record_reply');
  if (works) abilities.push('generate_pack');
  if (works && canRevealPii(viewer)) abilities.push('generate_unmasked_pack');
  return {
    ...presentReferralSummary(r, viewer),
    appealedOn: ref.appealedOn,
    matterOn: ref.matterOn,
    respondentUnit: ref.respondentUnit,
    claim: text(ref.claim),
    facts: text(ref.facts),
    contactNumber: r.contactNumber ? maskPhone(r.contactNumber) : null,
    hints: r.hints,
    clocks: { firstContact: clock(r.clocks.firstContact), report: clock(r.clocks.report) },
    firstContactAt: iso(ref.firstContactAt),
    linkedTickets: r.linkedTickets.map((t) => ({
      ...t,
      subject: text(t.subject),
      createdAt: t.createdAt.toISOString(),
    })),
    reply:
      ref.replyText !== null && ref.repliedOn !== null && ref.replyRecordedAt !== null
        ? {
            text: text(ref.replyText),
            repliedOn: ref.repliedOn,
            recordedAt: ref.replyRecordedAt.toISOString(),
            recordedBy: r.replyBy,
          }
        : null,
    evidencePacks: r.packs.map((p) => presentEvidencePack(p.pack, p.by)),
    abilities,
  };
}
