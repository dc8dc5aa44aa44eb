import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, IdParams } from '../../contracts/common.js';
import {
  AttendanceBody,
  AttendanceResult,
  CourseBody,
  CourseList,
  CourseView,
  SessionBody,
  SessionPage,
  SessionsQuery,
  TierBody,
  TraineeList,
  TrainingRecordView,
  ComplianceView,
  MonthQuery,
  PhraseEntryBody,
  PhraseEntryView,
  PhraseListQuery,
  PhrasePage,
  PhraseTestBody,
  PhraseTestResult,
  RiskAlertList,
  RiskAlertsQuery,
} from '../../contracts/quality.js';
import {
  createPhrase,
  deletePhrase,
  listPhrases,
  testPhrases,
  updatePhrase,
} from '../../usecases/quality/phrase-lists.js';
import { listRiskAlerts, readCompliance } from '../../usecases/quality/quality-overview.js';
import {
  createSession,
  listCourses,
  listSessions,
  listTrainees,
  readTrainingRecord,
  recordAttendance,
  saveCourse,
  setTrainingTier,
} from '../../usecases/quality/training.js';
import { requireActor } from '../auth.js';
import type { RouteDeps } from './route-deps.js';

const tags = ['quality'];

/** Phrase lists (admin console), script compliance and risk alerts (supervisors). */
export function qualityRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/phrases',
    {
      schema: {
        tags,
        summary: 'One phrase list (risk words, required script phrases, forbidden phrases), a page at a time',
        querystring: PhraseListQuery,
        response: { 200: PhrasePage, ...errorResponses },
      },
    },
    async (request) => listPhrases(deps, requireActor(request), request.query),
  );
  r.post(
    '/api/v1/phrases',
    {
      schema: {
        tags,
        summary: 'Add a phrase with its synonyms (administrators); 409 `phrase.duplicate` when the list has it',
        body: PhraseEntryBody,
        response: { 201: PhraseEntryView, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await createPhrase(deps, requireActor(request), request.body)),
  );
  r.put(
    '/api/v1/phrases/:id',
    {
      schema: {
        tags,
        summary: 'Change a phrase (administrators); every node matches with it from its next message',
        params: IdParams,
        body: PhraseEntryBody,
        response: { 200: PhraseEntryView, ...errorResponses },
      },
    },
    async (request) => updatePhrase(deps, requireActor(request), request.params.id, request.body),
  );
  r.delete(
    '/api/v1/phrases/:id',
    {
      schema: {
        tags,
        summary: 'Remove a phrase (administrators)',
        params: IdParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await deletePhrase(deps, requireActor(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
  r.post(
    '/api/v1/phrases/test',
    {
      schema: {
        tags,
        summary: 'Try a text against the saved lists: its words, risk words found, and the script check',
        body: PhraseTestBody,
        response: { 200: PhraseTestResult, ...errorResponses },
      },
    },
    async (request) => testPhrases(deps, requireActor(request), request.body),
  );
  r.get(
    '/api/v1/quality/script-compliance',
    {
      schema: {
        tags,
        summary:
          'Script compliance per agent for a month (share of public replies with the required phrases and no forbidden one)',
        querystring: MonthQuery,
        response: { 200: ComplianceView, ...errorResponses },
      },
    },
    async (request) => readCompliance(deps, requireActor(request), request.query.month),
  );
  r.get(
    '/api/v1/quality/risk-alerts',
    {
      schema: {
        tags,
        summary: 'Risk words customers wrote recently, newest first (supervisors)',
        querystring: RiskAlertsQuery,
        response: { 200: RiskAlertList, ...errorResponses },
      },
    },
    async (request) => listRiskAlerts(deps, requireActor(request), request.query),
  );
}

/** Training records: courses, sessions, attendance and exams (supervisors), each person's record. */
export function trainingRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['training'];
  r.get(
    '/api/v1/training/courses',
    { schema: { tags, summary: 'Training courses (supervisors)', response: { 200: CourseList, ...errorResponses } } },
    async (request) => listCourses(deps, requireActor(request)),
  );
  r.post(
    '/api/v1/training/courses',
    {
      schema: {
        tags,
        summary: 'Add a course; 409 `training.course_code_taken` for a code in use',
        body: CourseBody,
        response: { 201: CourseView, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await saveCourse(deps, requireActor(request), null, request.body)),
  );
  r.put(
    '/api/v1/training/courses/:id',
    {
      schema: {
        tags,
        summary: 'Change a course (pass mark, validity, certification granted)',
        params: IdParams,
        body: CourseBody,
        response: { 200: CourseView, ...errorResponses },
      },
    },
    async (request) => saveCourse(deps, requireActor(request), request.params.id, request.body),
  );
  r.get(
    '/api/v1/training/sessions',
    {
      schema: {
        tags,
        summary: 'Training sessions, newest first, with attendance and exam scores',
        querystring: SessionsQuery,
        response: { 200: SessionPage, ...errorResponses },
      },
    },
    async (request) => listSessions(deps, requireActor(request), request.query.limit, request.query.offset),
  );
  r.post(
    '/api/v1/training/sessions',
    {
      schema: {
        tags,
        summary:
          'Schedule a session of a course; a session of the QA remedial course enrols everyone repeated failed reviews put on it',
        body: SessionBody,
        response: {
          201: z.object({
            id: z.uuid(),
            enrolled: z.number().int().describe('People enrolled for repeated failed QA reviews'),
          }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => reply.code(201).send(await createSession(deps, requireActor(request), request.body)),
  );
  r.put(
    '/api/v1/training/sessions/:id/records',
    {
      schema: {
        tags,
        summary:
          'Record a person’s attendance and exam score; a pass grants the course’s certification from the session’s date',
        params: IdParams,
        body: AttendanceBody,
        response: { 200: AttendanceResult, ...errorResponses },
      },
    },
    async (request) => recordAttendance(deps, requireActor(request), request.params.id, request.body),
  );
  r.get(
    '/api/v1/training/people',
    {
      schema: {
        tags,
        summary: 'People with training records (supervisors)',
        response: { 200: TraineeList, ...errorResponses },
      },
    },
    async (request) => listTrainees(deps, requireActor(request)),
  );
  r.get(
    '/api/v1/training/people/:id',
    {
      schema: {
        tags,
        summary: 'A person’s training record: tier, certifications, sessions (their own, or supervisors)',
        params: IdParams,
        response: { 200: TrainingRecordView, ...errorResponses },
      },
    },
    async (request) => readTrainingRecord(deps, requireActor(request), request.params.id),
  );
  r.put(
    '/api/v1/training/people/:id/tier',
    {
      schema: {
        tags,
        summary: 'Set a person’s training tier (new, growing, expert)',
        params: IdParams,
        body: TierBody,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await setTrainingTier(deps, requireActor(request), request.params.id, request.body.trainingTier);
      deps.sessions.forgetStaff(request.params.id);
      return reply.code(204).send(null);
    },
  );
}
