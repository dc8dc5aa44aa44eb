import type { Channel } from '../tickets/types.js';

// 责任到人: every ticket is on a queue from the moment it exists. A ticket the customer opened
// (SMS, WeChat, app, email, the portal…) that no routing rule sends anywhere goes to its
// channel's intake queue, where auto-assignment hands it to the first free agent, who becomes
// its first-contact owner. Which team takes in which channel is a setting (LOOPDESK_INTAKE_QUEUES).

export type IntakeQueues = {
  /** Team code for channels without an entry of their own. */
  default: string | null;
  byChannel: Partial<Record<Channel, string>>;
};

/** Every channel into the front line (the demo's 一线客服组, and the team a fresh installation gets). */
export const DEFAULT_INTAKE_QUEUES: IntakeQueues = { default: 'frontline', byChannel: {} };

export function intakeQueueOf(channel: Channel, queues: IntakeQueues): string | null {
  return queues.byChannel[channel] ?? queues.default;
}

/** The queue a new ticket lands on: a rule's, else the creator's team (staff), else its channel's intake queue. */
export function placeNewTicket(
  ruleTeamId: string | null,
  creatorTeamId: string | null,
  intakeTeamId: string | null,
): { teamId: string | null; byIntake: boolean } {
  if (ruleTeamId !== null || creatorTeamId !== null) return { teamId: ruleTeamId ?? creatorTeamId, byIntake: false };
  return { teamId: intakeTeamId, byIntake: intakeTeamId !== null };
}
