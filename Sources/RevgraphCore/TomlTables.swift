/// The tables of a TOML 1.0 document (``TomlDocument``) by dotted name (`tool.alembic`), each with
/// its keys' values: what `pyproject.toml`'s `[tool.alembic]` and `[tool.revgraph]`,
/// `revgraph.toml` and `[django]` are read from. A table written with a header, with dotted keys
/// (`[tool]` then `alembic.script_location = …`) or inline (`alembic = { … }`) is the same table.
/// Arrays of tables are not listed (no table revgraph reads is one).
public struct TomlTables: Sendable {
    public enum Value: Equatable, Sendable {
        case string(String)
        case bool(Bool)
        case integer(Int)
        case array([Value])
        /// A float, a date-time or a table inside an array: nothing revgraph reads takes one.
        case other
    }

    public typealias ParseError = TomlDocument.ParseError

    /// Values by dotted table name (`tool.alembic`; "" for the root), then key.
    public private(set) var tables: [String: [String: Value]] = [:]

    public init(text: String) throws(ParseError) {
        let document = try TomlDocument(text: text)
        // Iterative: a table's subtables are visited after it.
        var pending: [(String, TomlDocument.Table)] = [("", document.root)]
        while let (name, table) = pending.popLast() {
            var entries: [String: Value] = [:]
            for key in table.keys {
                guard let v = table[key] else { continue }
                switch v {
                case .table(let sub): pending.append((name.isEmpty ? key : name + "." + key, sub))
                case .array(let items) where !items.isEmpty && items.allSatisfy({ if case .table = $0 { true } else { false } }):
                    continue
                default: entries[key] = Self.value(v)
                }
            }
            tables[name] = entries
        }
    }

    static func value(_ v: TomlDocument.Value) -> Value {
        switch v {
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        case .integer(let n): return .integer(n)
        case .array(let items): return .array(items.map(value))
        case .float, .datetime, .table: return .other
        }
    }

    public func table(_ name: String) -> [String: Value]? { tables[name] }

    /// Whether a `pyproject.toml` has a `[tool.alembic]` table, however it is written (a header,
    /// dotted keys under `[tool]`, an inline table), or names it and does not parse (so that its
    /// error is reported when it is read as a config, never taken for "no config").
    public static func mayHaveAlembicTable(_ text: String) -> Bool {
        guard text.contains("alembic") else { return false }
        guard let tables = try? TomlTables(text: text) else { return text.contains("tool.alembic") }
        return tables.table("tool.alembic") != nil
    }
}
