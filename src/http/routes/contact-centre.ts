import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorResponses } from '../../contracts/common.js';
import {
  ContactCentreSettingsBody,
  ContactCentreSettingsView,
  WallboardQuery,
  WallboardView,
} from '../../contracts/contact-centre.js';
import { canSupervise } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import { readWallboard } from '../../usecases/contact-centre/read-wallboard.js';
import { liveChats } from '../../usecases/contact-centre/live-chats.js';
import { contactCentreSettingsOf, setContactCentreSettings } from '../../usecases/contact-centre/settings.js';
import { requireActor } from '../auth.js';
import type { RouteDeps } from './route-deps.js';

const tags = ['contact-centre'];

/** The supervisors' wallboard and the contact-centre settings (administrators change them). */
export function contactCentreRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/contact-centre/wallboard',
    {
      schema: {
        tags,
        summary:
          'Calls and chats offered / answered / abandoned per local 15-minute interval of a day (today by default), answer rate (at peak hours against its target), service level, ASA, chat first response and bot containment, and what waits now (supervisors; 403 for others)',
        querystring: WallboardQuery,
        response: { 200: WallboardView, ...errorResponses },
      },
    },
    async (request) => readWallboard(deps, requireActor(request), request.query, liveChats),
  );
  r.get(
    '/api/v1/contact-centre/settings',
    {
      schema: {
        tags,
        summary: 'Service-level and short-abandon thresholds, peak hours, chat first-response target (supervisors)',
        response: { 200: ContactCentreSettingsView, ...errorResponses },
      },
    },
    async (request) => {
      if (!canSupervise(requireActor(request)))
        throw new AppError('auth.forbidden', 'Only supervisors and administrators see these settings');
      return contactCentreSettingsOf(deps.db);
    },
  );
  r.put(
    '/api/v1/contact-centre/settings',
    {
      schema: {
        tags,
        summary:
          'Change the contact-centre settings (admin); parts left out keep their value; bad peak hours: 400 `contact_centre.invalid_settings`. Applies to contacts recorded from then on',
        body: ContactCentreSettingsBody,
        response: { 200: ContactCentreSettingsView, ...errorResponses },
      },
    },
    async (request) => setContactCentreSettings(deps, requireActor(request), request.body),
  );
}
