import Foundation
import RevgraphCore
import RevgraphWorkspace
import Testing

@Suite struct ProjectLoaderTests {
    func tempProject(_ files: [String: String]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rg-\(UUID().uuidString)").path
        for (path, text) in files {
            let full = dir + "/" + path
            try FileManager.default.createDirectory(
                atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
        return dir
    }

    @Test func loadsInAlembicsOrderAndSkipsNonRevisionFiles() throws {
        let dir = try tempProject([
            "alembic.ini": "[alembic]\nscript_location = %(here)s/m\nrecursive_version_locations = true\n",
            "m/versions/b.py": "revision = 'b'\ndown_revision = 'a'\n",
            "m/versions/a.py": "revision = 'a'\ndown_revision = None\n",
            "m/versions/__init__.py": "",
            "m/versions/.#lock.py": "",
            "m/versions/notes.txt": "",
            "m/versions/sub/c.py": "revision = 'c'\ndown_revision = 'b'\n",
            "m/versions/__pycache__/x.py": "revision = 'x'\ndown_revision = None\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let loaded = try ProjectLoader(options: ProjectOptions()).load(from: FileSystemTree(currentDirectory: dir))
        #expect(loaded.graph.revisions.map(\.id) == ["a", "b", "c"])
        #expect(loaded.problems.isEmpty)
        #expect(loaded.graph.revisions[0].path == dir + "/m/versions/a.py")
    }

    @Test func missingConfigAndMissingScriptLocationAreClearErrors() throws {
        let empty = try tempProject(["README": ""])
        defer { try? FileManager.default.removeItem(atPath: empty) }
        #expect(throws: WorkspaceError.self) {
            try ProjectLoader(options: ProjectOptions()).load(from: FileSystemTree(currentDirectory: empty))
        }
        let wrong = try tempProject(["alembic.ini": "[alembic]\nscript_location = nowhere\n"])
        defer { try? FileManager.default.removeItem(atPath: wrong) }
        #expect {
            try ProjectLoader(options: ProjectOptions()).load(from: FileSystemTree(currentDirectory: wrong))
        } throws: { error in
            "\(error)".contains("Path doesn't exist: 'nowhere'")
        }
    }

    @Test func flaskMigrateLayoutWorksAsItIs() throws {
        let dir = try tempProject([
            "migrations/alembic.ini": "[alembic]\n# template used to generate migration files\n\n[loggers]\nkeys = root\n",
            "migrations/env.py": "",
            "migrations/versions/a.py": "revision = 'a'\ndown_revision = None\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let loaded = try ProjectLoader(options: ProjectOptions()).load(from: FileSystemTree(currentDirectory: dir))
        #expect(loaded.graph.revisions.map(\.id) == ["a"])
    }
}
