import { describe, expect, it } from 'vitest';
import { redactDigits } from './logging.js';

describe('log redaction', () => {
  it('masks phone and ID numbers in logged URLs', () => {
    expect(redactDigits('/api/v1/customers?q=13812345678')).toBe('/api/v1/customers?q=138****78');
    expect(redactDigits('/x?id=110101199003071234')).not.toContain('1990030712');
  });
  it('leaves short numbers such as page sizes alone', () => {
    expect(redactDigits('/api/v1/tickets?limit=50')).toBe('/api/v1/tickets?limit=50');
  });
});
