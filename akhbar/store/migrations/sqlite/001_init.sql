-- akhbar schema v1: articles with their raw input, sentences, full-text index on folded text,
-- and the tables the analysis stages fill (entities, mentions, events, quotes, stories).
CREATE TABLE articles (
    id           INTEGER PRIMARY KEY,
    content_hash TEXT NOT NULL UNIQUE,
    url          TEXT,
    source_id    TEXT,
    origin       TEXT,
    outlet       TEXT,
    headline     TEXT,
    published    TEXT,             -- YYYY-MM-DD or NULL when the text states none
    language     TEXT,
    raw_format   TEXT NOT NULL,
    raw          TEXT NOT NULL,    -- the input as read, so re-processing never needs re-fetching
    body         TEXT NOT NULL,    -- clean text
    credits      TEXT NOT NULL DEFAULT '[]',
    removed      TEXT NOT NULL DEFAULT '[]',
    summary      TEXT,
    story_id     INTEGER,
    dup_of       INTEGER,          -- representative of its near-duplicate group
    ingested_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE UNIQUE INDEX articles_url ON articles(url) WHERE url IS NOT NULL;
CREATE INDEX articles_source_id ON articles(source_id);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_outlet ON articles(outlet);
CREATE INDEX articles_story ON articles(story_id);

CREATE TABLE sentences (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    PRIMARY KEY (article_id, idx)
) WITHOUT ROWID;

-- FTS5 index over the folded headline and body (rowid = articles.id): folding happens in
-- Python because FTS5's own diacritic removal ignores Arabic script.
CREATE VIRTUAL TABLE articles_fts USING fts5(
    headline, body, tokenize='unicode61 remove_diacritics 0'
);

CREATE TABLE entities (
    id     TEXT PRIMARY KEY,
    name   TEXT NOT NULL,
    type   TEXT NOT NULL,
    actor  TEXT,
    urdu   TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE mentions (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    entity_id  TEXT,
    surface    TEXT NOT NULL,
    norm       TEXT NOT NULL,
    type       TEXT NOT NULL,
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    sentence   INTEGER,
    method     TEXT NOT NULL,
    score      REAL NOT NULL DEFAULT 1.0
);
CREATE INDEX mentions_article ON mentions(article_id);
CREATE INDEX mentions_entity ON mentions(entity_id);
CREATE INDEX mentions_norm ON mentions(norm);

CREATE TABLE events (
    id            INTEGER PRIMARY KEY,
    article_id    INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    sentence      INTEGER NOT NULL,
    type          TEXT NOT NULL,
    source        TEXT,
    target        TEXT,
    mode          TEXT NOT NULL,
    negated       INTEGER NOT NULL DEFAULT 0,
    score         REAL NOT NULL,
    evidence      TEXT NOT NULL,
    date          TEXT,
    pattern       TEXT,
    source_entity TEXT,
    target_entity TEXT
);
CREATE INDEX events_article ON events(article_id);
CREATE INDEX events_pair ON events(source, target);
CREATE INDEX events_date ON events(date);

CREATE TABLE quotes (
    id              INTEGER PRIMARY KEY,
    article_id      INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    sentence        INTEGER NOT NULL,
    text            TEXT NOT NULL,
    speaker         TEXT,
    speaker_surface TEXT,
    kind            TEXT NOT NULL,
    start           INTEGER,
    "end"           INTEGER
);
CREATE INDEX quotes_article ON quotes(article_id);
CREATE INDEX quotes_speaker ON quotes(speaker);

CREATE TABLE stories (
    id         INTEGER PRIMARY KEY,
    label      TEXT NOT NULL,
    label_en   TEXT NOT NULL DEFAULT '',
    first_date TEXT,
    last_date  TEXT,
    thread_id  INTEGER,
    summary    TEXT NOT NULL DEFAULT '[]',
    data       TEXT NOT NULL DEFAULT '{}'
);

-- Opaque per-stage data by key (MinHash signatures, embedding vectors, model caches).
CREATE TABLE blobs (
    kind  TEXT NOT NULL,
    key   TEXT NOT NULL,
    value BLOB NOT NULL,
    PRIMARY KEY (kind, key)
) WITHOUT ROWID;
