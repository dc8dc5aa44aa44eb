import { describe, expect, it } from 'vitest';
import { evidenceDocument, type EvidenceFacts } from './evidence.js';

const at = new Date('2026-11-20T02:00:00Z');
const facts: EvidenceFacts = {
  referral: {
    referralNumber: 'GXB-1',
    sourceName: '工信部',
    receivedOn: '2026-11-20',
    appealedOn: '2026-11-19',
    deadline: '2026-11-30',
    matterOn: null,
    respondentUnit: '广州分公司',
    category: 'fee_dispute',
    claim: '请回电 13812345678，陈大文',
    facts: '住在广东省广州市天河区体育西路88号',
    firstContactAt: null,
    reply: null,
  },
  hints: ['no_prior_complaint'],
  customer: {
    name: '陈大文',
    numbers: ['13812345678'],
    idNumber: '440106198807153318',
    address: '广东省广州市天河区体育西路88号',
  },
  ticket: { number: 'TS1', status: 'new', contactNumber: '13812345678', createdAt: at },
  events: [{ at, actor: '坐席', kind: 'created', detail: '' }],
  messages: [{ at, author: '坐席', fromCustomer: false, visibility: 'internal', body: '身份证 440106198807153318' }],
  calls: [{ startedAt: at, endedAt: at, caller: '13812345678', agent: null, recordingUrl: null }],
  firstComplaint: null,
  attachments: [],
};

describe('the evidence pack summary', () => {
  it('masks numbers, the ID number, the name and the address everywhere for a masked recipient', () => {
    const text = JSON.stringify(evidenceDocument(facts, true, 'Asia/Shanghai'));
    for (const secret of ['13812345678', '440106198807153318', '陈大文', '体育西路'])
      expect(text).not.toContain(secret);
    expect(text).toContain('138****5678');
    expect(text).toContain('陈**');
  });
  it('shows them as stored for a recipient who may see them', () => {
    const text = JSON.stringify(evidenceDocument(facts, false, 'Asia/Shanghai'));
    for (const value of ['13812345678', '440106198807153318', '陈大文', '体育西路']) expect(text).toContain(value);
  });
  it('says when the customer had not complained to the operator first', () => {
    const doc = evidenceDocument(facts, true, 'Asia/Shanghai');
    expect(doc.sections.find((s) => s.heading.startsWith('首次投诉'))!.lines[0]).toContain('未向企业投诉');
    expect(doc.sections[0]!.lines.at(-1)).toContain('Art. 10');
  });
});
