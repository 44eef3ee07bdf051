import ArgumentParser
import Foundation
import RevgraphCore

enum FileHandleOutput {
    static func stderr(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }
}

/// Writing to stdout and stderr.
enum Output {
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data("revgraph: error: \(text)\n".utf8))
    }

    /// `path:line: severity: message`, then the fix on its own line.
    static func diagnostic(_ p: GraphProblem) -> String {
        var location = p.path ?? "revgraph"
        if let line = p.line { location += ":\(line)" }
        var text = "\(location): \(p.severity.rawValue): \(p.message)\n"
        if let fix = p.fix { text += "  fix: \(fix)\n" }
        return text
    }

    /// Read commands print problems as warnings on stderr; stdout stays parseable.
    static func warn(_ problems: [GraphProblem]) {
        guard !problems.isEmpty else { return }
        let text = problems.map { p -> String in
            var q = p
            q.severity = .warning
            return diagnostic(q)
        }.joined()
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func json<T: Encodable>(_ value: T) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        write(String(decoding: data, as: UTF8.self) + "\n")
    }

    /// Prints a resolution error with its advice and exits 64.
    static func fail(_ error: RevisionGraphError) -> ExitCode {
        var text = error.description
        if let advice = error.advice { text += "; \(advice)" }
        if case .cycle = error {
            Output.error(text)
            return Exit.problems
        }
        Output.error(text)
        return Exit.usage
    }
}
