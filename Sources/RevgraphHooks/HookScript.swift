/// The POSIX sh scripts git runs, identical to the files in the repository's `hooks/` folder.
/// Each finds revgraph (`$REVGRAPH`, then PATH), runs a chained user hook first when one was
/// kept at install time, and hands over to `revgraph hook <name>` with git's arguments and stdin.
public enum HookScript {
    /// Marks files written by revgraph, so that install, uninstall and status recognise them.
    public static let marker = "# revgraph-hook v2"
    /// Markers of every version revgraph has written.
    public static let markers = ["# revgraph-hook v2", "# revgraph-hook v1"]

    /// The exact scripts earlier versions wrote: replaced by `install` without `--force`.
    public static func previousTexts(_ hook: HookName) -> [String] { [text(hook, version: 1)] }
    /// Suffix of a user's hook kept and chained at install.
    public static let chainedSuffix = ".revgraph-chained"

    /// The script of `version` (2, the current one, unless an earlier one is asked for).
    public static func text(_ hook: HookName, version: Int = 2) -> String {
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
        return """
            #!/bin/sh
            \(version == 1 ? "# revgraph-hook v1" : marker)
            # git \(name) hook: hands over to 'revgraph hook \(name)' with git's arguments and stdin.
            # Installed by 'revgraph hooks install'; 'revgraph hooks uninstall' restores what was here.
            hook=\(name)
            dir=$(dirname "$0")
            rg=${REVGRAPH:-$(command -v revgraph 2>/dev/null)}
            if [ -z "$rg" ] || [ ! -x "$rg" ]; then
              policy=${REVGRAPH_ON_MISSING:-$(git config --get revgraph.onMissing 2>/dev/null)}
              root=$(git rev-parse --show-toplevel 2>/dev/null)
            \(policyLookup)
              echo "revgraph: the $hook hook needs revgraph, which was not found (set REVGRAPH=/path/to/revgraph or put it on PATH)." >&2
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
