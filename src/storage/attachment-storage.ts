import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Where attachment bytes live. The disk implementation is the default; an object store (S3, OSS,
 * MinIO) fits the same three calls.
 */
export type AttachmentStorage = {
  /** Streams into storage, enforcing `maxBytes`; returns size and sha256. */
  put(key: string, body: Readable, maxBytes: number): Promise<{ size: number; sha256: string }>;
  get(key: string): Readable;
  remove(key: string): Promise<void>;
};

export class TooLargeError extends Error {}

export function diskStorage(root: string): AttachmentStorage {
  const pathOf = (key: string) => {
    if (!/^[0-9a-f-]{36}$/.test(key)) throw new Error(`invalid storage key ${key}`);
    return join(root, key.slice(0, 2), key);
  };
  return {
    async put(key, body, maxBytes) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const hash = createHash('sha256');
      let size = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          size += chunk.length;
          if (size > maxBytes) return done(new TooLargeError(`larger than ${maxBytes} bytes`));
          hash.update(chunk);
          done(null, chunk);
        },
      });
      // Write to a temporary name and rename, so a half-written file never appears under its key.
      const tmp = `${path}.part`;
      try {
        await pipeline(body, meter, createWriteStream(tmp));
        await rename(tmp, path);
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
      return { size, sha256: hash.digest('hex') };
    },
    get: (key) => createReadStream(pathOf(key)),
    remove: (key) => rm(pathOf(key), { force: true }),
  };
}
