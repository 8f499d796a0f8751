// jemalloc as packaged by Debian (libjemalloc-dev): no symbol prefix, so linking it makes it
// the process allocator, and `mallctl` reads its statistics.
#include <jemalloc/jemalloc.h>
