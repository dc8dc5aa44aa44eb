// npm run db:seed — load the demo organisation into an empty database.
import { loadConfig } from '../src/config.js';
import { systemClock } from '../src/system-clock.js';
import { openDatabase } from '../src/db/client.js';
import { DEMO_PASSWORD, demoSummary, hasStaff, seedDemoData } from '../src/usecases/admin/demo-data.js';
import { ensureReferenceData } from '../src/db/reference-data.js';
import { tokenizeForSearch } from '../src/text/segmenter.js';

const config = loadConfig();
const database = await openDatabase(config);
const deps = { db: database.db, clock: systemClock, indexText: tokenizeForSearch, timeZone: config.timeZone };
// Under the migration lock and in one transaction, like the server's first start.
await database.exclusively(async () => {
  await ensureReferenceData(database.db);
  if (await hasStaff(deps)) {
    console.log('The database already has staff accounts; demo data is only loaded into an empty database.');
    return;
  }
  const demo = await database.db.transaction((tx) => seedDemoData({ ...deps, db: tx }));
  console.log(demoSummary(demo));
  console.log(`Accounts (password "${DEMO_PASSWORD}"): ${demo.accounts.map((a) => a.username).join(', ')}`);
});
await database.close();
