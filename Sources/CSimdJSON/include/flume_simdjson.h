// The field-extraction reference for view rebuilds: simdjson's On-Demand API pulling the
// fields the views read out of every SSB message of a log, in plain C++ over a mapping of the
// file, in the same run as the views. A view's rebuild rate is reported as a ratio to it.
#ifndef FLUME_SIMDJSON_H
#define FLUME_SIMDJSON_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    int64_t records;      // frames walked
    int64_t messages;     // records whose key and value.author were found
    uint64_t field_sum;   // sequences, timestamps and the fields' lengths, so nothing is skipped
    int64_t error_offset; // -1; -2 when the file cannot be mapped; else a frame that failed
} flume_simdjson_result;

// Maps an offset log (`trailer_bytes` 4, 6 or 8) and, for every frame up to `end`, extracts
// `key`, `value.author`, `value.sequence`, `value.timestamp` and `value.content.type` (absent
// for private messages, whose content is a string) with simdjson On-Demand. Deleted records
// (zero bytes) and text that is not a JSON object are counted as records, not messages.
flume_simdjson_result flume_simdjson_extract_offset(const char *path, int trailer_bytes, int64_t end);

// The simdjson version compiled in ("3.0.1"), for the report.
const char *flume_simdjson_version(void);

#ifdef __cplusplus
}
#endif

#endif
