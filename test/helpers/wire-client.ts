import type { Writable } from 'node:stream';
import pg from 'pg';
import { TEST_SERVER_URL } from './engines.js';

/**
 * A pipelined client of the test server, as the pool's connections are, with `wrap` applied (the
 * pool's query wrappers from src/db/client.ts). `sent`: the text of each query as it goes out,
 * under the wrappers; `writes`: for each write to the socket, how many buffers it carried.
 */
export async function wireClient(...wrap: ((client: pg.ClientBase) => void)[]) {
  const client = new pg.Client({ connectionString: TEST_SERVER_URL, pipeline: true });
  await client.connect();
  const sent: string[] = [];
  const writes: number[] = [];
  const send = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
  client.query = ((...args: unknown[]) => {
    sent.push(typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text);
    return send(...args);
  }) as typeof client.query;
  for (const w of wrap) w(client);
  const socket = (client as unknown as { connection: { stream: Writable } }).connection.stream;
  const [write, writev] = [socket._write.bind(socket), socket._writev!.bind(socket)];
  socket._write = (chunk, encoding, callback) => {
    writes.push(1);
    write(chunk, encoding, callback);
  };
  socket._writev = (chunks, callback) => {
    writes.push(chunks.length);
    writev(chunks, callback);
  };
  return { client, sent, writes };
}
