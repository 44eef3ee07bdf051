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

    /// One column per line of descent; `*` marks a revision, `|` a line passing by,
    /// `\` a merge point's extra parent, `/` two lines joining at a branch point.
    public func ascii() -> String {
        var lanes: [Int] = []  // the revision each lane is waiting for
        var out = ""
        func row(_ marks: [String]) -> String {
            var s = marks.joined(separator: " ")
            while s.hasSuffix(" ") { s.removeLast() }
            return s
        }
        for i in order {
            var col = lanes.firstIndex(of: i)
            if col == nil {
                lanes.append(i)
                col = lanes.count - 1
            }
            let c = col!
            out += row(lanes.indices.map { $0 == c ? "*" : "|" }) + " " + label(i) + "\n"
            // Lanes that were also waiting for this revision join it.
            let joining = lanes.indices.filter { $0 != c && lanes[$0] == i }
            if !joining.isEmpty {
                out += row(lanes.indices.map { joining.contains($0) ? "/" : "|" }) + "\n"
                for j in joining.reversed() { lanes.remove(at: j) }
            }
            let parents = graph.normalizedDown(i)
            if parents.isEmpty {
                lanes.remove(at: c)
                if !lanes.isEmpty && c < lanes.count {
                    out += row(lanes.indices.map { $0 >= c ? "/" : "|" }) + "\n"
                }
            } else {
                lanes[c] = parents[0]
                for p in parents.dropFirst() {
                    lanes.insert(p, at: c + 1)
                    out += row(lanes.indices.map { $0 == c + 1 ? "\\" : "|" }) + "\n"
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
