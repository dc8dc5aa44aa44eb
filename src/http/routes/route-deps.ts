import type { Config } from '../../config.js';
import type { AttachmentDeps } from '../../usecases/attachments/attachments.js';
import type { SessionCache } from '../session-cache.js';

/** `sessions`: this node's session copies, which a sign-out or a change to a person here forgets at once. */
export type RouteDeps = AttachmentDeps & { config: Config; sessions: SessionCache };
