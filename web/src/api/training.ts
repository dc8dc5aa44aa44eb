// Training records: courses, sessions, attendance and exams, each person's record (src/contracts/quality.ts).
import type { z } from 'zod';
import type {
  AttendanceBody,
  AttendanceResult,
  CourseBody,
  CourseList,
  SessionBody,
  SessionPage,
  TraineeList,
  TrainingRecordView,
} from '../../../src/contracts/quality';
import type { TrainingTier } from '../../../src/core/quality/training';
import { get, post, put, query } from './client';

const base = '/api/v1/training';
export type Course = z.output<typeof CourseList>['items'][number];
export type TrainingSession = z.output<typeof SessionPage>['items'][number];
export type TrainingRecord = z.output<typeof TrainingRecordView>;
export type Trainee = z.output<typeof TraineeList>['items'][number];

export const trainingApi = {
  courses: () => get<z.output<typeof CourseList>>(`${base}/courses`),
  createCourse: (body: z.input<typeof CourseBody>) => post<Course>(`${base}/courses`, body),
  sessions: (offset: number, limit = 10) =>
    get<z.output<typeof SessionPage>>(`${base}/sessions${query({ offset, limit })}`),
  createSession: (body: z.input<typeof SessionBody>) => post<{ id: string }>(`${base}/sessions`, body),
  record: (sessionId: string, body: z.input<typeof AttendanceBody>) =>
    put<z.output<typeof AttendanceResult>>(`${base}/sessions/${sessionId}/records`, body),
  people: () => get<z.output<typeof TraineeList>>(`${base}/people`),
  person: (id: string) => get<TrainingRecord>(`${base}/people/${id}`),
  setTier: (id: string, trainingTier: TrainingTier) => put<void>(`${base}/people/${id}/tier`, { trainingTier }),
};
