/// A Django migration's key, `(app_label, migration_name)`, ordered as Python orders the tuple
/// (code points, app first), which decides every order Django prints.
public struct DjangoKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var app: String
    public var name: String

    public init(_ app: String, _ name: String) {
        self.app = app
        self.name = name
    }

    /// `app.name`, as `showmigrations` prints it.
    public var description: String { "\(app).\(name)" }

    public static func < (a: DjangoKey, b: DjangoKey) -> Bool {
        if a.app != b.app { return pythonPrecedes(a.app, b.app) }
        return pythonPrecedes(a.name, b.name)
    }

    /// Python's string order: by code point, which is UTF-8 byte order.
    public static func pythonPrecedes(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let n = min(x.count, y.count)
                var i = 0
                while i < n {
                    if x[i] != y[i] { return x[i] < y[i] }
                    i += 1
                }
                return x.count < y.count
            }
        }
    }
}
