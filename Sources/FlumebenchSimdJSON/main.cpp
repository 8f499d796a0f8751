// flumebench-simdjson: the simdjson field-extraction reference in a process of its own.
//
// libsimdjson is a shared library only (Debian ships no static archive), and linking it would
// keep flumebench from being one static executable: loading libstdc++, libsimdjson and their
// relocations cost 1.5 ms of every 4.6 ms `verify` start. So the harness runs this helper, which
// times the extraction itself; its own start is not in the figure.
//
//   flumebench-simdjson extract-offset LOG TRAILER_BYTES END
//     prints "records messages field_sum error_offset nanoseconds" on one line
//   flumebench-simdjson --version
//     prints the simdjson version compiled in
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "flume_simdjson.h"

namespace {

int usage() {
    fprintf(stderr,
            "usage: flumebench-simdjson extract-offset LOG TRAILER_BYTES END\n"
            "       flumebench-simdjson --version\n"
            "The simdjson reference flumebench's benchmarks measure view rebuilds against: extracts key,\n"
            "value.author, value.sequence, value.timestamp and value.content.type from every record of an\n"
            "offset log up to END, and prints \"records messages field_sum error_offset nanoseconds\".\n");
    return 64;
}

// A whole decimal argument, or false.
bool parse(const char *text, long long &value) {
    if (*text == '\0') return false;
    char *end = nullptr;
    errno = 0;
    value = strtoll(text, &end, 10);
    return errno == 0 && *end == '\0';
}

uint64_t now() {
    timespec time;
    clock_gettime(CLOCK_MONOTONIC, &time);
    return (uint64_t)time.tv_sec * 1000000000u + (uint64_t)time.tv_nsec;
}

}  // namespace

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "--version") == 0) {
        printf("%s\n", flume_simdjson_version());
        return 0;
    }
    long long trailer = 0, end = 0;
    if (argc != 5 || strcmp(argv[1], "extract-offset") != 0 || !parse(argv[3], trailer) || !parse(argv[4], end)
        || (trailer != 4 && trailer != 6 && trailer != 8) || end < 0) {
        return usage();
    }
    uint64_t start = now();
    flume_simdjson_result result = flume_simdjson_extract_offset(argv[2], (int)trailer, end);
    uint64_t elapsed = now() - start;
    printf("%lld %lld %llu %lld %llu\n", (long long)result.records, (long long)result.messages,
           (unsigned long long)result.field_sum, (long long)result.error_offset, (unsigned long long)elapsed);
    return 0;
}
