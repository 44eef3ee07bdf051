/// The schema a release pins, as trailers in its annotated tag's message:
///
///     Schema-Head: <rev>             (one per head)
///     Schema-Revisions: <count>
///     Schema-Manifest: sha256:<hex>  (SHA-256 over the sorted "revision checksum" lines)
public struct SchemaPin: Equatable, Sendable {
    public var heads: [String]
    public var revisionCount: Int
    public var manifest: String

    public init(heads: [String], revisionCount: Int, manifest: String) {
        self.heads = heads
        self.revisionCount = revisionCount
        self.manifest = manifest
    }

    /// Pins a graph given each revision's file checksum (``Checksum``).
    public init(graph: RevisionGraph, checksums: [String: String]) {
        heads = graph.heads.map { graph.id($0) }
        revisionCount = graph.count
        manifest = Self.manifest(checksums)
    }

    /// `sha256:` over "revision checksum\n" lines sorted by revision id.
    public static func manifest(_ checksums: [String: String]) -> String {
        let lines = checksums.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { "\($0) \(checksums[$0]!)\n" }
        return "sha256:" + SHA256.hex(Array(lines.joined().utf8))
    }

    public var trailers: String {
        heads.map { "Schema-Head: \($0)\n" }.joined() + "Schema-Revisions: \(revisionCount)\nSchema-Manifest: \(manifest)\n"
    }

    /// Reads the trailers of a tag message; nil when it has none (a tag not made by revgraph).
    public static func parse(_ message: String) -> SchemaPin? {
        var heads: [String] = []
        var count: Int?
        var manifest: String?
        for line in message.split(separator: "\n") {
            let t = line.trimmingPythonWhitespace()
            if t.hasPrefix("Schema-Head:") { heads.append(t.dropFirst(12).trimmingPythonWhitespace()) }
            if t.hasPrefix("Schema-Revisions:") { count = Int(t.dropFirst(17).trimmingPythonWhitespace()) }
            if t.hasPrefix("Schema-Manifest:") { manifest = t.dropFirst(16).trimmingPythonWhitespace() }
        }
        guard let count, let manifest else { return nil }
        return SchemaPin(heads: heads, revisionCount: count, manifest: manifest)
    }
}
