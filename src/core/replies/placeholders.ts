import { maskFreeText } from '../privacy/free-text.js';
import { maskPhone } from '../privacy/masking.js';

// Placeholders in managed replies and macro notes: {{customer.name}}, {{ticket.number}} … filled
// from the ticket as the viewer sees it. Personal data follows the viewer's masking: a contact
// number is always the masked number (a reveal is for reading, never for copying into a message),
// and for a viewer who sees free text masked (QA, departments) numbers in the name and subject are
// masked as on the ticket page.

export const PLACEHOLDERS = [
  'customer.name',
  'customer.phone',
  'ticket.number',
  'ticket.subject',
  'agent.name',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type PlaceholderValues = Partial<Record<Placeholder, string>>;

const PATTERN = /\{\{\s*([\w.]+)\s*\}\}/g;

/** The placeholder names a text uses, in order of first use. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PATTERN)].map((m) => m[1]!))];
}

/** Names used in the text that are not placeholders we can fill (a typo, or one from another product). */
export function unknownPlaceholders(text: string): string[] {
  return placeholdersIn(text).filter((name) => !(PLACEHOLDERS as readonly string[]).includes(name));
}

/** Fills every known placeholder that has a value; the others stay visible as written, for the agent to notice. */
export function fillPlaceholders(text: string, values: PlaceholderValues): string {
  return text.replace(PATTERN, (whole, name: string) => values[name as Placeholder] ?? whole);
}

export type PlaceholderFacts = {
  ticketNumber: string;
  subject: string;
  customerName: string;
  /** The contact number as stored (or already masked); filled masked. */
  contactNumber: string | null;
  agentName: string;
};

/**
 * The values for one viewer: personal data masked as that viewer sees it. `masksFreeText` is true
 * for viewers who may not reveal personal data (the same rule as the ticket presenter's free text).
 */
export function placeholderValues(facts: PlaceholderFacts, viewer: { masksFreeText: boolean }): PlaceholderValues {
  const text = viewer.masksFreeText ? maskFreeText : (s: string) => s;
  return {
    'customer.name': text(facts.customerName),
    ...(facts.contactNumber ? { 'customer.phone': maskPhone(facts.contactNumber) } : {}),
    'ticket.number': facts.ticketNumber,
    'ticket.subject': text(facts.subject),
    'agent.name': facts.agentName,
  };
}
