/// The POSIX sh scripts git runs, identical to the files in the repository's `hooks/` folder.
/// Each finds revgraph (the binary that installed it, then `$REVGRAPH`, then PATH: a revgraph
/// installed in a virtualenv is found from a shell where the venv is not active), runs a chained
/// user hook first when one was kept at install time, and hands over to `revgraph hook <name>`
/// with git's arguments and stdin.
public enum HookScript {
    /// Marks files written by revgraph, so that install, uninstall and status recognise them.
    public static let marker = "# revgraph-hook v3"
    /// Markers of every version revgraph has written.
    public static let markers = ["# revgraph-hook v3", "# revgraph-hook v2", "# revgraph-hook v1"]

    /// The exact scripts earlier versions wrote: replaced by `install` without `--force`.
    public static func previousTexts(_ hook: HookName) -> [String] {
        hook == .preMergeCommit ? [] : [text(hook, version: 1), text(hook, version: 2)]
    }

    /// The line that records the installing binary (`installed=''` in the repository's `hooks/`).
    static func installedLine(_ binary: String) -> String {
        "installed='" + binary.replacing("'", with: "'\\''") + "'"
    }

    /// The binary a script records, or nil when `text` has no such line (scripts before v3).
    public static func recordedBinary(in text: String) -> String? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("installed='") && $0.hasSuffix("'") }) else { return nil }
        return String(line.dropFirst("installed='".count).dropLast()).replacing("'\\''", with: "'")
    }
    /// Suffix of a user's hook kept and chained at install.
    public static let chainedSuffix = ".revgraph-chained"

    /// The script of `version` (3, the current one, unless an earlier one is asked for).
    /// - Parameter binary: the absolute path of the revgraph that installs it (v3; empty in `hooks/`).
    public static func text(_ hook: HookName, version: Int = 3, binary: String = "") -> String {
        let name = hook.rawValue
        let policyLookup = version == 1 ? """
              if [ -z "$policy" ] && [ -n "$root" ] && [ -f "$root/alembic.ini" ]; then
                policy=$(sed -n '/^\\[revgraph\\]/,/^\\[/s/^on_missing *[=:] *//p' "$root/alembic.ini" | head -n 1)
              fi
            """ : """
              # on_missing from [revgraph] or [tool.revgraph] of any tracked config (CRLF, indentation, quotes allowed).
              if [ -z "$policy" ] && [ -n "$root" ]; then
                policy=$(cd "$root" && git ls-files -z -- alembic.ini '*/alembic.ini' pyproject.toml '*/pyproject.toml' revgraph.toml 2>/dev/null \\
                  | xargs -0 cat 2>/dev/null | tr -d '\\r' \\
                  | sed -n '/^[[:space:]]*\\[\\(tool\\.\\)\\{0,1\\}revgraph\\][[:space:]]*$/,/^[[:space:]]*\\[/s/^[[:space:]]*on_missing[[:space:]]*[=:][[:space:]]*["'"'"']\\{0,1\\}\\([a-z]*\\).*/\\1/p' \\
                  | head -n 1)
              fi
            """
        let bypass = hook.bypass
        let canBlock = hook.canBlock
        let find = version < 3 ? """
            rg=${REVGRAPH:-$(command -v revgraph 2>/dev/null)}
            if [ -z "$rg" ] || [ ! -x "$rg" ]; then
            """ : """
            # The revgraph that installed this hook, then $REVGRAPH, then PATH.
            \(installedLine(binary))
            rg=
            for candidate in "$installed" "$REVGRAPH" "$(command -v revgraph 2>/dev/null)"; do
              if [ -n "$candidate" ] && [ -x "$candidate" ] && [ ! -d "$candidate" ]; then rg=$candidate; break; fi
            done
            if [ -z "$rg" ]; then
            """
        let missing = version < 3
            ? "echo \"revgraph: the $hook hook needs revgraph, which was not found (set REVGRAPH=/path/to/revgraph or put it on PATH).\" >&2"
            : "echo \"revgraph: the $hook hook needs revgraph, which was not found: not at '${installed:-(none recorded)}' (where 'revgraph hooks install' ran from), not in REVGRAPH='${REVGRAPH}', not on PATH. Set REVGRAPH=/path/to/revgraph, put it on PATH, or run 'revgraph hooks install' again from the revgraph you use.\" >&2"
        return """
            #!/bin/sh
            \(version == 1 ? "# revgraph-hook v1" : version == 2 ? "# revgraph-hook v2" : marker)
            # git \(name) hook: hands over to 'revgraph hook \(name)' with git's arguments and stdin.
            # Installed by 'revgraph hooks install'; 'revgraph hooks uninstall' restores what was here.
            hook=\(name)
            dir=$(dirname "$0")
            \(find)
              policy=${REVGRAPH_ON_MISSING:-$(git config --get revgraph.onMissing 2>/dev/null)}
              root=$(git rev-parse --show-toplevel 2>/dev/null)
            \(policyLookup)
              \(missing)
              echo "revgraph: to install it: pip install revgraph-<version>-py3-none-manylinux_*.whl, or unpack revgraph-<version>-linux-<arch>.tar.gz and put its bin/ on PATH (releases of revgraph; or build it: swift build -c release)" >&2
              [ "$policy" = pass ] && exit 0
              \(canBlock ? "echo \"revgraph: to go on without it this once: \(bypass)\" >&2\n  exit 1" : "exit 0")
            fi
            chained="$dir/$hook\(chainedSuffix)"
            if [ -x "$chained" ]; then
              if [ "$hook" = pre-push ]; then
                input=$(cat)
                printf '%s\\n' "$input" | "$chained" "$@" || exit $?
                printf '%s\\n' "$input" | exec "$rg" hook "$hook" "$@"
              fi
              "$chained" "$@" || exit $?
            fi
            exec "$rg" hook "$hook" "$@"

            """
    }
}
