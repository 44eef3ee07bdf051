/// libgit2 1.5 built with mbedTLS (Debian's) parses the whole system CA bundle in
/// `git_libgit2_init`, for HTTPS remotes: about 4 ms of every command that reads a repository,
/// a third of a pre-commit hook's own work. revgraph only reads local repositories and never
/// connects anywhere, so libgit2's call of mbedTLS's loader is wrapped (`--wrap` at link time,
/// libgit2 and mbedTLS being linked statically: Package.swift): it lands here, does nothing, and
/// libgit2 starts with an empty CA chain. Any TLS connection would then fail certificate
/// verification (closed, never open). `GitReadTests` check that the bundle is never opened.
@_cdecl("__wrap_mbedtls_x509_crt_parse_file")
public func revgraphCertificateBundleNotLoaded(_ chain: UnsafeMutableRawPointer?, _ path: UnsafePointer<CChar>?) -> Int32 {
    0
}
