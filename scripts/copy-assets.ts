// Part of `npm run build:server`: tsc compiles src/ to dist/ with the same folder layout, and this
// copies every file tsc does not emit (migrations, the segmenter's dictionary) to the same place
// under dist/, so code that finds a file beside itself (`new URL('./x', import.meta.url)`) finds it
// in both. Files outside src/ (calendars/, web/dist/) sit at the same depth from src/ and dist/.
import { cpSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const copied: string[] = [];
(function walk(dir: string) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const from = join(dir, entry.name);
    if (entry.isDirectory()) walk(from);
    else if (!entry.name.endsWith('.ts')) {
      cpSync(from, join('dist', from.slice('src/'.length)));
      copied.push(from);
    }
  }
})('src');
console.log(`copied ${copied.length} non-TypeScript files from src/ to dist/`);
