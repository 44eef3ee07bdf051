/// What lint knows of the schema at one revision: which tables exist since an earlier revision
/// (they may hold rows and have readers) and which tables reference each, built by applying the
/// schema operations of every revision in upgrade order. Nothing is executed.
public struct SchemaReplay: Sendable {
    struct Table: Sendable {
        /// The revision (graph index) that created it; nil for a table lint first met altered
        /// (created before the history, or by code it could not read).
        var createdIn: Int?
        /// Tables with a foreign key to this one.
        var referencedBy: Set<String> = []
        /// Tables this one has a foreign key to (the other side of `referencedBy`, so a drop or a
        /// rename touches only its neighbours).
        var references: Set<String> = []
        /// Columns known to be NOT NULL (declared nullable=False, or in the primary key).
        var notNull: Set<String> = []
    }

    private(set) var tables: [String: Table] = [:]

    public init() {}

    /// Tables referencing `table`, sorted.
    public func referencing(_ table: String) -> [String] { (tables[table.lowercased()]?.referencedBy ?? []).sorted() }

    /// Whether `table` was created by revision `revision` (so it has no rows and no readers yet).
    public func isNew(_ table: String, in revision: Int) -> Bool { tables[table.lowercased()]?.createdIn == revision }

    /// Whether `column` of `table` is known to be NOT NULL already.
    public func isNotNull(_ table: String, _ column: String) -> Bool {
        tables[table.lowercased()]?.notNull.contains(column.lowercased()) ?? false
    }

    mutating func markNotNull(_ table: String, _ columns: Set<String>) {
        guard !columns.isEmpty else { return }
        tables[table.lowercased(), default: Table()].notNull.formUnion(columns.map { $0.lowercased() })
    }

    mutating func created(_ table: String, in revision: Int, references: [String]) {
        // A table created again under a dropped one's name starts without its references.
        dropped(table)
        tables[table.lowercased()] = Table(createdIn: revision)
        for r in references { reference(from: table, to: r) }
    }

    mutating func reference(from source: String, to target: String) {
        let (s, t) = (source.lowercased(), target.lowercased())
        tables[t, default: Table()].referencedBy.insert(s)
        tables[s, default: Table()].references.insert(t)
    }

    mutating func dropped(_ table: String) {
        let t = table.lowercased()
        guard let state = tables.removeValue(forKey: t) else { return }
        for target in state.references { tables[target]?.referencedBy.remove(t) }
        for source in state.referencedBy { tables[source]?.references.remove(t) }
    }

    mutating func renamed(_ old: String, to new: String) {
        let (o, n) = (old.lowercased(), new.lowercased())
        let state = tables.removeValue(forKey: o) ?? Table()
        tables[n] = state
        for target in state.references where tables[target]?.referencedBy.remove(o) != nil {
            tables[target]?.referencedBy.insert(n)
        }
        for source in state.referencedBy where tables[source]?.references.remove(o) != nil {
            tables[source]?.references.insert(n)
        }
    }
}

/// Column types grouped by what their values are, to tell a rename from a replacement.
enum TypeFamily: Equatable {
    case text, integer, number, boolean, time, binary, json, uuid

    init?(_ expression: PythonExpression) {
        let name: String
        switch expression {
        case .call: name = expression.calleeName ?? ""
        case .name(let n): name = n.split(separator: ".").last.map(String.init) ?? n
        default: return nil
        }
        switch name.lowercased() {
        case "string", "varchar", "text", "unicode", "unicodetext", "char", "nvarchar", "nchar", "citext", "enum": self = .text
        case "integer", "biginteger", "smallinteger", "int", "bigint", "smallint", "tinyint": self = .integer
        case "numeric", "float", "decimal", "real", "double", "double_precision": self = .number
        case "boolean", "bool": self = .boolean
        case "datetime", "date", "time", "timestamp", "interval": self = .time
        case "largebinary", "binary", "varbinary", "blob", "bytea": self = .binary
        case "json", "jsonb": self = .json
        case "uuid": self = .uuid
        default: return nil
        }
    }
}

/// A column as `sa.Column(...)` declares it.
struct ColumnDeclaration {
    var name: String?
    var nullable: Bool
    var hasServerDefault: Bool
    /// Tables its `sa.ForeignKey('table.column')` arguments name.
    var references: [String]
    /// The kind of its type (`sa.String(50)` and `mysql.VARCHAR` are both text), when lint knows it.
    var type: TypeFamily?

    init?(_ expression: PythonExpression) {
        guard let call = expression.callValue, expression.calleeName == "Column" else { return nil }
        name = call.arguments.first?.stringValue ?? call.keyword("name")?.stringValue
        let primaryKey = call.keyword("primary_key")?.boolValue ?? false
        nullable = call.keyword("nullable")?.boolValue ?? !primaryKey
        if let d = call.keyword("server_default") { hasServerDefault = d != .none } else { hasServerDefault = false }
        type = call.arguments.dropFirst().first.flatMap(TypeFamily.init)
        references = call.arguments.compactMap { a in
            guard a.calleeName == "ForeignKey", let target = a.callValue?.arguments.first?.stringValue else { return nil }
            return ColumnDeclaration.table(ofColumnReference: target)
        }
    }

    /// `schema.table.column` or `table.column` → the table.
    static func table(ofColumnReference reference: String) -> String? {
        let parts = reference.split(separator: ".")
        return parts.count >= 2 ? String(parts[parts.count - 2]) : nil
    }
}
