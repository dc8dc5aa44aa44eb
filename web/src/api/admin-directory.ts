// The admin console's directory: teams, staff, agents' skills and certifications, categories,
// grades, priority weights and channel settings. Typed endpoint functions: components never name a URL.
import type { z } from 'zod';
import type {
  CategoryCreate,
  CategoryUpdate,
  CategoryView,
  ChannelSettingsView,
  GradeCreate,
  PasswordResetResult,
  PriorityWeightsBody,
  PriorityWeightsView,
  StaffCreate,
  StaffUpdate,
  StaffView,
  TeamCreate,
  TeamUpdate,
  TeamView,
} from '../../../src/contracts/directory';
import type { AgentProfileBody, AgentView, Certification } from '../../../src/contracts/routing';
import type { Channel } from '../../../src/core/tickets/types';
import { del, get, patch, post, put, query } from './client';
import type { Grade } from './types';

export type Team = z.output<typeof TeamView>;
export type TeamInput = z.input<typeof TeamCreate>;
export type TeamChanges = z.input<typeof TeamUpdate>;
export type StaffMember = z.output<typeof StaffView>;
export type StaffInput = z.input<typeof StaffCreate>;
export type StaffChanges = z.input<typeof StaffUpdate>;
export type Agent = z.output<typeof AgentView>;
export type AgentProfile = z.input<typeof AgentProfileBody>;
export type CertificationInput = z.input<typeof Certification>;
export type Category = z.output<typeof CategoryView>;
export type CategoryInput = z.input<typeof CategoryCreate>;
export type CategoryChanges = z.input<typeof CategoryUpdate>;
export type GradeInput = z.input<typeof GradeCreate>;
export type PriorityWeights = z.output<typeof PriorityWeightsBody>;
export type PriorityWeightsSetting = z.output<typeof PriorityWeightsView>;
export type ChannelSettings = z.output<typeof ChannelSettingsView>;
export type PasswordReset = z.output<typeof PasswordResetResult>;

type Items<T> = { items: T[] };
type Created = { id: string };

export const adminDirectory = {
  teams: () => get<Items<Team>>('/api/v1/teams'),
  createTeam: (input: TeamInput) => post<Created>('/api/v1/teams', input),
  updateTeam: (id: string, changes: TeamChanges) => patch<Team>(`/api/v1/teams/${id}`, changes),
  setQueueMembers: (id: string, staffIds: string[]) => put<void>(`/api/v1/teams/${id}/members`, { staffIds }),

  staff: () => get<Items<StaffMember>>('/api/v1/staff'),
  createStaff: (input: StaffInput) => post<Created>('/api/v1/staff', input),
  updateStaff: (id: string, changes: StaffChanges) => patch<StaffMember>(`/api/v1/staff/${id}`, changes),
  resetPassword: (id: string, password?: string) =>
    post<PasswordReset>(`/api/v1/staff/${id}/password`, password ? { password } : {}),

  agents: () => get<Items<Agent>>('/api/v1/agents'),
  saveProfile: (id: string, profile: AgentProfile) => put<void>(`/api/v1/agents/${id}/profile`, profile),
  setCertifications: (id: string, items: CertificationInput[]) =>
    put<void>(`/api/v1/agents/${id}/certifications`, { items }),

  categories: () => get<Items<Category>>(`/api/v1/categories${query({ includeInactive: 'true' })}`),
  createCategory: (input: CategoryInput) => post<Created>('/api/v1/categories', input),
  updateCategory: (id: string, changes: CategoryChanges) => patch<Category>(`/api/v1/categories/${id}`, changes),

  grades: () => get<Items<Grade>>('/api/v1/grades'),
  saveGrade: (grade: GradeInput) => put<void>('/api/v1/grades', grade),

  priorityWeights: () => get<PriorityWeightsSetting>('/api/v1/settings/priority-weights'),
  setPriorityWeights: (weights: PriorityWeights) =>
    put<PriorityWeightsSetting>('/api/v1/settings/priority-weights', weights),
  resetPriorityWeights: () => del<PriorityWeightsSetting>('/api/v1/settings/priority-weights'),

  channelSettings: () => get<ChannelSettings>('/api/v1/settings/channels'),
  setIntakeQueue: (channel: Channel, teamId: string | null) =>
    put<ChannelSettings>(`/api/v1/settings/channels/${channel}/intake-queue`, { teamId }),
  resetIntakeQueue: (channel: Channel) => del<ChannelSettings>(`/api/v1/settings/channels/${channel}/intake-queue`),
};
