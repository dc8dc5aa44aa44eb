// The load generator, alone in its process: `tsx bench/load-process.ts '<LoadSpec JSON>'` runs
// autocannon (and holds live streams open, if asked) and prints one JSON document on stdout:
// { result: autocannon's result, streams: { opened, failed, events } } (see bench/served.ts).
import autocannon from 'autocannon';
import type { LoadSpec } from './served.js';

const spec = JSON.parse(process.argv[2]!) as LoadSpec;

const streams = { opened: 0, failed: 0, events: 0 };
const stop = new AbortController();
const open = Array.from({ length: spec.streams?.count ?? 0 }, async () => {
  try {
    const res = await fetch(`${spec.url}${spec.streams!.path}`, {
      headers: { accept: 'text/event-stream', ...spec.streams!.headers },
      signal: stop.signal,
    });
    if (res.status !== 200) return void streams.failed++;
    streams.opened++;
    const reader = res.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return void streams.failed++; // the server ended a stream during the run
      streams.events += new TextDecoder().decode(value).split('\n\n').length - 1;
    }
  } catch {
    if (!stop.signal.aborted) streams.failed++;
  }
});

const result = await autocannon({
  url: spec.url,
  connections: spec.connections,
  duration: spec.duration,
  timeout: spec.timeout ?? 30,
  ...(spec.overallRate ? { overallRate: spec.overallRate } : {}),
  ...(spec.method ? { method: spec.method } : {}),
  ...(spec.body ? { body: spec.body } : {}),
  headers: { 'content-type': 'application/json', ...spec.headers },
  ...(spec.requests ? { requests: spec.requests } : {}),
});
stop.abort();
await Promise.all(open);
process.stdout.write(JSON.stringify({ result, streams }));
