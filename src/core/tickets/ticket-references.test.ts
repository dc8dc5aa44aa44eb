import { describe, expect, it } from 'vitest';
import { referencedTicketIds, withoutHiddenTickets } from './ticket-references.js';

describe('references to other tickets in timeline events', () => {
  it('finds the other ticket of repeats, links and both sides of a merge', () => {
    expect(referencedTicketIds('repeat_detected', { earlier: 'a', earlierNumber: 'TS1', windowDays: 30 })).toEqual([
      'a',
    ]);
    expect(referencedTicketIds('linked', { other: 'b', otherNumber: 'TS2' })).toEqual(['b']);
    expect(referencedTicketIds('merged', { into: 'c', intoNumber: 'TS3', from: 'in_progress' })).toEqual(['c']);
    expect(referencedTicketIds('merged', { from: 'd', fromNumber: 'TS4' })).toEqual(['d']);
    expect(referencedTicketIds('updated', { before: {}, after: {} })).toEqual([]);
  });

  it('replaces an unreadable ticket’s id and number with a mark, keeping the rest', () => {
    const data = { earlier: 'a', earlierNumber: 'TS1', windowDays: 30 };
    expect(withoutHiddenTickets('repeat_detected', data, () => false)).toEqual({ windowDays: 30, hiddenTicket: true });
    expect(withoutHiddenTickets('repeat_detected', data, () => true)).toBe(data);
    // The duplicate's own `from` is its former status, not a ticket.
    const source = { into: 'c', intoNumber: 'TS3', from: 'in_progress' };
    expect(withoutHiddenTickets('merged', source, () => false)).toEqual({ from: 'in_progress', hiddenTicket: true });
  });

  it('hides the complaint a callback opened from a reader who may not read it', () => {
    const data = {
      callbackId: 'x',
      outcome: 'complaint_opened',
      rootCause: 'network',
      attempts: 1,
      complaint: 'e',
      complaintNumber: 'TS5',
    };
    expect(referencedTicketIds('callback_completed', data)).toEqual(['e']);
    expect(withoutHiddenTickets('callback_completed', data, () => false)).toEqual({
      callbackId: 'x',
      outcome: 'complaint_opened',
      rootCause: 'network',
      attempts: 1,
      hiddenTicket: true,
    });
  });
});
