import { describe, expect, it } from 'vitest';
import type { Actor } from './policy.js';
import { canManageReply, canUseReply, creatableReplyScopes } from './replies.js';

const actor = (role: Actor['role'], id: string = role, teamId: string | null = 'team-a'): Actor => ({
  id,
  role,
  teamId,
});

describe('who uses and manages replies', () => {
  it('lets only the owner use and manage a personal reply', () => {
    const mine = { scope: 'personal' as const, ownerId: 'agent', teamId: null };
    expect(canUseReply(actor('agent'), mine)).toBe(true);
    expect(canManageReply(actor('agent'), mine)).toBe(true);
    expect(canUseReply(actor('supervisor'), mine)).toBe(false);
    expect(canManageReply(actor('admin'), mine)).toBe(false);
  });

  it('lets the team use a team reply and its supervisors (or an admin) manage it', () => {
    const team = { scope: 'team' as const, ownerId: null, teamId: 'team-a' };
    expect(canUseReply(actor('agent'), team)).toBe(true);
    expect(canUseReply(actor('agent', 'x', 'team-b'), team)).toBe(false);
    expect(canManageReply(actor('agent'), team)).toBe(false);
    expect(canManageReply(actor('supervisor'), team)).toBe(true);
    expect(canManageReply(actor('supervisor', 's', 'team-b'), team)).toBe(false);
    expect(canManageReply(actor('admin', 'a', null), team)).toBe(true);
  });

  it('lets everyone but QA use global replies and only supervisors and admins manage them', () => {
    const global = { scope: 'global' as const, ownerId: null, teamId: null };
    expect(canUseReply(actor('department'), global)).toBe(true);
    expect(canUseReply(actor('qa'), global)).toBe(false);
    expect(canManageReply(actor('agent'), global)).toBe(false);
    expect(canManageReply(actor('expert'), global)).toBe(false);
    expect(canManageReply(actor('supervisor'), global)).toBe(true);
  });

  it('offers each role the scopes it may create in', () => {
    expect(creatableReplyScopes(actor('agent'))).toEqual(['personal']);
    expect(creatableReplyScopes(actor('supervisor'))).toEqual(['personal', 'team', 'global']);
    expect(creatableReplyScopes(actor('supervisor', 's', null))).toEqual(['personal', 'global']);
    expect(creatableReplyScopes(actor('admin', 'a', null))).toEqual(['personal', 'team', 'global']);
    expect(creatableReplyScopes(actor('qa'))).toEqual([]);
  });
});
