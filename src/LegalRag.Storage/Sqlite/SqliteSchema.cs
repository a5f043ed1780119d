namespace LegalRag.Storage.Sqlite;

/// <summary>
/// The embedded store's schema. One SQLite file holds corpora, documents, provisions, chunks, the
/// FTS5 index and (when a model is configured) chunk embeddings. Every document is written in one
/// transaction, which is what makes a killed ingest leave nothing half-written.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>2: act aliases and provision references. A store of an older version is migrated when opened:
    /// the tables are added, aliases derived for the stored documents, and every document marked for
    /// re-parsing, so the next ingest stores its references and today's citation forms.
    /// 3: the official formats' fields (identifiers, validity dates, notes, official aliases) and each document's
    /// provenance. Migrating adds the columns (empty for stored documents, which keep everything else) and re-derives
    /// the alias table, whose tier numbers changed with the new official tier.
    /// 4: versions (issue 14): each provision row is one version; version_of holds the key every version of it shares,
    /// changed_by the act that made it. Migrating adds both and fills version_of from the keys.</summary>
    public const int Version = 4;

    /// <summary>Columns schema 4 added: (table, column, type).</summary>
    public static readonly IReadOnlyList<(string Table, string Column, string Type)> AddedInVersion4 =
    [
        ("provisions", "version_of", "TEXT"),
        ("provisions", "changed_by", "TEXT"),
    ];

    /// <summary>Indexes on columns a migration may have just added: created after it, so an old table that lacks the
    /// column does not fail the schema script.</summary>
    public const string CreateLateIndexes = """
        CREATE INDEX IF NOT EXISTS provisions_version_of ON provisions(version_of);
        CREATE INDEX IF NOT EXISTS provisions_valid_from ON provisions(valid_from) WHERE valid_from IS NOT NULL;
        CREATE INDEX IF NOT EXISTS provisions_valid_to ON provisions(valid_to) WHERE valid_to IS NOT NULL;
        """;

    /// <summary>Columns schema 3 added to tables that older stores already have: (table, column, type).</summary>
    public static readonly IReadOnlyList<(string Table, string Column, string Type)> AddedInVersion3 =
    [
        ("documents", "identifier", "TEXT"),
        ("documents", "aliases", "TEXT"),
        ("documents", "valid_from", "TEXT"),
        ("documents", "valid_to", "TEXT"),
        ("documents", "provenance_source", "TEXT"),
        ("documents", "provenance_publisher", "TEXT"),
        ("documents", "provenance_retrieved_at", "TEXT"),
        ("documents", "provenance_hash", "TEXT"),
        ("provisions", "identifier", "TEXT"),
        ("provisions", "valid_from", "TEXT"),
        ("provisions", "valid_to", "TEXT"),
        ("provisions", "notes", "TEXT"),
    ];

    /// <summary>Version of the lexical analysis (folding, stopwords, stemmers). The FTS table stores
    /// analyzed terms, so a store indexed under another version is re-analyzed when opened.</summary>
    public const string AnalyzerVersion = "4";

    public const string CreateFts = "CREATE VIRTUAL TABLE chunks_fts USING fts5(heading, context, body, scope, tokenize = 'unicode61 remove_diacritics 0')";

    /// <summary>
    /// The text of a chunk's "context" column: the act's title and name and the provision's place in the
    /// hierarchy ("Mietverhältnisse über Wohnraum › Mietverhältnisse auf unbestimmte Zeit"). Lay questions
    /// name the subject ("Miete", "Wohnung") that a provision's own words often leave to its headings.
    /// </summary>
    public static string Context(string actTitle, string actName, string path) => $"{actTitle} {actName} {path}";

    /// <summary>The filter tokens of a chunk in the FTS "scope" column.</summary>
    public static string Scope(long corpusId, string actNorm) => $"c{corpusId} a{actNorm}";

    public const string Create = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS corpora (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            language TEXT NOT NULL,
            created_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS documents (
            id INTEGER PRIMARY KEY,
            corpus_id INTEGER NOT NULL REFERENCES corpora(id) ON DELETE CASCADE,
            source_path TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            title TEXT NOT NULL,
            abbreviation TEXT,
            act_name TEXT NOT NULL,
            act_norm TEXT NOT NULL,
            title_norm TEXT NOT NULL,
            language TEXT NOT NULL,
            format TEXT NOT NULL,
            ingested_at TEXT NOT NULL,
            -- Schema 3. Dates as ISO yyyy-MM-dd; aliases as a JSON array; provenance as its four parts.
            identifier TEXT,
            aliases TEXT,
            valid_from TEXT,
            valid_to TEXT,
            provenance_source TEXT,
            provenance_publisher TEXT,
            provenance_retrieved_at TEXT,
            provenance_hash TEXT,
            UNIQUE (corpus_id, source_path));
        CREATE INDEX IF NOT EXISTS documents_act ON documents(act_norm);
        CREATE TABLE IF NOT EXISTS provisions (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL,
            kind TEXT NOT NULL,
            number TEXT NOT NULL,
            number_norm TEXT NOT NULL,
            heading TEXT NOT NULL,
            citation TEXT NOT NULL,
            path TEXT NOT NULL,
            paragraphs TEXT NOT NULL,
            repealed INTEGER NOT NULL,
            -- Schema 3. Notes (footnotes, amendment notes) as a JSON array, NULL when there are none.
            identifier TEXT,
            valid_from TEXT,
            valid_to TEXT,
            notes TEXT,
            -- Schema 4. The key all versions of this provision share (ProvisionVersions.BaseKey), and the amending act.
            version_of TEXT,
            changed_by TEXT);
        CREATE INDEX IF NOT EXISTS provisions_document ON provisions(document_id);
        CREATE INDEX IF NOT EXISTS provisions_number ON provisions(number_norm);
        CREATE TABLE IF NOT EXISTS chunks (
            id INTEGER PRIMARY KEY,
            provision_id INTEGER NOT NULL REFERENCES provisions(id) ON DELETE CASCADE,
            corpus_id INTEGER NOT NULL,
            ordinal INTEGER NOT NULL,
            citation TEXT NOT NULL,
            heading TEXT NOT NULL,
            text TEXT NOT NULL,
            page INTEGER,
            content_hash TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS chunks_provision ON chunks(provision_id);
        CREATE INDEX IF NOT EXISTS chunks_corpus ON chunks(corpus_id);
        -- The FTS table holds analyzed terms (folded, stemmed by our TextAnalyzer), not raw text:
        -- SQLite's tokenizers cannot stem German, and index and query must analyze alike.
        -- "scope" holds filter tokens ("c12" for corpus 12, "a" + normalized act name) so a corpus or act
        -- filter is an FTS5 intersection, not a scan of every match in a multi-corpus store. Its BM25 weight is 0.
        CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(heading, context, body, scope, tokenize = 'unicode61 remove_diacritics 0');
        CREATE INDEX IF NOT EXISTS provisions_document_number ON provisions(document_id, number_norm);
        -- The names a document's act is cited by ("ao" for "AO 1977"), as ActAliases.LookupKeys forms them.
        CREATE TABLE IF NOT EXISTS act_aliases (
            alias TEXT NOT NULL,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            tier INTEGER NOT NULL,
            PRIMARY KEY (alias, document_id)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS act_aliases_document ON act_aliases(document_id);
        -- References found in a provision's text. They belong to the citing document (written and replaced
        -- with it); to_id is filled when the target is stored, and falls back to NULL when the target's
        -- document is replaced, so the resolution pass at the end of an ingest finds it again.
        CREATE TABLE IF NOT EXISTS provision_references (
            id INTEGER PRIMARY KEY,
            from_id INTEGER NOT NULL REFERENCES provisions(id) ON DELETE CASCADE,
            corpus_id INTEGER NOT NULL,
            act_key TEXT NOT NULL,
            act_fold TEXT,
            kind TEXT NOT NULL,
            number_norm TEXT NOT NULL,
            to_id INTEGER REFERENCES provisions(id) ON DELETE SET NULL);
        CREATE INDEX IF NOT EXISTS provision_references_from ON provision_references(from_id);
        CREATE INDEX IF NOT EXISTS provision_references_to ON provision_references(to_id);
        CREATE INDEX IF NOT EXISTS provision_references_corpus ON provision_references(corpus_id, to_id);
        CREATE TABLE IF NOT EXISTS chunk_vectors (
            chunk_id INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
            model TEXT NOT NULL,
            vector BLOB NOT NULL);
        -- What each document's rows were when written (counts, and a digest of the rows), in the same transaction:
        -- 'legalrag verify' recomputes it to find a document that is not whole. Documents stored before this table
        -- existed have no row here and are checked for orphans and index rows only.
        CREATE TABLE IF NOT EXISTS document_manifests (
            document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            content_hash TEXT NOT NULL,
            provisions INTEGER NOT NULL,
            chunks INTEGER NOT NULL,
            digest TEXT NOT NULL);
        -- Embeddings by content: re-ingesting unchanged text with the same model never re-embeds.
        CREATE TABLE IF NOT EXISTS embedding_cache (
            content_hash TEXT NOT NULL,
            model TEXT NOT NULL,
            vector BLOB NOT NULL,
            PRIMARY KEY (content_hash, model)) WITHOUT ROWID;
        """;
}
