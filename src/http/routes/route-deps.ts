import type { Config } from '../../config.js';
import type { AttachmentDeps } from '../../usecases/attachments/attachments.js';

export type RouteDeps = AttachmentDeps & { config: Config };
