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

    /// Python's string order: by code point.
    public static func pythonPrecedes(_ a: String, _ b: String) -> Bool {
        var i = a.unicodeScalars.makeIterator(), j = b.unicodeScalars.makeIterator()
        while true {
            switch (i.next(), j.next()) {
            case (nil, nil): return false
            case (nil, _): return true
            case (_, nil): return false
            case (let x?, let y?): if x != y { return x.value < y.value }
            }
        }
    }
}
