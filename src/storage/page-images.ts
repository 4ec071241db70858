import fs from 'node:fs';
import path from 'node:path';

/** Derived page images and thumbnails (regenerable from the originals). Paths built from checked ids only. */
export interface PageImageStore {
  write(documentId: string, page: number, kind: 'page' | 'thumb', bytes: Buffer): void;
  pathOf(documentId: string, page: number, kind: 'page' | 'thumb'): string;
  exists(documentId: string, page: number, kind: 'page' | 'thumb'): boolean;
}

const DOCUMENT_ID = /^[0-9a-z]{6,64}$/;

export function createPageImageStore(dataDir: string): PageImageStore {
  const root = path.join(dataDir, 'derived');
  const pathOf = (documentId: string, page: number, kind: 'page' | 'thumb') => {
    if (!DOCUMENT_ID.test(documentId) || !Number.isInteger(page) || page < 1) throw new Error('invalid page reference');
    return path.join(root, documentId, `${page}.${kind}.webp`);
  };
  return {
    pathOf,
    write(documentId, page, kind, bytes) {
      const target = pathOf(documentId, page, kind);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      const temp = `${target}.tmp`;
      fs.writeFileSync(temp, bytes);
      fs.renameSync(temp, target);
    },
    exists(documentId, page, kind) {
      return fs.existsSync(pathOf(documentId, page, kind));
    },
  };
}
