// Human-readable ticket numbers such as TS20261122000123: a prefix, the local calendar date of
// creation, and a database sequence value (unique across nodes, never reset, so no day-counter row
// becomes a hot lock). Padded to six digits; it simply grows longer past 999,999.

// Building an Intl.DateTimeFormat costs far more than formatting with one: one per time zone.
const dayFormats = new Map<string, Intl.DateTimeFormat>();

function dayFormat(timeZone: string): Intl.DateTimeFormat {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  return format;
}

export function formatTicketNumber(
  createdAt: Date,
  sequence: number,
  timeZone = 'Asia/Shanghai',
  prefix = 'TS',
): string {
  const date = dayFormat(timeZone).format(createdAt).replaceAll('-', '');
  return `${prefix}${date}${String(sequence).padStart(6, '0')}`;
}

export const TICKET_NUMBER_PATTERN = /^[A-Z]{2}\d{8}\d{6,}$/;
