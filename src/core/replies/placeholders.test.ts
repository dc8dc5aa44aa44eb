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
    const values = placeholderValues(facts, { mayReadCustomers: true });
    expect(fillPlaceholders('{{customer.name}}您好，工单 {{ ticket.number }} 已受理。客服{{agent.name}}', values)).toBe(
      '张三丰您好，工单 T20261120-0001 已受理。客服李客服',
    );
  });

  it('fills a contact number masked, never as stored', () => {
    const values = placeholderValues(facts, { mayReadCustomers: true });
    expect(fillPlaceholders('回拨号码 {{customer.phone}}', values)).toBe('回拨号码 138****5678');
  });

  it('masks the customer name for a viewer who may not read customer records', () => {
    const values = placeholderValues(facts, { mayReadCustomers: false });
    expect(fillPlaceholders('{{customer.name}}', values)).toBe('张**');
  });

  it('leaves unknown placeholders and ones without a value visible as written', () => {
    const values = placeholderValues({ ...facts, contactNumber: null }, { mayReadCustomers: true });
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
