// Prints the top of V8 CPU profiles (.cpuprofile files from `node --cpu-prof`): self time by
// function and by package/file group, all profiles in a folder summed.
// Usage: npx tsx bench/cpu-profile-top.ts <folder> [rows]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };

const dir = process.argv[2];
if (!dir) throw new Error('usage: bench/cpu-profile-top.ts <folder with .cpuprofile files> [rows]');
const rows = Number(process.argv[3] ?? 25);
const byFunction = new Map<string, number>();
const byGroup = new Map<string, number>();
let total = 0;

/** node_modules/<package> (or the project folder under src/), else the V8 category. */
function groupOf(url: string, name: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const own = /\/(src\/[^/]+\/[^/]+|bench\/[^/]+)/.exec(url);
  if (own) return own[1]!;
  if (url.startsWith('node:')) return url.split('/')[0]!.replace(/^node:internal.*/, 'node internals');
  return url ? 'other' : `(${name || 'native'})`;
}

for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
    const where = url
      ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(src|bench)\//, '$1/')}:${lineNumber + 1}`
      : '';
    const fn = `${functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + dt);
    const group = groupOf(url, functionName);
    byGroup.set(group, (byGroup.get(group) ?? 0) + dt);
    total += dt;
  });
}

const top = (m: Map<string, number>) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, rows)
    .map(([name, us]) => ({ 'self %': Number(((100 * us) / total).toFixed(1)), name }));
console.log(`${(total / 1e6).toFixed(1)} s of samples`);
console.table(top(byGroup));
console.table(top(byFunction));
