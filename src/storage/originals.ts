import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Originals, content-addressed by SHA-256: written once (temp file, fsync, rename), read-only after,
 * never modified. The path is derived from the hash alone, so no request value reaches the filesystem.
 */
export interface OriginalStore {
  put(bytes: Buffer): { sha256: string; path: string; created: boolean };
  pathOf(sha256: string): string;
  read(sha256: string): Buffer;
  exists(sha256: string): boolean;
}

export function sha256Of(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const SHA256 = /^[0-9a-f]{64}$/;

export function createOriginalStore(dataDir: string): OriginalStore {
  const root = path.join(dataDir, 'originals');
  const pathOf = (sha256: string): string => {
    if (!SHA256.test(sha256)) throw new Error(`not a SHA-256 digest: ${sha256.slice(0, 80)}`);
    return path.join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  };
  return {
    pathOf,
    put(bytes) {
      const sha256 = sha256Of(bytes);
      const target = pathOf(sha256);
      if (fs.existsSync(target)) return { sha256, path: target, created: false };
      fs.mkdirSync(path.dirname(target), { recursive: true });
      const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
      const fd = fs.openSync(temp, 'wx', 0o444);
      try {
        fs.writeSync(fd, bytes);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(temp, target);
      // The directory entry must survive a power cut too, not only the file's bytes.
      const dirFd = fs.openSync(path.dirname(target), 'r');
      try { fs.fsyncSync(dirFd); } finally { fs.closeSync(dirFd); }
      return { sha256, path: target, created: true };
    },
    read(sha256) {
      return fs.readFileSync(pathOf(sha256));
    },
    exists(sha256) {
      return fs.existsSync(pathOf(sha256));
    },
  };
}
