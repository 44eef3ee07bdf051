/// The commit a release binary was built from. `scripts/package.sh` writes the id here for its
/// build and puts the file back afterwards; a plain `swift build` says it does not know.
enum BuildCommit {
    static let id: String? = nil
}
