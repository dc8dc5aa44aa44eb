import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, IdParams, pageOf, PageQuery } from '../../contracts/common.js';
import {
  AccessLogEntry,
  CategoryCreate,
  CategoryListQuery,
  CategoryUpdate,
  CategoryView,
  GradeCreate,
  GradeView,
  PasswordReset,
  PasswordResetResult,
  StaffCreate,
  StaffUpdate,
  StaffView,
  TeamCreate,
  TeamUpdate,
  TeamView,
} from '../../contracts/directory.js';
import {
  createCategory,
  createStaff,
  createTeam,
  listAccessLog,
  listCategories,
  listGrades,
  listStaff,
  listTeams,
  resetPassword,
  updateCategory,
  updateStaff,
  updateTeam,
  upsertGrade,
} from '../../usecases/admin/directory.js';
import { requireActor } from '../auth.js';
import type { RouteDeps } from './route-deps.js';

const Created = z.object({ id: z.uuid() });
const list = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

export function directoryRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/teams',
    {
      schema: {
        tags: ['directory'],
        summary: 'Teams and departments',
        response: { 200: list(TeamView), ...errorResponses },
      },
    },
    async (request) => {
      requireActor(request);
      return { items: await listTeams(deps) };
    },
  );
  r.post(
    '/api/v1/teams',
    {
      schema: {
        tags: ['directory'],
        summary: 'Create a team (admin)',
        body: TeamCreate,
        response: { 201: Created, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send({ id: await createTeam(deps, requireActor(request), request.body) }),
  );

  r.patch(
    '/api/v1/teams/:id',
    {
      schema: {
        tags: ['directory'],
        summary:
          'Rename a team, change its kind, restriction, whether duty supervisors see it while restricted, or its assignment strategy (admin)',
        params: IdParams,
        body: TeamUpdate,
        response: { 200: TeamView, ...errorResponses },
      },
    },
    async (request) => updateTeam(deps, requireActor(request), request.params.id, request.body),
  );

  r.get(
    '/api/v1/staff',
    {
      schema: { tags: ['directory'], summary: 'Staff members', response: { 200: list(StaffView), ...errorResponses } },
    },
    async (request) => {
      requireActor(request);
      return { items: await listStaff(deps) };
    },
  );
  r.post(
    '/api/v1/staff',
    {
      schema: {
        tags: ['directory'],
        summary: 'Create a staff account (admin)',
        body: StaffCreate,
        response: { 201: Created, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send({ id: await createStaff(deps, requireActor(request), request.body) }),
  );

  r.patch(
    '/api/v1/staff/:id',
    {
      schema: {
        tags: ['directory'],
        summary:
          'Change name, role, team, language, or deactivate (admin); deactivating ends the person’s sessions at once',
        params: IdParams,
        body: StaffUpdate,
        response: { 200: StaffView, ...errorResponses },
      },
    },
    async (request) => {
      const updated = await updateStaff(deps, requireActor(request), request.params.id, request.body);
      deps.sessions.forgetStaff(request.params.id);
      return updated;
    },
  );
  r.post(
    '/api/v1/staff/:id/password',
    {
      schema: {
        tags: ['directory'],
        summary:
          'Reset a password (admin): the one given, or a generated temporary one answered this once; the person’s sessions end',
        params: IdParams,
        body: PasswordReset,
        response: { 200: PasswordResetResult, ...errorResponses },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const reset = await resetPassword(deps, requireActor(request), request.params.id, request.body.password);
      deps.sessions.forgetStaff(request.params.id);
      return reset;
    },
  );

  r.get(
    '/api/v1/categories',
    {
      schema: {
        tags: ['directory'],
        summary: 'The category tree, flat with parent ids (active ones unless includeInactive=true)',
        querystring: CategoryListQuery,
        response: { 200: list(CategoryView), ...errorResponses },
      },
    },
    async (request) => {
      requireActor(request);
      return { items: await listCategories(deps, { includeInactive: request.query.includeInactive }) };
    },
  );
  r.patch(
    '/api/v1/categories/:id',
    {
      schema: {
        tags: ['directory'],
        summary: 'Rename, move, reorder or deactivate a category (admin); it never moves under its own subtree',
        params: IdParams,
        body: CategoryUpdate,
        response: { 200: CategoryView, ...errorResponses },
      },
    },
    async (request) => updateCategory(deps, requireActor(request), request.params.id, request.body),
  );
  r.post(
    '/api/v1/categories',
    {
      schema: {
        tags: ['directory'],
        summary: 'Add a category (admin)',
        body: CategoryCreate,
        response: { 201: Created, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send({ id: await createCategory(deps, requireActor(request), request.body) }),
  );

  r.get(
    '/api/v1/grades',
    {
      schema: {
        tags: ['directory'],
        summary: 'Complaint grades, least severe first',
        response: { 200: list(GradeView), ...errorResponses },
      },
    },
    async (request) => {
      requireActor(request);
      return { items: await listGrades(deps) };
    },
  );
  r.put(
    '/api/v1/grades',
    {
      schema: {
        tags: ['directory'],
        summary: 'Create or rename a grade (admin)',
        body: GradeCreate,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await upsertGrade(deps, requireActor(request), request.body);
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/api/v1/pii-access-log',
    {
      schema: {
        tags: ['privacy'],
        summary: 'Who revealed which personal data, when and why (supervisor, admin)',
        querystring: z.strictObject({ customerId: z.uuid().optional(), ...PageQuery }),
        response: { 200: pageOf(AccessLogEntry), ...errorResponses },
      },
    },
    async (request) => {
      const { rows, nextCursor } = await listAccessLog(deps, requireActor(request), request.query);
      return {
        items: rows.map(({ entry, staff }) => ({
          id: entry.id,
          staff,
          customerId: entry.customerId,
          ticketId: entry.ticketId,
          field: entry.field,
          reason: entry.reason,
          createdAt: entry.createdAt.toISOString(),
        })),
        nextCursor,
      };
    },
  );
}
