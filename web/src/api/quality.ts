// Phrase lists, script compliance and risk alerts (src/contracts/quality.ts).
import type { z } from 'zod';
import type {
  ComplianceView,
  PhraseEntryBody,
  PhraseEntryView,
  PhrasePage,
  PhraseTestResult,
  RiskAlertList,
} from '../../../src/contracts/quality';
import type { PhraseList } from '../../../src/core/quality/phrases';
import type { Channel } from '../../../src/core/tickets/types';
import { del, get, post, put, query } from './client';

export type PhraseEntry = z.output<typeof PhraseEntryView>;
export type PhraseInput = z.input<typeof PhraseEntryBody>;
export type Compliance = z.output<typeof ComplianceView>;
export type RiskAlert = z.output<typeof RiskAlertList>['items'][number];
export type PhraseTest = z.output<typeof PhraseTestResult>;

export const qualityApi = {
  phrases: (list: PhraseList, offset: number, limit = 50) =>
    get<z.output<typeof PhrasePage>>(`/api/v1/phrases${query({ list, offset, limit })}`),
  createPhrase: (body: PhraseInput) => post<PhraseEntry>('/api/v1/phrases', body),
  updatePhrase: (id: string, body: PhraseInput) => put<PhraseEntry>(`/api/v1/phrases/${id}`, body),
  deletePhrase: (id: string) => del(`/api/v1/phrases/${id}`),
  testPhrases: (text: string, channel: Channel) => post<PhraseTest>('/api/v1/phrases/test', { text, channel }),
  compliance: (month?: string) => get<Compliance>(`/api/v1/quality/script-compliance${query({ month })}`),
  riskAlerts: (hours = 24) => get<z.output<typeof RiskAlertList>>(`/api/v1/quality/risk-alerts${query({ hours })}`),
};
