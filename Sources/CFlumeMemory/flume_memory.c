// Everything is inline in include/flume_memory.h; a C target needs one source file.
#include "flume_memory.h"
