import { maskFreeText } from '../core/privacy/free-text.js';
import { maskRecipient } from '../core/privacy/masking.js';

// Outbound messages and quarantined mail as supervisors see them: recipients and senders masked,
// and the gateway's error text with the same address or number masked wherever it appears in it
// (SMTP and SMS gateways like to quote the recipient back).

/** An error text with `address` (and any phone or ID number) masked. */
export function maskDeliveryError(error: string, address: string | null): string {
  const withoutAddress = address ? error.split(address).join(maskRecipient(address)) : error;
  return maskFreeText(withoutAddress);
}
