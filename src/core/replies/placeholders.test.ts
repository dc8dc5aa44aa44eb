import { describe, expect, it } from 'vitest';
import { fillPlaceholders, placeholdersIn, placeholderValues, unknownPlaceholders } from './placeholders.js';

const facts = {
  ticketNumber: 'T20261120-0001',
  subject: '宽带频繁掉线',
  customerName: '张三丰',
  contactNumber: '13812345678',
  agentName: '李客服',
};

describe('reply placeholders', () => {
  it('fills the customer, ticket and agent placeholders, with spaces inside the braces allowed', () => {
    const values = placeholderValues(facts, { masksFreeText: false });
    expect(fillPlaceholders('{{customer.name}}您好，工单 {{ ticket.number }} 已受理。客服{{agent.name}}', values)).toBe(
      '张三丰您好，工单 T20261120-0001 已受理。客服李客服',
    );
  });

  it('fills a contact number masked, never as stored', () => {
    const values = placeholderValues(facts, { masksFreeText: false });
    expect(fillPlaceholders('回拨号码 {{customer.phone}}', values)).toBe('回拨号码 138****5678');
  });

  it('masks numbers in the name and subject for a viewer who sees free text masked', () => {
    const values = placeholderValues(
      { ...facts, customerName: '张三 13812345678', subject: '回拨 13912345678' },
      { masksFreeText: true },
    );
    expect(fillPlaceholders('{{customer.name}} / {{ticket.subject}}', values)).toBe(
      '张三 138****5678 / 回拨 139****5678',
    );
  });

  it('leaves unknown placeholders and ones without a value visible as written', () => {
    const values = placeholderValues({ ...facts, contactNumber: null }, { masksFreeText: false });
    expect(fillPlaceholders('{{customer.phone}} {{customer.email}}', values)).toBe(
      '{{customer.phone}} {{customer.email}}',
    );
  });

  it('lists the placeholders a text uses and the ones it cannot fill', () => {
    const text = 'Dear {{customer.name}}, {{ticket.number}} {{customer.name}} {{order.id}}';
    expect(placeholdersIn(text)).toEqual(['customer.name', 'ticket.number', 'order.id']);
    expect(unknownPlaceholders(text)).toEqual(['order.id']);
  });
});
