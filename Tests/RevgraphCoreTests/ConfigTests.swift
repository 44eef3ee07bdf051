import Testing
@testable import RevgraphCore

@Suite struct ConfigTests {
    @Test func iniInterpolationContinuationAndComments() throws {
        let ini = """
            [alembic]
            # comment
            script_location = %(here)s/alembic
            version_locations = %(here)s/a
                %(here)s/b
            ; another
            path_separator = newline
            file_template = %%(rev)s_%%(slug)s
            recursive_version_locations = true
            """
        let c = try ProjectConfig.read(ini: (ini, "/p/alembic.ini", "/p"), toml: nil)
        #expect(c.scriptLocation == "/p/alembic")
        #expect(c.versionLocations == ["/p/a", "/p/b"])
        #expect(c.fileTemplate == "%(rev)s_%(slug)s")
        #expect(c.recursiveVersionLocations)
    }

    @Test func booleanIsTrueOnlyWhenExactlyTrue() throws {
        let c = try ProjectConfig.read(
            ini: ("[alembic]\nscript_location = x\nrecursive_version_locations = True\n", "a.ini", "."), toml: nil)
        #expect(!c.recursiveVersionLocations)
        #expect(c.versionLocations == ["x/versions"])
    }

    @Test func pyprojectToolAlembic() throws {
        let toml = """
            [project]
            name = "x"

            [tool.alembic]
            script_location = "%(here)s/alembic"
            version_locations = [
                "%(here)s/alembic/versions",  # main
                "%(here)s/other",
            ]

            [[tool.alembic.post_write_hooks]]
            name = "ruff"

            [tool.revgraph]
            max_heads = 2
            """
        let c = try ProjectConfig.read(ini: nil, toml: (toml, "/r/pyproject.toml", "/r"))
        #expect(c.scriptLocation == "/r/alembic")
        #expect(c.versionLocations == ["/r/alembic/versions", "/r/other"])
        #expect(c.maxHeads == 2)
    }

    @Test func tomlDottedKeysAndInlineTablesAreTables() throws {
        for toml in ["[tool]\nalembic.script_location = \"%(here)s/m\"\nrevgraph.max_heads = 2\n",
                     "tool.alembic = { script_location = \"%(here)s/m\" }\ntool.revgraph = { max_heads = 2 }\n",
                     "[tool.alembic]\nscript_location = \"%(here)s/m\"\n[tool.revgraph]\nmax_heads = 2\n"] {
            let c = try ProjectConfig.read(ini: nil, toml: (toml, "/r/pyproject.toml", "/r"))
            #expect(c.scriptLocation == "/r/m", "\(toml)")
            #expect(c.maxHeads == 2, "\(toml)")
        }
    }

    @Test func projectsTakeConfigWithVersionsAndDottedNames() throws {
        let specs = try #require(try ProjectList.parse("""
            [projects.sqlite]
            config = "db/alembic.ini"
            versions = "db/_migrations/versions/sqlite"
            recursive = true
            name.migration.EXPAND_BRANCH = "expand"
            "name.cli.X" = "x"
            """, path: "revgraph.toml"))
        #expect(specs.count == 1)
        #expect(specs[0].configPaths == ["db/alembic.ini"])
        #expect(specs[0].versionDirectories == ["db/_migrations/versions/sqlite"])
        #expect(specs[0].recursive)
        #expect(specs[0].names == ["migration.expand_branch": "expand", "cli.x": "x"])
        // Neither is a named error, not an empty value.
        #expect(throws: ProjectConfig.ConfigError.missingProjectPaths(path: "revgraph.toml", table: "projects.x")) {
            try ProjectList.parse("[projects.x]\nrecursive = true\n", path: "revgraph.toml")
        }
        #expect(throws: ProjectConfig.ConfigError.self) { try ProjectList.parse("[projects.x]\nconfig = \"a\"\n[projects.x.extra]\ny = 1\n", path: "t") }
    }

    @Test func packageResourceAndMissingKeyAreClearErrors() {
        #expect(throws: ProjectConfig.ConfigError.packageResource(path: "a.ini", value: "myapp:migrations")) {
            try ProjectConfig.read(ini: ("[alembic]\nscript_location = myapp:migrations\n", "a.ini", "."), toml: nil)
        }
        #expect(throws: ProjectConfig.ConfigError.missingScriptLocation(path: "a.ini")) {
            try ProjectConfig.read(ini: ("[alembic]\nsqlalchemy.url = x\n", "a.ini", "."), toml: nil)
        }
        #expect(throws: ProjectConfig.ConfigError.self) {
            try ProjectConfig.read(ini: ("[alembic]\nscript_location = x\nversion_locations = a\npath_separator = bogus\n", "a.ini", "."), toml: nil)
        }
    }

    @Test func flaskMigrateUsesTheIniDirectory() throws {
        let c = try ProjectConfig.read(
            ini: ("[alembic]\n# template used to generate migration files\n", "migrations/alembic.ini", "migrations"),
            toml: nil, flaskMigrateDirectory: "migrations")
        #expect(c.versionLocations == ["migrations/versions"])
    }
}
