/// revgraph's own table of what was applied: one row per (revision, checksum), with who, when,
/// which commit, and why (for accepted edits). Rows are only ever added.
public struct Ledger {
    public struct Row: Sendable, Equatable {
        public var revision: String
        public var checksum: String
        public var blobID: String?
        public var path: String?
        public var commit: String?
        public var recordedAt: String
        public var recordedBy: String
        /// `record`, `adopt` or `accept`.
        public var kind: String
        public var reason: String?

        public init(revision: String, checksum: String, blobID: String?, path: String?, commit: String?,
                    recordedAt: String, recordedBy: String, kind: String, reason: String?)
        {
            self.revision = revision
            self.checksum = checksum
            self.blobID = blobID
            self.path = path
            self.commit = commit
            self.recordedAt = recordedAt
            self.recordedBy = recordedBy
            self.kind = kind
            self.reason = reason
        }
    }

    public let connection: DatabaseConnection
    public let table: String
    public let schema: String?

    public init(connection: DatabaseConnection, table: String = "revgraph_ledger", schema: String? = nil) {
        self.connection = connection
        self.table = table
        self.schema = schema
    }

    var name: String { connection.qualified(table, schema: schema) }

    public func exists() throws(DatabaseError) -> Bool { try connection.tableExists(table, schema: schema) }

    public func create() throws(DatabaseError) {
        let id = connection.dialect == .sqlite ? "id INTEGER PRIMARY KEY AUTOINCREMENT" : "id BIGSERIAL PRIMARY KEY"
        try connection.query("""
            CREATE TABLE IF NOT EXISTS \(name) (
                \(id),
                revision VARCHAR(255) NOT NULL,
                checksum CHAR(64) NOT NULL,
                blob_id VARCHAR(64),
                path TEXT,
                commit_id VARCHAR(64),
                recorded_at VARCHAR(40) NOT NULL,
                recorded_by TEXT NOT NULL,
                kind VARCHAR(16) NOT NULL,
                reason TEXT,
                UNIQUE (revision, checksum)
            )
            """)
    }

    /// Every row, oldest first.
    public func rows() throws(DatabaseError) -> [Row] {
        try connection.query(
            "SELECT revision, checksum, blob_id, path, commit_id, recorded_at, recorded_by, kind, reason FROM \(name) ORDER BY id"
        ).map { r in
            Row(revision: r[0] ?? "", checksum: (r[1] ?? "").trimmingCharacters(), blobID: r[2], path: r[3], commit: r[4],
                recordedAt: r[5] ?? "", recordedBy: r[6] ?? "", kind: r[7] ?? "", reason: r[8])
        }
    }

    public func insert(_ row: Row) throws(DatabaseError) {
        try connection.query(
            "INSERT INTO \(name) (revision, checksum, blob_id, path, commit_id, recorded_at, recorded_by, kind, reason) "
                + (connection.dialect == .sqlite ? "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)" : "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"),
            [row.revision, row.checksum, row.blobID, row.path, row.commit, row.recordedAt, row.recordedBy, row.kind, row.reason])
    }
}

/// Alembic's version table (`alembic_version` by default): one row per applied head.
public struct VersionTable {
    public let connection: DatabaseConnection
    public let table: String
    public let schema: String?

    public init(connection: DatabaseConnection, table: String = "alembic_version", schema: String? = nil) {
        self.connection = connection
        self.table = table
        self.schema = schema
    }

    /// The stored heads, or nil when the table does not exist (nothing applied).
    public func heads() throws(DatabaseError) -> [String]? {
        guard try connection.tableExists(table, schema: schema) else { return nil }
        return try connection.query("SELECT version_num FROM \(connection.qualified(table, schema: schema))").compactMap { $0[0] }
    }
}

/// Django's record of applied migrations, `django_migrations` (app, name, applied).
public struct DjangoMigrationsTable {
    public let connection: DatabaseConnection
    public let table: String

    public init(connection: DatabaseConnection, table: String = "django_migrations") {
        self.connection = connection
        self.table = table
    }

    /// The applied (app, name) pairs in the order they were applied, or nil when the table does
    /// not exist (nothing was ever migrated).
    public func applied() throws(DatabaseError) -> [(app: String, name: String)]? {
        guard try connection.tableExists(table, schema: nil) else { return nil }
        return try connection.query("SELECT app, name FROM \(connection.qualified(table, schema: nil)) ORDER BY id")
            .compactMap { r in r[0].flatMap { a in r[1].map { (app: a, name: $0) } } }
    }
}
