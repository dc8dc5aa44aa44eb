import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorResponses, IdParams, pageOf } from '../../contracts/common.js';
import {
  CustomerCareView,
  CustomerCreate,
  CustomerSearchQuery,
  CustomerUpdate,
  CustomerView,
  RevealBody,
  RevealView,
} from '../../contracts/customers.js';
import { presentCustomer } from '../../presenters/customers.js';
import { createCustomer, getCustomer, searchCustomers, updateCustomer } from '../../usecases/customers/customers.js';
import { revealPii } from '../../usecases/customers/reveal-pii.js';
import { customerCare } from '../../usecases/customers/customer-care.js';
import { requireActor } from '../auth.js';
import type { RouteDeps } from './route-deps.js';

export function customerRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const view = async (actor: ReturnType<typeof requireActor>, id: string) => {
    const { customer, numbers, emails, accountManager } = await getCustomer(deps, actor, id);
    return presentCustomer(customer, numbers, actor, emails, accountManager);
  };

  r.get(
    '/api/v1/customers',
    {
      schema: {
        tags: ['customers'],
        summary: 'Search customers by number (full or last 4+ digits) or name',
        querystring: CustomerSearchQuery,
        response: { 200: pageOf(CustomerView), ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const page = await searchCustomers(deps, actor, request.query);
      return {
        items: page.items.map((i) => presentCustomer(i.customer, i.numbers, actor, i.emails, i.accountManager)),
        nextCursor: page.nextCursor,
      };
    },
  );

  r.post(
    '/api/v1/customers',
    {
      schema: {
        tags: ['customers'],
        summary: 'Create a customer profile',
        body: CustomerCreate,
        response: { 201: CustomerView, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const id = await createCustomer(deps, actor, request.body);
      return reply.status(201).send(await view(actor, id));
    },
  );

  r.get(
    '/api/v1/customers/:id',
    {
      schema: {
        tags: ['customers'],
        summary: 'One customer (personal data masked)',
        params: IdParams,
        response: { 200: CustomerView, ...errorResponses },
      },
    },
    async (request) => view(requireActor(request), request.params.id),
  );

  r.get(
    '/api/v1/customers/:id/care',
    {
      schema: {
        tags: ['customers'],
        summary: 'Care facts of a customer: repeat and open complaints, breaches, and an explainable churn risk',
        params: IdParams,
        response: { 200: CustomerCareView, ...errorResponses },
      },
    },
    async (request) => {
      const care = await customerCare(deps, requireActor(request), request.params.id);
      return {
        ...care,
        satisfaction: {
          ...care.satisfaction,
          recent: care.satisfaction.recent.map((r) => ({ ...r, answeredAt: r.answeredAt.toISOString() })),
        },
      };
    },
  );

  r.patch(
    '/api/v1/customers/:id',
    {
      schema: {
        tags: ['customers'],
        summary: 'Correct a customer profile',
        params: IdParams,
        body: CustomerUpdate,
        response: { 200: CustomerView, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      await updateCustomer(deps, actor, request.params.id, request.body);
      return view(actor, request.params.id);
    },
  );

  r.post(
    '/api/v1/customers/:id/reveal',
    {
      schema: {
        tags: ['customers', 'privacy'],
        summary: 'Reveal unmasked personal data; written to the PIPL access log with the reason',
        params: IdParams,
        body: RevealBody,
        response: { 200: RevealView, ...errorResponses },
      },
    },
    async (request) => {
      const values = await revealPii(deps, requireActor(request), request.params.id, request.body);
      return { field: request.body.field, values };
    },
  );
}
