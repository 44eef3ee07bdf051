/* Nothing to call: this target only defines, for the statically linked libgit2, the libssh2 and
 * GSSAPI functions its SSH transport and HTTP Negotiate authentication name (stubs.c). */
#ifndef CGITOFFLINE_H
#define CGITOFFLINE_H
/** The text git_libgit2_init's SSH set-up leaves, for a test to check the stubs are linked. */
const char *revgraph_git_offline_marker(void);
#endif
