/**
 * Versioned schema: entry N is migration N (1-based), applied once, never edited after release —
 * add a new entry instead.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE collections (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
  );
  CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    original_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    collection_id INTEGER REFERENCES collections(id),
    title TEXT NOT NULL,
    creator TEXT NOT NULL DEFAULT '',
    contributor TEXT NOT NULL DEFAULT '',
    publisher TEXT NOT NULL DEFAULT '',
    date TEXT NOT NULL DEFAULT '',
    year_from INTEGER,
    year_to INTEGER,
    type TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT '',
    rights TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL DEFAULT '',
    coverage TEXT NOT NULL DEFAULT '',
    published INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'processing',
    page_count INTEGER NOT NULL DEFAULT 0,
    ocr_languages TEXT NOT NULL DEFAULT 'auto',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX documents_collection ON documents(collection_id);
  CREATE TABLE pages (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    corrected_text TEXT,
    source TEXT NOT NULL,
    confidence REAL,
    needs_ocr INTEGER NOT NULL DEFAULT 0,
    headline TEXT,
    dek TEXT,
    byline TEXT,
    captions TEXT NOT NULL DEFAULT '[]',
    layout TEXT,
    image_width INTEGER,
    image_height INTEGER,
    has_image INTEGER NOT NULL DEFAULT 0,
    indexed INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (document_id, number)
  );
  CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    status TEXT NOT NULL,
    stage TEXT NOT NULL DEFAULT 'queued',
    pages_done INTEGER NOT NULL DEFAULT 0,
    pages_total INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    owner TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX jobs_status ON jobs(status);
  CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
  );
  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  // 2: staff accounts, sessions, API tokens, correction history, hidden (restorable) documents.
  `
  CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'editor')),
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  );
  CREATE INDEX sessions_user ON sessions(user_id);
  CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_used_at TEXT
  );
  CREATE TABLE corrections (
    id INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    page_number INTEGER NOT NULL,
    text TEXT NOT NULL,
    actor TEXT NOT NULL,
    at TEXT NOT NULL
  );
  CREATE INDEX corrections_page ON corrections(document_id, page_number);
  ALTER TABLE documents ADD COLUMN deleted_at TEXT;
  CREATE INDEX pages_ocr_confidence ON pages(confidence) WHERE source = 'ocr' AND corrected_text IS NULL;
  `,
  // 3: the normalised text search verifies long phrases against (src/search), filled when a page is
  // indexed or first verified. Any change to what search reads of a page clears it, whoever writes.
  `
  ALTER TABLE pages ADD COLUMN search_text TEXT;
  CREATE TRIGGER pages_search_text_stale AFTER UPDATE OF text, corrected_text, headline, dek, byline, captions ON pages
    WHEN NEW.search_text IS OLD.search_text
  BEGIN
    UPDATE pages SET search_text = NULL WHERE rowid = NEW.rowid;
  END;
  `,
  // 4: stories — curated narratives in Markdown that cite archive pages; every saved version is kept.
  `
  CREATE TABLE stories (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    cover_document_id TEXT,
    cover_page INTEGER,
    cover_region TEXT,
    cover_sha256 TEXT,
    cover_alt TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '[]',
    era TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
    featured INTEGER NOT NULL DEFAULT 0,
    author TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    published_at TEXT
  );
  CREATE INDEX stories_published ON stories(status, published_at);
  CREATE TABLE story_revisions (
    id INTEGER PRIMARY KEY,
    story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    content TEXT NOT NULL,
    actor TEXT NOT NULL,
    at TEXT NOT NULL
  );
  CREATE INDEX story_revisions_story ON story_revisions(story_id);
  `,
  // 5: the search text moves out of \`pages\` into a narrow table of its own: as the row's last column
  // it sat behind the text and the OCR layout (often tens of kilobytes), whose overflow pages SQLite
  // had to read through for every candidate it verified. Still cleared when a page's text changes.
  `
  DROP TRIGGER pages_search_text_stale;
  ALTER TABLE pages DROP COLUMN search_text;
  CREATE TABLE page_search_texts (
    document_id TEXT NOT NULL,
    number INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (document_id, number),
    FOREIGN KEY (document_id, number) REFERENCES pages(document_id, number) ON DELETE CASCADE
  );
  CREATE TRIGGER pages_search_text_stale AFTER UPDATE OF text, corrected_text, headline, dek, byline, captions ON pages
  BEGIN
    DELETE FROM page_search_texts WHERE document_id = OLD.document_id AND number = OLD.number;
  END;
  `,
  // 6: the normalised text of each story (search/normalize.ts), which story search checks its candidates
  // against; written whenever the story is indexed, so a search never renders Markdown to verify.
  `
  CREATE TABLE story_search_texts (
    story_id INTEGER PRIMARY KEY REFERENCES stories(id) ON DELETE CASCADE,
    text TEXT NOT NULL
  );
  `,
  // 7: ranking reads the headline of every re-ranked page; from this covering index SQLite answers
  // without reading the page rows (text and OCR layout): 1.55 instead of 2.19 ms for 200 pages.
  `
  CREATE INDEX pages_headline ON pages(document_id, number, headline);
  `,
  // 8: every write of a stored search text, in order, so that a process holding the texts in memory
  // (search-text-mirror.ts) re-reads only the pages that changed, whichever connection wrote them.
  // Cascading deletes (a page or document removed) fire the delete trigger too. The log keeps the
  // last 100,000 entries: each insert drops the one that many before it; a reader that fell further
  // behind sees the gap and reloads everything.
  `
  CREATE TABLE search_text_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id TEXT NOT NULL,
    number INTEGER NOT NULL
  );
  CREATE TRIGGER page_search_texts_inserted AFTER INSERT ON page_search_texts
  BEGIN
    INSERT INTO search_text_changes (document_id, number) VALUES (NEW.document_id, NEW.number);
  END;
  CREATE TRIGGER page_search_texts_updated AFTER UPDATE ON page_search_texts
  BEGIN
    INSERT INTO search_text_changes (document_id, number) VALUES (OLD.document_id, OLD.number);
    INSERT INTO search_text_changes (document_id, number) VALUES (NEW.document_id, NEW.number);
  END;
  CREATE TRIGGER page_search_texts_deleted AFTER DELETE ON page_search_texts
  BEGIN
    INSERT INTO search_text_changes (document_id, number) VALUES (OLD.document_id, OLD.number);
  END;
  CREATE TRIGGER search_text_changes_kept AFTER INSERT ON search_text_changes
  BEGIN
    DELETE FROM search_text_changes WHERE seq <= NEW.seq - 100000;
  END;
  `,
];
