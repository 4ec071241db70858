import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * A secret generated once per data directory (session key, Meilisearch master key), readable by the owner
 * only. Two processes may start on a fresh directory at once (the server and the CLI): the file appears
 * whole through a hard link, which fails if it exists, so nobody ever reads it empty or half written, and
 * the loser uses the winner's secret.
 */
export function readOrCreateSecret(file: string, generate: () => string): string {
  const existing = readSecret(file);
  if (existing !== null) return existing;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const secret = generate();
  fs.writeFileSync(temp, secret + '\n', { mode: 0o600, flag: 'wx' });
  try {
    fs.linkSync(temp, file);
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readSecret(file) ?? secret;
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

function readSecret(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
