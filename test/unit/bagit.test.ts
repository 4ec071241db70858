import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBag, decodeManifestPath, encodeManifestPath, parseBagInfo, validateBag } from '../../src/preservation/bagit.ts';

let root = '';
before(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'wenshi-bagit-')); });
after(() => fs.rmSync(root, { recursive: true, force: true }));

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** A small bag: a JSON file, a text file with a Chinese name, a file copied from disk, and a name with % in it. */
async function makeBag(name: string): Promise<string> {
  const dir = path.join(root, name);
  const source = path.join(root, `${name}-source.bin`);
  fs.writeFileSync(source, Buffer.from([0, 1, 2, 3, 255]));
  const bag = createBag(dir);
  bag.addBytes('collections.json', Buffer.from('[{"slug":"shitanjing"}]\n'));
  bag.addBytes('documents/abc/pages/石炭井.txt', Buffer.from('石炭井矿区', 'utf8'));
  bag.addBytes('odd/100%.txt', Buffer.from('percent'));
  await bag.addFile('documents/abc/original.bin', source, sha256(Buffer.from([0, 1, 2, 3, 255])));
  bag.finish([['External-Description', 'a test bag\nover two lines']], new Date('2024-12-20T08:00:00Z'));
  return dir;
}

test('a written bag has the RFC 8493 tag files and validates', async () => {
  const dir = await makeBag('good');
  assert.equal(fs.readFileSync(path.join(dir, 'bagit.txt'), 'utf8'), 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n');
  const info = parseBagInfo(fs.readFileSync(path.join(dir, 'bag-info.txt'), 'utf8'));
  assert.deepEqual(info.get('Bagging-Date'), ['2024-12-20']);
  const octets = Buffer.byteLength('[{"slug":"shitanjing"}]\n') + Buffer.byteLength('石炭井矿区') + Buffer.byteLength('percent') + 5;
  assert.deepEqual(info.get('Payload-Oxum'), [`${octets}.4`]);
  assert.deepEqual(info.get('External-Description'), ['a test bag\nover two lines'], 'a folded value reads back whole');
  const manifest = fs.readFileSync(path.join(dir, 'manifest-sha256.txt'), 'utf8');
  assert.ok(manifest.includes(`${sha256('石炭井矿区')}  data/documents/abc/pages/石炭井.txt\n`));
  assert.ok(manifest.includes('  data/odd/100%25.txt\n'), 'a % in a path is percent-encoded');
  const tags = fs.readFileSync(path.join(dir, 'tagmanifest-sha256.txt'), 'utf8');
  for (const t of ['bagit.txt', 'bag-info.txt', 'manifest-sha256.txt']) {
    assert.ok(tags.includes(`${sha256(fs.readFileSync(path.join(dir, t)))}  ${t}\n`), t);
  }
  assert.equal(fs.existsSync(`${dir}.incomplete`), false);
  const v = await validateBag(dir);
  assert.deepEqual(v.errors, []);
  assert.deepEqual([...v.payload.keys()].sort(), ['collections.json', 'documents/abc/original.bin', 'documents/abc/pages/石炭井.txt', 'odd/100%.txt']);
});

test('manifest paths encode only CR, LF and %', () => {
  assert.equal(encodeManifestPath('a%b\nc\rd e'), 'a%25b%0Ac%0Dd e');
  assert.equal(decodeManifestPath('a%25b%0Ac%0Dd e'), 'a%b\nc\rd e');
});

test('validation lists every problem: changed, missing and extra payload files, a wrong Payload-Oxum, a changed tag file', async () => {
  const dir = await makeBag('tampered');
  fs.writeFileSync(path.join(dir, 'data', 'collections.json'), '[]\n');
  fs.rmSync(path.join(dir, 'data', 'odd', '100%.txt'));
  fs.writeFileSync(path.join(dir, 'data', 'smuggled.txt'), 'not in the manifest');
  fs.appendFileSync(path.join(dir, 'bag-info.txt'), 'Contact-Name: someone\n');
  const { errors } = await validateBag(dir);
  assert.ok(errors.includes('checksum mismatch: data/collections.json'), errors.join('\n'));
  assert.ok(errors.includes('missing payload file: data/odd/100%.txt'));
  assert.ok(errors.includes('payload file not in the manifest: data/smuggled.txt'));
  assert.ok(errors.some((e) => /^Payload-Oxum 51\.4 does not match the payload \(\d+\.4\)$/.test(e)), errors.join('\n'));
  assert.ok(errors.includes('tag file checksum mismatch: bag-info.txt'));
});

test('a manifest that points outside data/ is refused, and a folder without bagit.txt is not a bag', async () => {
  const dir = await makeBag('escape');
  fs.appendFileSync(path.join(dir, 'manifest-sha256.txt'), `${sha256('x')}  data/../bagit.txt\n`);
  assert.ok((await validateBag(dir)).errors.includes('manifest entry outside data/ or unsafe: data/../bagit.txt'));
  const plain = path.join(root, 'plain');
  fs.mkdirSync(path.join(plain, 'data'), { recursive: true });
  assert.ok((await validateBag(plain)).errors.includes('bagit.txt is missing: not a bag'));
});

test('a bag is never written over an existing folder, and a damaged source file stops it', async () => {
  const existing = path.join(root, 'existing');
  fs.mkdirSync(existing);
  assert.throws(() => createBag(existing), /exists already/);
  const dir = path.join(root, 'damaged');
  const source = path.join(root, 'damaged-source.bin');
  fs.writeFileSync(source, 'changed bytes');
  const bag = createBag(dir);
  await assert.rejects(bag.addFile('original.bin', source, sha256('the bytes that were stored')), /is damaged: its SHA-256 is/);
  bag.abandon();
  assert.equal(fs.existsSync(dir) || fs.existsSync(`${dir}.incomplete`), false);
});
