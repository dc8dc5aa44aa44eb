import { malformedReason } from '../../core/channels/email-rules.js';
import { claimIdOf, mailKindOf, type Envelope, type InboundMail } from '../../channels/email/parse-mail.js';
import { acceptCustomerMail, LoopSuspected } from './email/accept-customer-mail.js';
import { earlierOutcome, type EmailDeps, type EmailOutcome } from './email/intake.js';
import { removeMailAttachments, storeMailAttachments } from './email/mail-attachments.js';
import { holdMail, markQuarantineResolved } from './email/quarantine-mail.js';
import { recordAutomaticMail } from './email/record-automatic-mail.js';
import { findClaim } from './message-claims.js';

export type { EmailDeps, EmailOutcome } from './email/intake.js';

// Email intake (邮件渠道). One mail becomes one public customer message: on the ticket its
// In-Reply-To/References point to, or the ticket its subject names, or a new ticket. The Message-ID
// is claimed in the same transaction as everything else (unique on channel + external id, like the
// webhooks), so a redelivered or concurrently duplicated mail is a no-op, and the mail edges
// acknowledge only after that transaction committed. Auto-replies and bounces are recorded, never
// opened as tickets; mail we cannot use is quarantined with the raw bytes for an administrator.
// Parsing (raw bytes → InboundMail) is the edge's: channels/email/parse-mail.ts.

type ReceiveInput = {
  mail: InboundMail;
  /** The bytes the mail was parsed from: kept when the mail is quarantined. */
  raw: Buffer;
  envelope: Envelope;
  /** Set when an administrator retries a quarantined mail: no loop check, and that row is updated. */
  retryOf?: string;
};

/** Takes in one parsed mail. Safe to call again with the same mail: the second call changes nothing. */
export async function receiveEmail(deps: EmailDeps, input: ReceiveInput): Promise<EmailOutcome> {
  const { mail, raw, envelope, retryOf } = input;
  const sender = mail.from;
  const malformed = malformedReason({
    headerCount: mail.headerCount,
    from: sender,
    hasBody: mail.text.length > 0 || mail.attachments.length > 0,
    subject: mail.subject,
  });
  if (malformed || sender === null)
    return holdMail(deps, raw, envelope, malformed ?? 'malformed: no sender', raw.length, retryOf);

  const kind = mailKindOf(mail, envelope);
  const externalId = claimIdOf({ ...mail, from: sender });
  // Fast path for the common redelivery: nothing to store.
  const seen = await findClaim(deps.db, 'email', externalId);
  if (seen) return earlierOutcome(seen);

  if (kind.kind !== 'human') return recordAutomaticMail(deps, { mail, kind, sender, externalId });

  const stored = await storeMailAttachments(deps, mail.attachments);
  try {
    const outcome = await deps.db.transaction((tx) =>
      acceptCustomerMail(tx, deps, { mail, sender, externalId, stored, skipLoopCheck: retryOf !== undefined }),
    );
    if (outcome.outcome !== 'accepted' || outcome.duplicate) await removeMailAttachments(deps, stored);
    if (retryOf && outcome.outcome === 'accepted') await markQuarantineResolved(deps, retryOf, outcome.ticketId);
    return outcome;
  } catch (err) {
    await removeMailAttachments(deps, stored);
    if (err instanceof LoopSuspected) return holdMail(deps, raw, envelope, err.message, raw.length, retryOf);
    throw err;
  }
}
