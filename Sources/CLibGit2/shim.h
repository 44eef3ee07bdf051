#include <git2.h>
#include <git2/sys/repository.h>

/// `git_libgit2_opts` is variadic, so Swift cannot call it directly.
static inline int revgraph_git_set_owner_validation(int enabled) {
    return git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, enabled);
}

/// Lets libgit2 keep trees up to `bytes` in its object cache (the default, 4 KiB, drops a
/// versions directory of a few hundred files and re-inflates it on every path lookup).
static inline int revgraph_git_set_tree_cache_limit(size_t bytes) {
    return git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, bytes);
}

/// Whether libgit2 hashes every object it reads to check it against its id (on by default; git
/// itself does not, and zlib's checksum still catches corrupt data).
static inline int revgraph_git_set_strict_hash_verification(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, enabled);
}
