/*
 * revgraph reads local repositories only; it never fetches, pushes or connects anywhere. The
 * statically linked libgit2 (Package.swift) still names libssh2 for its ssh:// transport and
 * GSSAPI for HTTP Negotiate authentication, and linking those libraries made every start of
 * revgraph load and relocate libssh2, OpenSSL's libcrypto and five Kerberos libraries (about
 * 1.2 ms and 190 page faults of each command, measured against a C program linked with and
 * without them). These definitions take their place: the one libgit2 calls while initialising
 * (libssh2_init) succeeds and does nothing, every other one fails, as it would on a machine
 * where the connection is refused. Prototypes come from libssh2.h, so a signature that drifted
 * would not compile; GSSAPI's (RFC 2744; Debian ships no gssapi.h without libkrb5-dev) are
 * declared here with the same C types.
 */
#include <stddef.h>
#include <stdint.h>
#include <libssh2.h>
#include "CGitOffline.h"

const char *revgraph_git_offline_marker(void) { return "revgraph: libgit2 without network transports"; }

/* libssh2: the library is "initialised"; no session, channel, agent or known-hosts list exists. */
int libssh2_init(int flags) { (void)flags; return 0; }
void libssh2_exit(void) {}
LIBSSH2_SESSION *libssh2_session_init_ex(LIBSSH2_ALLOC_FUNC((*a)), LIBSSH2_FREE_FUNC((*f)), LIBSSH2_REALLOC_FUNC((*r)), void *abstract) {
    (void)a; (void)f; (void)r; (void)abstract; return NULL;
}
void **libssh2_session_abstract(LIBSSH2_SESSION *s) { (void)s; return NULL; }
int libssh2_session_disconnect_ex(LIBSSH2_SESSION *s, int reason, const char *d, const char *l) {
    (void)s; (void)reason; (void)d; (void)l; return LIBSSH2_ERROR_BAD_USE;
}
int libssh2_session_free(LIBSSH2_SESSION *s) { (void)s; return 0; }
int libssh2_session_handshake(LIBSSH2_SESSION *s, libssh2_socket_t sock) { (void)s; (void)sock; return LIBSSH2_ERROR_BAD_USE; }
const char *libssh2_session_hostkey(LIBSSH2_SESSION *s, size_t *len, int *type) {
    (void)s; if (len) *len = 0; if (type) *type = LIBSSH2_HOSTKEY_TYPE_UNKNOWN; return NULL;
}
int libssh2_session_last_error(LIBSSH2_SESSION *s, char **msg, int *len, int want_buf) {
    static char text[] = "revgraph is built without SSH: it reads local repositories only";
    (void)s; (void)want_buf;
    if (msg) *msg = text;
    if (len) *len = (int)(sizeof text - 1);
    return LIBSSH2_ERROR_BAD_USE;
}
int libssh2_session_method_pref(LIBSSH2_SESSION *s, int t, const char *p) { (void)s; (void)t; (void)p; return LIBSSH2_ERROR_BAD_USE; }
void libssh2_session_set_blocking(LIBSSH2_SESSION *s, int b) { (void)s; (void)b; }
const char *libssh2_hostkey_hash(LIBSSH2_SESSION *s, int t) { (void)s; (void)t; return NULL; }
LIBSSH2_CHANNEL *libssh2_channel_open_ex(LIBSSH2_SESSION *s, const char *type, unsigned int type_len, unsigned int window,
                                         unsigned int packet, const char *msg, unsigned int msg_len) {
    (void)s; (void)type; (void)type_len; (void)window; (void)packet; (void)msg; (void)msg_len; return NULL;
}
int libssh2_channel_close(LIBSSH2_CHANNEL *c) { (void)c; return LIBSSH2_ERROR_BAD_USE; }
int libssh2_channel_free(LIBSSH2_CHANNEL *c) { (void)c; return 0; }
int libssh2_channel_process_startup(LIBSSH2_CHANNEL *c, const char *r, unsigned int rl, const char *m, unsigned int ml) {
    (void)c; (void)r; (void)rl; (void)m; (void)ml; return LIBSSH2_ERROR_BAD_USE;
}
ssize_t libssh2_channel_read_ex(LIBSSH2_CHANNEL *c, int id, char *buf, size_t n) { (void)c; (void)id; (void)buf; (void)n; return LIBSSH2_ERROR_BAD_USE; }
void libssh2_channel_set_blocking(LIBSSH2_CHANNEL *c, int b) { (void)c; (void)b; }
ssize_t libssh2_channel_write_ex(LIBSSH2_CHANNEL *c, int id, const char *buf, size_t n) { (void)c; (void)id; (void)buf; (void)n; return LIBSSH2_ERROR_BAD_USE; }
LIBSSH2_AGENT *libssh2_agent_init(LIBSSH2_SESSION *s) { (void)s; return NULL; }
int libssh2_agent_connect(LIBSSH2_AGENT *a) { (void)a; return LIBSSH2_ERROR_BAD_USE; }
int libssh2_agent_disconnect(LIBSSH2_AGENT *a) { (void)a; return 0; }
void libssh2_agent_free(LIBSSH2_AGENT *a) { (void)a; }
int libssh2_agent_get_identity(LIBSSH2_AGENT *a, struct libssh2_agent_publickey **store, struct libssh2_agent_publickey *prev) {
    (void)a; (void)store; (void)prev; return LIBSSH2_ERROR_BAD_USE;
}
int libssh2_agent_list_identities(LIBSSH2_AGENT *a) { (void)a; return LIBSSH2_ERROR_BAD_USE; }
int libssh2_agent_userauth(LIBSSH2_AGENT *a, const char *u, struct libssh2_agent_publickey *id) { (void)a; (void)u; (void)id; return LIBSSH2_ERROR_BAD_USE; }
LIBSSH2_KNOWNHOSTS *libssh2_knownhost_init(LIBSSH2_SESSION *s) { (void)s; return NULL; }
void libssh2_knownhost_free(LIBSSH2_KNOWNHOSTS *h) { (void)h; }
int libssh2_knownhost_readfile(LIBSSH2_KNOWNHOSTS *h, const char *f, int t) { (void)h; (void)f; (void)t; return LIBSSH2_ERROR_BAD_USE; }
int libssh2_knownhost_checkp(LIBSSH2_KNOWNHOSTS *h, const char *host, int port, const char *key, size_t keylen, int mask,
                             struct libssh2_knownhost **found) {
    (void)h; (void)host; (void)port; (void)key; (void)keylen; (void)mask; if (found) *found = NULL;
    return LIBSSH2_KNOWNHOST_CHECK_FAILURE;
}
int libssh2_userauth_authenticated(LIBSSH2_SESSION *s) { (void)s; return 0; }
char *libssh2_userauth_list(LIBSSH2_SESSION *s, const char *u, unsigned int ul) { (void)s; (void)u; (void)ul; return NULL; }
int libssh2_userauth_password_ex(LIBSSH2_SESSION *s, const char *u, unsigned int ul, const char *p, unsigned int pl,
                                 LIBSSH2_PASSWD_CHANGEREQ_FUNC((*cb))) {
    (void)s; (void)u; (void)ul; (void)p; (void)pl; (void)cb; return LIBSSH2_ERROR_BAD_USE;
}
int libssh2_userauth_keyboard_interactive_ex(LIBSSH2_SESSION *s, const char *u, unsigned int ul, LIBSSH2_USERAUTH_KBDINT_RESPONSE_FUNC((*cb))) {
    (void)s; (void)u; (void)ul; (void)cb; return LIBSSH2_ERROR_BAD_USE;
}
int libssh2_userauth_publickey(LIBSSH2_SESSION *s, const char *u, const unsigned char *k, size_t kl,
                               LIBSSH2_USERAUTH_PUBLICKEY_SIGN_FUNC((*sign)), void **abstract) {
    (void)s; (void)u; (void)k; (void)kl; (void)sign; (void)abstract; return LIBSSH2_ERROR_BAD_USE;
}
int libssh2_userauth_publickey_fromfile_ex(LIBSSH2_SESSION *s, const char *u, unsigned int ul, const char *pub, const char *priv, const char *pass) {
    (void)s; (void)u; (void)ul; (void)pub; (void)priv; (void)pass; return LIBSSH2_ERROR_BAD_USE;
}
int libssh2_userauth_publickey_frommemory(LIBSSH2_SESSION *s, const char *u, size_t ul, const char *pub, size_t publ,
                                          const char *priv, size_t privl, const char *pass) {
    (void)s; (void)u; (void)ul; (void)pub; (void)publ; (void)priv; (void)privl; (void)pass; return LIBSSH2_ERROR_BAD_USE;
}

