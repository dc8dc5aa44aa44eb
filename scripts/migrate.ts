// npm run db:migrate — apply migrations to the configured database and exit (the server also
// does this at start-up; this is for deploy pipelines that migrate before rolling out nodes).
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import { ensureReferenceData } from '../src/db/reference-data.js';

const config = loadConfig();
const database = await openDatabase(config);
await ensureReferenceData(database.db);
await database.close();
console.log(`Migrations applied (${database.engine}).`);
