import { describe, expect, it } from 'vitest';
import { formatTicketNumber, TICKET_NUMBER_PATTERN } from './ticket-number.js';

describe('ticket numbers', () => {
  it('uses the local (Beijing) date, not the UTC date', () => {
    // 2026-11-21 17:30 UTC is already 22 November in Beijing.
    expect(formatTicketNumber(new Date('2026-11-21T17:30:00Z'), 123)).toBe('TS20261122000123');
  });
  it('grows past six digits instead of wrapping, so numbers stay unique', () => {
    expect(formatTicketNumber(new Date('2026-11-22T00:00:00Z'), 1_234_567)).toBe('TS202611221234567');
  });
  it('produces numbers the search recognises', () => {
    expect(TICKET_NUMBER_PATTERN.test(formatTicketNumber(new Date(), 1))).toBe(true);
    expect(TICKET_NUMBER_PATTERN.test('宽带掉线')).toBe(false);
  });
});
