/**
 * BagIt (RFC 8493, version 1.0) with SHA-256: writing a bag and validating one. Knows nothing about
 * the archive; src/preservation/archive-export.ts and archive-import.ts decide what goes in `data/`.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { sha256OfFile } from './fixity.ts';

export const BAGIT_VERSION = '1.0';

export class BagError extends Error {
  override readonly name = 'BagError';
}

/** Manifest paths percent-encode CR, LF and % (RFC 8493 §2.1.3), and nothing else. */
export function encodeManifestPath(p: string): string {
  return p.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function decodeManifestPath(p: string): string {
  return p.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A payload path (relative to `data/`): forward slashes, no empty, `.` or `..` segments, no absolute path. */
function checkPayloadPath(rel: string): void {
  const parts = rel.split('/');
  if (rel.startsWith('/') || parts.some((s) => s === '' || s === '.' || s === '..')) throw new BagError(`unsafe payload path: ${rel}`);
}

export interface BagWriter {
  /** Writes a payload file under `data/`. */
  addBytes(rel: string, bytes: Buffer): void;
  /**
   * Copies a file into the payload, hashing what is written; when `expectedSha256` is given and the
   * copy does not match it, the file is damaged at the source and BagError is thrown.
   */
  addFile(rel: string, source: string, expectedSha256?: string): Promise<void>;
  /** Writes the tag files and moves the finished bag into place; `info` goes to bag-info.txt. */
  finish(info: Array<[label: string, value: string]>, now?: Date): { files: number; bytes: number };
  /** Removes the unfinished bag. */
  abandon(): void;
}

/**
 * A new bag at `dir`, which must not exist yet. Files are written under `<dir>.incomplete` and the
 * folder is renamed when the bag is complete, so a bag that is there is a whole bag.
 */
export function createBag(dir: string): BagWriter {
  if (fs.existsSync(dir)) throw new BagError(`${dir} exists already; give a new folder for the bag`);
  const work = `${dir}.incomplete`;
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(path.join(work, 'data'), { recursive: true });
  const manifest: Array<{ rel: string; sha256: string }> = [];
  let octets = 0;
  const target = (rel: string) => {
    checkPayloadPath(rel);
    const file = path.join(work, 'data', ...rel.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    return file;
  };
  return {
    addBytes(rel, bytes) {
      fs.writeFileSync(target(rel), bytes);
      manifest.push({ rel, sha256: sha256(bytes) });
      octets += bytes.length;
    },
    async addFile(rel, source, expectedSha256) {
      const hash = createHash('sha256');
      let size = 0;
      const tap = new Transform({
        transform(chunk: Buffer, _enc, done) {
          hash.update(chunk);
          size += chunk.length;
          done(null, chunk);
        },
      });
      await pipeline(fs.createReadStream(source, { highWaterMark: 1 << 20 }), tap, fs.createWriteStream(target(rel)));
      const digest = hash.digest('hex');
      if (expectedSha256 && digest !== expectedSha256) {
        throw new BagError(`${source} is damaged: its SHA-256 is ${digest}, not ${expectedSha256} (run npm run verify)`);
      }
      manifest.push({ rel, sha256: digest });
      octets += size;
    },
    finish(info, now = new Date()) {
      const write = (name: string, text: string) => fs.writeFileSync(path.join(work, name), text, 'utf8');
      write('bagit.txt', `BagIt-Version: ${BAGIT_VERSION}\nTag-File-Character-Encoding: UTF-8\n`);
      const labels: Array<[string, string]> = [
        ['Bagging-Date', now.toISOString().slice(0, 10)],
        ['Payload-Oxum', `${octets}.${manifest.length}`],
        ...info,
      ];
      write('bag-info.txt', labels.map(([k, v]) => `${k}: ${v.replace(/\r?\n/g, '\n  ')}\n`).join(''));
      write('manifest-sha256.txt', manifest.map((m) => `${m.sha256}  ${encodeManifestPath(`data/${m.rel}`)}\n`).join(''));
      const tags = ['bagit.txt', 'bag-info.txt', 'manifest-sha256.txt'];
      write('tagmanifest-sha256.txt', tags.map((t) => `${sha256(fs.readFileSync(path.join(work, t)))}  ${t}\n`).join(''));
      fs.renameSync(work, dir);
      return { files: manifest.length, bytes: octets };
    },
    abandon() {
      fs.rmSync(work, { recursive: true, force: true });
    },
  };
}

/** bag-info.txt as label → values (a label may repeat; continuation lines are folded back). */
export function parseBagInfo(text: string): Map<string, string[]> {
  const info = new Map<string, string[]>();
  let last: { label: string; index: number } | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (line === '') continue;
    if (/^[ \t]/.test(line) && last) {
      const values = info.get(last.label)!;
      values[last.index] += `\n${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const label = line.slice(0, colon).trim();
    const values = info.get(label) ?? [];
    values.push(line.slice(colon + 1).trim());
    info.set(label, values);
    last = { label, index: values.length - 1 };
  }
  return info;
}

export interface BagValidation {
  errors: string[];
  info: Map<string, string[]>;
  /** Payload files (paths relative to `data/`) with their checksums, as the manifest lists them. */
  payload: Map<string, string>;
}

function readManifest(dir: string, name: string, errors: string[]): Map<string, string> {
  const entries = new Map<string, string>();
  const text = fs.readFileSync(path.join(dir, name), 'utf8');
  for (const [i, line] of text.split(/\r?\n/).entries()) {
    if (line.trim() === '') continue;
    const m = /^([0-9a-fA-F]{64})[ \t]+(.+)$/.exec(line);
    if (!m) {
      errors.push(`${name} line ${i + 1} is not "checksum path"`);
      continue;
    }
    entries.set(decodeManifestPath(m[2]!), m[1]!.toLowerCase());
  }
  return entries;
}

function listFiles(root: string, under: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, under), { withFileTypes: true })) {
    const rel = `${under}/${entry.name}`;
    if (entry.isDirectory()) out.push(...listFiles(root, rel));
    else out.push(rel);
  }
  return out;
}

/**
 * Validates a bag (RFC 8493 §3): a declaration, a SHA-256 payload manifest whose every file exists
 * with its checksum, no payload file outside the manifest, a matching Payload-Oxum, and a tag
 * manifest that matches when present. Every problem is listed, not only the first.
 */
export async function validateBag(dir: string): Promise<BagValidation> {
  const errors: string[] = [];
  const result: BagValidation = { errors, info: new Map(), payload: new Map() };
  const has = (name: string) => fs.existsSync(path.join(dir, name));
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    errors.push(`${dir} is not a folder`);
    return result;
  }
  if (!has('bagit.txt')) errors.push('bagit.txt is missing: not a bag');
  else {
    const declaration = fs.readFileSync(path.join(dir, 'bagit.txt'), 'utf8');
    if (!/^BagIt-Version: (0\.97|1\.0)\r?\nTag-File-Character-Encoding: UTF-8\r?\n?$/.test(declaration)) {
      errors.push('bagit.txt does not declare BagIt 1.0 (or 0.97) with UTF-8 tag files');
    }
  }
  if (!has('data') || !fs.statSync(path.join(dir, 'data')).isDirectory()) errors.push('the payload folder data/ is missing');
  if (!has('manifest-sha256.txt')) {
    errors.push('manifest-sha256.txt is missing (only SHA-256 bags are accepted)');
    return result;
  }
  if (has('bag-info.txt')) result.info = parseBagInfo(fs.readFileSync(path.join(dir, 'bag-info.txt'), 'utf8'));

  const manifest = readManifest(dir, 'manifest-sha256.txt', errors);
  for (const [rel, expected] of manifest) {
    const inside = rel.startsWith('data/') ? rel.slice('data/'.length) : null;
    try {
      if (inside === null) throw new BagError('');
      checkPayloadPath(inside);
    } catch {
      errors.push(`manifest entry outside data/ or unsafe: ${rel}`);
      continue;
    }
    const file = path.join(dir, ...rel.split('/'));
    if (!fs.existsSync(file)) {
      errors.push(`missing payload file: ${rel}`);
      continue;
    }
    const actual = await sha256OfFile(file);
    if (actual !== expected) errors.push(`checksum mismatch: ${rel}`);
    else result.payload.set(inside, expected);
  }
  const present = has('data') ? listFiles(dir, 'data') : [];
  for (const rel of present) if (!manifest.has(rel)) errors.push(`payload file not in the manifest: ${rel}`);
  // The Payload-Oxum (octets.files) describes what is on disk under data/.
  const octets = present.reduce((sum, rel) => sum + fs.statSync(path.join(dir, ...rel.split('/'))).size, 0);
  const oxum = result.info.get('Payload-Oxum')?.[0];
  if (oxum && oxum !== `${octets}.${present.length}`) errors.push(`Payload-Oxum ${oxum} does not match the payload (${octets}.${present.length})`);

  if (has('tagmanifest-sha256.txt')) {
    for (const [rel, expected] of readManifest(dir, 'tagmanifest-sha256.txt', errors)) {
      const file = path.join(dir, rel);
      if (rel.split('/').some((part) => part === '' || part === '..') || !fs.existsSync(file)) errors.push(`missing tag file: ${rel}`);
      else if ((await sha256OfFile(file)) !== expected) errors.push(`tag file checksum mismatch: ${rel}`);
    }
  }
  return result;
}
