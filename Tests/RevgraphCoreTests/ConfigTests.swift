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
