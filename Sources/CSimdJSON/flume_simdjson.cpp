#include "flume_simdjson.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <simdjson.h>

#include "flume_frame.h"

namespace {

// One message's fields; false when it is not an SSB message (no key or author).
bool extract(simdjson::ondemand::parser &parser, const uint8_t *json, size_t length, size_t capacity, uint64_t &sum) {
    using namespace simdjson;
    ondemand::document doc;
    if (parser.iterate(padded_string_view(reinterpret_cast<const char *>(json), length, capacity)).get(doc)) return false;
    ondemand::object message;
    if (doc.get_object().get(message)) return false;
    std::string_view key;
    if (message["key"].get_string().get(key)) return false;
    ondemand::object value;
    if (message["value"].get_object().get(value)) return false;
    std::string_view author;
    if (value["author"].get_string().get(author)) return false;
    int64_t sequence = 0;
    double timestamp = 0;
    (void)value["sequence"].get_int64().get(sequence);
    (void)value["timestamp"].get_double().get(timestamp);
    std::string_view type;
    ondemand::object content;
    if (!value["content"].get_object().get(content)) (void)content["type"].get_string().get(type);
    sum += key.size() + author.size() + type.size() + (uint64_t)sequence + (uint64_t)timestamp;
    return true;
}

}  // namespace

extern "C" flume_simdjson_result flume_simdjson_extract_offset(const char *path, int width, int64_t end) {
    flume_simdjson_result result = {0, 0, 0, -1};
    int64_t error;
    const uint8_t *base = flume_map_log(path, end, &error);
    if (base == NULL) { result.error_offset = error == 0 ? -1 : error; return result; }
    simdjson::ondemand::parser parser;
    // On-Demand reads up to SIMDJSON_PADDING bytes past a document: the frames after it are
    // that padding, except near the end of the file, where the record is copied out.
    simdjson::padded_string tail;
    int64_t offset = 0;
    while (offset < end) {
        int64_t length;
        int64_t next = flume_frame_next(base, offset, end, width, &length);
        if (next < 0) { result.error_offset = offset; break; }
        const uint8_t *payload = base + offset + 4;
        result.records += 1;
        if (length > 0 && payload[0] == '{') {
            size_t available = (size_t)(end - (offset + 4));
            bool found;
            if (available >= (size_t)length + simdjson::SIMDJSON_PADDING) {
                found = extract(parser, payload, (size_t)length, available, result.field_sum);
            } else {
                tail = simdjson::padded_string(reinterpret_cast<const char *>(payload), (size_t)length);
                found = extract(parser, reinterpret_cast<const uint8_t *>(tail.data()), tail.size(),
                                tail.size() + simdjson::SIMDJSON_PADDING, result.field_sum);
            }
            if (found) result.messages += 1;
        }
        offset = next;
    }
    munmap((void *)base, (size_t)end);
    return result;
}

// SIMDJSON_VERSION is bare (3.0.1): stringified after expansion, hence two steps.
#define FLUME_STRING(x) #x
#define FLUME_EXPANDED_STRING(x) FLUME_STRING(x)

extern "C" const char *flume_simdjson_version(void) {
    return FLUME_EXPANDED_STRING(SIMDJSON_VERSION);
}
