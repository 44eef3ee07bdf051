/// Alembic takes its global options before the subcommand (`alembic -c backend/alembic.ini heads`);
/// revgraph's subcommands declare them, so they are moved after the subcommand before parsing.
enum GlobalOptions {
    /// Options that take a value, and flags, accepted before the subcommand.
    static let withValue: Set<String> = ["-c", "--config", "-n", "--name", "--repo", "-x", "--project"]
    static let flags: Set<String> = ["-q", "--quiet", "--raiseerr", "--no-owner-check"]
    /// Subcommands that have subcommands of their own.
    static let groups: Set<String> = ["hooks", "release"]

    /// `arguments` (without the program name) with leading global options moved after the subcommand.
    static func reorder(_ arguments: [String]) -> [String] {
        var globals: [String] = []
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            let name = a.split(separator: "=", maxSplits: 1).first.map(String.init) ?? a
            if withValue.contains(name) {
                globals.append(a)
                if !a.contains("="), i + 1 < arguments.count {
                    globals.append(arguments[i + 1])
                    i += 1
                }
            } else if flags.contains(a) {
                globals.append(a)
            } else {
                break
            }
            i += 1
        }
        guard !globals.isEmpty, i < arguments.count else { return arguments }
        var path = [arguments[i]]
        i += 1
        if groups.contains(path[0]), i < arguments.count, !arguments[i].hasPrefix("-") {
            path.append(arguments[i])
            i += 1
        }
        return path + globals + arguments[i...]
    }
}
