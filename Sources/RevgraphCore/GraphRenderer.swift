/// Draws the graph: a terminal drawing in the manner of `git log --graph`, Graphviz dot, or Mermaid.
public struct GraphRenderer {
    public let graph: RevisionGraph
    public let order: [Int]

    /// - Parameter order: revisions newest first (`RevisionGraph.history()`).
    public init(graph: RevisionGraph, order: [Int]) {
        self.graph = graph
        self.order = order
    }

    func label(_ i: Int) -> String {
        var text = graph.id(i)
        let labels = graph.sortedLabels(i)
        if !labels.isEmpty { text += " (\(labels.joined(separator: ", ")))" }
        if graph.isRealHead(i) { text += " (head)" } else if graph.isEffectiveHead(i) { text += " (effective head)" }
        let doc = graph.revision(i).doc
        if !doc.isEmpty { text += " \(doc)" }
        return text
    }

    /// One column per line of descent, as `git log --graph` draws it: `*` marks a revision, `|` a
    /// line passing by, `\\` a merge point's further parent, `/` a line joining the one to its left
    /// (`_` carries it across lines in between). Lines that wait for the same revision join before
    /// its row, so every edge ends at the revision's real parent. Each row is as wide as the lines
    /// open at that point, and every line ends at the revision it waits for.
    /// The widest drawing, in columns.
    public static let maxColumns = 40

    public func ascii() -> String {
        var lanes: [Int] = []  // the revision each lane is waiting for
        var out = ""
        // Part of a graph (`graph --from/--to`): edges to revisions outside it are not drawn.
        let drawn = Set(order)
        /// One row of `width` columns: `left` before column `split`, `right` from it, and `mark`
        /// at `special`. Wider than `maxColumns`, the columns beyond are folded into one (`*`,
        /// `/`, `\\` or `:`, the revision's own mark kept visible): each row costs at most
        /// `maxColumns`, however many lines are open, so the drawing is linear in the graph.
        func row(width: Int, split: Int? = nil, left: Character = "|", right: Character = "/",
                 special: Int? = nil, mark: Character = "*", bridge: ClosedRange<Int>? = nil) -> String {
            let split = split ?? width
            func at(_ k: Int) -> Character { k == special ? mark : k < split ? left : right }
            let shown = min(width, Self.maxColumns - 1)
            var s = ""
            func gap(_ k: Int) -> Character { bridge.map { $0.contains(k) && k > $0.lowerBound ? "_" : " " } ?? " " }
            for k in 0..<shown {
                if k > 0 { s.append(gap(k)) }
                s.append(at(k))
            }
            if width > shown {
                var rest = Set<Character>()
                if let special, special >= shown, special < width { rest.insert(mark) }
                let leftEnd = min(split, width)
                if leftEnd > shown, leftEnd - shown > (special.map { $0 >= shown && $0 < leftEnd ? 1 : 0 } ?? 0) { rest.insert(left) }
                let rightStart = max(split, shown)
                if width > rightStart, width - rightStart > (special.map { $0 >= rightStart && $0 < width ? 1 : 0 } ?? 0) { rest.insert(right) }
                s.append(gap(shown))
                s.append(rest.contains("*") ? "*" : rest.contains("/") ? "/" : rest.contains("\\") ? "\\" : ":")
            }
            while s.hasSuffix(" ") { s.removeLast() }
            return s + "\n"
        }
        var endedAt: Int?  // the column a base just closed, with nothing moving into it
        for i in order {
            var cols = lanes.indices.filter { lanes[$0] == i }
            if cols.isEmpty {
                // A new head where a base just ended: break the line, so it does not read as one.
                if endedAt == lanes.count { out += row(width: lanes.count) }
                lanes.append(i)
                cols = [lanes.count - 1]
            }
            endedAt = nil
            let c = cols[0]
            // Lines that also wait for this revision join it first, the rightmost first.
            for k in cols.dropFirst().reversed() {
                // Lane k joins c; the lanes right of it move one column left.
                out += row(width: lanes.count, split: k, bridge: k > c + 1 ? c...k : nil)
                lanes.remove(at: k)
            }
            out += row(width: lanes.count, special: c).dropLast() + " " + label(i) + "\n"
            let parents = graph.normalizedDown(i).filter(drawn.contains)
            if parents.isEmpty {
                lanes.remove(at: c)
                // Lines to the right move one column left (drawn from where they were).
                if c < lanes.count {
                    out += row(width: lanes.count + 1, split: c + 1, special: c, mark: " ")
                } else {
                    endedAt = c
                }
            } else {
                lanes[c] = parents[0]
                for (n, p) in parents.dropFirst().enumerated() {
                    lanes.insert(p, at: c + 1 + n)
                    out += row(width: lanes.count, special: c + 1 + n, mark: "\\")
                }
            }
        }
        return out
    }

    static func quote(_ s: String) -> String {
        "\"" + s.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"") + "\""
    }

    public func dot() -> String {
        var out = "digraph revisions {\n  rankdir=BT;\n  node [shape=box, fontname=\"monospace\"];\n"
        for i in order {
            var attrs = "label=\(Self.quote(label(i)))"
            if graph.isRealHead(i) { attrs += ", style=bold" }
            out += "  \(Self.quote(graph.id(i))) [\(attrs)];\n"
        }
        for i in order {
            for p in graph.parents[i] { out += "  \(Self.quote(graph.id(i))) -> \(Self.quote(graph.id(p)));\n" }
            for d in graph.resolvedDependencies[i] {
                out += "  \(Self.quote(graph.id(i))) -> \(Self.quote(graph.id(d))) [style=dashed, label=\"depends_on\"];\n"
            }
        }
        return out + "}\n"
    }

    public func mermaid() -> String {
        var out = "flowchart BT\n"
        var node: [Int: String] = [:]
        for (n, i) in order.enumerated() {
            node[i] = "r\(n)"
            let text = label(i).replacingAll("\"", with: "#quot;")
            out += "  r\(n)[\"\(text)\"]\n"
        }
        for i in order {
            guard let a = node[i] else { continue }
            for p in graph.parents[i] { if let b = node[p] { out += "  \(a) --> \(b)\n" } }
            for d in graph.resolvedDependencies[i] { if let b = node[d] { out += "  \(a) -. depends_on .-> \(b)\n" } }
        }
        return out
    }
}

extension String {
    /// Every occurrence of `target` replaced (no Foundation needed).
    public func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
