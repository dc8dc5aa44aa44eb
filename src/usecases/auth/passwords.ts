import { hash, verify } from '@node-rs/argon2';

// OWASP's argon2id recommendation: m=19 MiB, t=2, p=1. (@node-rs/argon2 defaults to argon2id.)
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const hashPassword = (password: string): Promise<string> => hash(password, OPTIONS);

// Verifying against this when the user does not exist keeps the response time the same, so
// timing does not reveal which usernames exist.
const DUMMY_HASH = hash('not-a-real-password', OPTIONS);

export async function verifyPassword(storedHash: string | undefined, password: string): Promise<boolean> {
  try {
    return await verify(storedHash ?? (await DUMMY_HASH), password);
  } catch {
    return false;
  }
}
