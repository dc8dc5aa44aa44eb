// npm run bench — throughput figures as ratios against a baseline measured in the same run
// (the machines are noisy; absolute numbers are not comparable between runs).
import { incidentLinking } from './incident-linking.js';
import { incidentNotices } from './incident-notices.js';
import { intake } from './intake.js';
import { intakeRatio } from './intake-ratio.js';
import { knowledge } from './knowledge.js';
import { kpiExport } from './kpi-export.js';
import { kpiScale } from './kpi-scale.js';
import { chat } from './chat.js';
import { memory } from './memory.js';
import { overload } from './overload.js';
import { phraseChecks } from './phrase-checks.js';
import { routing } from './routing.js';
import { scale } from './scale.js';
import { soak } from './soak.js';
import { slaSweep } from './sla-sweep.js';
import { surveyDispatch } from './survey-dispatch.js';
import { ticketCreation } from './ticket-creation.js';
import { ticketList } from './ticket-list.js';

const suites = {
  'intake-ratio': intakeRatio,
  'ticket-creation': ticketCreation,
  routing,
  intake,
  'sla-sweep': slaSweep,
  'ticket-list': ticketList,
  'survey-dispatch': surveyDispatch,
  'phrase-checks': phraseChecks,
  'incident-notices': incidentNotices,
  'incident-linking': incidentLinking,
  knowledge,
  'kpi-export': kpiExport,
  'kpi-scale': kpiScale,
  // Loads a million tickets or more (minutes): only when asked for by name.
  scale,
  // Start server processes of their own and run for minutes: only when asked for by name.
  memory,
  chat,
  overload,
  soak,
};
const onlyByName = new Set(['scale', 'memory', 'overload', 'soak', 'chat']);
const only = process.argv[2];

for (const [name, run] of Object.entries(suites)) {
  if (only ? only !== name : onlyByName.has(name)) continue;
  console.log(`\n== ${name} ==`);
  await run();
}