/* GSSAPI (RFC 2744 C bindings, MIT types: OM_uint32 is uint32_t, the handles are pointers). */
typedef uint32_t OM_uint32;
typedef struct { size_t length; void *elements; } revgraph_gss_buffer_desc;
#define REVGRAPH_GSS_S_FAILURE (13u << 16)
void *GSS_C_NT_HOSTBASED_SERVICE = NULL;
OM_uint32 gss_indicate_mechs(OM_uint32 *minor, void **mechs) { if (minor) *minor = 0; if (mechs) *mechs = NULL; return REVGRAPH_GSS_S_FAILURE; }
OM_uint32 gss_import_name(OM_uint32 *minor, revgraph_gss_buffer_desc *in, void *type, void **out) {
    (void)in; (void)type; if (minor) *minor = 0; if (out) *out = NULL; return REVGRAPH_GSS_S_FAILURE;
}
OM_uint32 gss_init_sec_context(OM_uint32 *minor, void *cred, void **ctx, void *target, void *mech, OM_uint32 flags, OM_uint32 time,
                               void *bindings, revgraph_gss_buffer_desc *in, void **actual, revgraph_gss_buffer_desc *out,
                               OM_uint32 *ret_flags, OM_uint32 *time_rec) {
    (void)cred; (void)ctx; (void)target; (void)mech; (void)flags; (void)time; (void)bindings; (void)in;
    if (minor) *minor = 0;
    if (actual) *actual = NULL;
    if (out) { out->length = 0; out->elements = NULL; }
    if (ret_flags) *ret_flags = 0;
    if (time_rec) *time_rec = 0;
    return REVGRAPH_GSS_S_FAILURE;
}
OM_uint32 gss_delete_sec_context(OM_uint32 *minor, void **ctx, revgraph_gss_buffer_desc *out) {
    if (minor) *minor = 0; if (ctx) *ctx = NULL; if (out) { out->length = 0; out->elements = NULL; } return 0;
}
OM_uint32 gss_display_status(OM_uint32 *minor, OM_uint32 value, int type, void *mech, OM_uint32 *context, revgraph_gss_buffer_desc *text) {
    (void)value; (void)type; (void)mech;
    if (minor) *minor = 0;
    if (context) *context = 0;
    if (text) { text->length = 0; text->elements = NULL; }
    return 0;
}
OM_uint32 gss_release_buffer(OM_uint32 *minor, revgraph_gss_buffer_desc *b) { if (minor) *minor = 0; if (b) { b->length = 0; b->elements = NULL; } return 0; }
OM_uint32 gss_release_name(OM_uint32 *minor, void **name) { if (minor) *minor = 0; if (name) *name = NULL; return 0; }
OM_uint32 gss_release_oid_set(OM_uint32 *minor, void **set) { if (minor) *minor = 0; if (set) *set = NULL; return 0; }
