import FoundationEssentials
import Glibc
import RevgraphCore

/// Lint over a loaded project: the revision files read again from the tree they were loaded
/// from (the parse cache keeps graph data only), the dialect decided, the changed revisions found.
public enum LintRun {
    /// Each revision's script, by graph index; a file that cannot be read or lexed has none, and
    /// `unreadable` gets `path:line: why` for it (an error inside a function body, which the
    /// module-level parse of the graph does not meet).
    /// - Parameter selected: when given, the other revisions are lexed only if their bytes name
    ///   one of the strings the selected revisions' operations use (a table they touch): a file
    ///   that never names a table cannot change what the rules know about it.
    static func scripts(_ loaded: LoadedProject, in tree: SourceTree, relevantTo selected: Set<Int>?, unreadable: inout [String])
        throws(WorkspaceError) -> [Int: MigrationScript]
    {
        var out: [Int: MigrationScript] = [:]
        func read(_ bytes: [UInt8], _ i: Int) {
            switch MigrationScript.readDetailed(bytes) {
            case .success(let s): out[i] = s
            case .failure(let why): unreadable.append("\(loaded.graph.revision(i).path):\(why.line): \(why.detail)")
            }
        }
        var names: [[UInt8]]?
        if let selected {
            for i in selected.sorted() {
                guard let bytes = try tree.read(loaded.graph.revision(i).path) else { continue }
                read(bytes, i)
            }
            let strings = out.values.flatMap { s in s.upgrade.flatMap { op in
                op.call.arguments.compactMap(\.stringValue) + op.call.keywords.compactMap(\.value.stringValue) + [op.batchTable].compactMap { $0 }
            } + s.batches.map(\.table) }
            let distinct = Set(strings.filter { !$0.isEmpty })
            // Many or long names (a large revision) would make the search cost more than lexing: lex all.
            let small = distinct.count <= 64 && distinct.allSatisfy { $0.utf8.count <= 128 }
            names = small ? distinct.sorted().map { Array($0.utf8) } : nil
        }
        for i in 0..<loaded.graph.count where out[i] == nil && selected?.contains(i) != true {
            guard let bytes = try tree.read(loaded.graph.revision(i).path) else { continue }
            if let names, !names.contains(where: { bytes.contains(subsequence: $0) }) { continue }  // names none of them
            read(bytes, i)
        }
        return out
    }

    /// The revisions of `loaded` that are new or whose file changed since `base` (by checksum).
    public static func changed(_ loaded: LoadedProject, since base: LoadedProject?) -> Set<Int> {
        var out = Set<Int>()
        for i in 0..<loaded.graph.count {
            let id = loaded.graph.id(i)
            if base?.checksums[id] == nil || base?.checksums[id] != loaded.checksums[id] { out.insert(i) }
        }
        return out
    }

    /// The revisions of `loaded` (read from git: the index or a commit) whose file is new or has
    /// another blob in `base`: a listing of `base`'s version directories, nothing parsed.
    /// Nil when `loaded` was read from the work tree (no blob ids).
    public static func changed(_ loaded: LoadedProject, since base: SourceTree) throws(WorkspaceError) -> Set<Int>? {
        guard let fingerprint = loaded.fingerprint else { return nil }
        var ours: [String: Substring] = [:]
        for entry in fingerprint {
            // `path<TAB>blob`, split on the bytes.
            guard let tab = entry.utf8.lastIndex(of: 0x09) else { continue }
            ours[String(entry[..<tab])] = entry[entry.utf8.index(after: tab)...]
        }
        var theirs: [String: String] = [:]
        let recursive = loaded.config?.recursiveVersionLocations ?? false
        for location in loaded.versionLocations {
            for file in try base.files(in: location, recursive: recursive) ?? [] { theirs[file.path] = file.blobID }
        }
        var out = Set<Int>()
        for i in 0..<loaded.graph.count {
            let path = loaded.graph.revision(i).path
            if let blob = ours[path], theirs[path].map({ $0 == blob }) == true { continue }
            out.insert(i)
        }
        return out
    }

    /// `--dialect`, else the config's `dialect`, else `sqlalchemy.url`'s scheme; nil when unknown.
    public static func dialect(_ loaded: LoadedProject, override: LintDialect?) -> LintDialect? {
        override ?? loaded.config?.settings.lint.dialect ?? LintDialect(url: loaded.config?.sqlalchemyURL)
    }

    /// The findings, and the files lint could not read (`path:line: why`; those revisions are not linted).
    public static func run(_ loaded: LoadedProject, tree: SourceTree, selected: Set<Int>?, dialect override: LintDialect? = nil,
                           paths: (String) -> String) throws(WorkspaceError) -> (findings: [LintFinding], unreadable: [String])
    {
        let settings = loaded.config?.settings.lint ?? LintSettings()
        var unreadable: [String] = []
        let scripts = try scripts(loaded, in: tree, relevantTo: selected, unreadable: &unreadable)
        let packages = try applicationPackages(importedBy: scripts.values, loaded: loaded, tree: tree)
        let linter = Linter(settings: settings, dialect: dialect(loaded, override: override), applicationPackages: packages)
        return (linter.lint(loaded.graph, scripts: scripts, selected: selected, paths: paths), unreadable.map(paths))
    }

    /// The imported top-level names that are packages or modules of the project's own tree: a
    /// `<name>/__init__.py` or `<name>.py` in the config's directory or up to three directories above.
    static func applicationPackages(importedBy scripts: Dictionary<Int, MigrationScript>.Values, loaded: LoadedProject,
                                    tree: SourceTree) throws(WorkspaceError) -> Set<String>
    {
        let imported = Set(scripts.flatMap { $0.imports.map(\.module) }).filter { $0 != "." }
        guard !imported.isEmpty else { return [] }
        var dirs: [String] = []
        var dir = loaded.configPath.map { tree.directory(of: $0) } ?? ""
        for _ in 0..<4 {
            dirs.append(dir)
            guard !dir.isEmpty, dir != "/", dir != "." else { break }
            dir = dir.deletingLastPathComponent
        }
        var found = Set<String>()
        for module in imported.sorted() {
            for d in dirs {
                let base = d.isEmpty || d == "." ? module : d + "/" + module
                let package = try tree.read(base + "/__init__.py")
                let file = package == nil ? try tree.read(base + ".py") : nil
                if package != nil || file != nil {
                    found.insert(module)
                    break
                }
            }
        }
        return found
    }
}

extension Array where Element == UInt8 {
    /// Whether `needle` occurs in the bytes.
    func contains(subsequence needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        guard needle.count <= count else { return false }
        return withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { n in
                var i = 0
                let last = hay.count - n.count
                while i <= last {
                    if hay[i] == first, memcmp(hay.baseAddress! + i, n.baseAddress!, n.count) == 0 { return true }
                    i += 1
                }
                return false
            }
        }
    }
}
