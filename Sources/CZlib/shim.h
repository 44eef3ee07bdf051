#include <zlib.h>

/* inflateInit is a macro; Swift cannot call it. */
static inline int revgraph_inflate_init(z_stream *stream) {
    return inflateInit(stream);
}
