// Reference measurements written in plain C, run in the same process and the same run as the
// Swift readers so that their speed is reported as a ratio to these, not as a raw time.
#ifndef FLUME_REFERENCE_H
#define FLUME_REFERENCE_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    int64_t records;        // frames walked
    int64_t payload_bytes;  // sum of payload lengths
    int64_t error_offset;   // -1, or where a frame failed validation
    uint64_t payload_sum;   // the harness's checksum of every record (PayloadChecksum in Swift)
} flume_reference_walk_result;

// Maps `path` read-only and walks every frame forwards, validating each exactly as FlumeLog
// does (leading length == trailing length, trailer == offset + length + 8 + W) and computing
// the harness's checksum over every payload byte, stopping at `end`. Returns error_offset -2 when the file cannot be
// mapped.
flume_reference_walk_result flume_reference_walk_mmap(const char *path, int trailer_bytes, int64_t end);

// Maps an async-append-only-log read-only and walks every block's records forwards (u16le
// lengths, a zero length ends a block; a record running into the block's last two bytes is an
// error), computing the same checksum over every record (deleted ones too, as the scans yield them).
flume_reference_walk_result flume_reference_walk_aaol_mmap(const char *path, int64_t block_size, int64_t end);

// Maps a go-ssb offset2 directory's `ofst` and `data` read-only and reads entries 0 ..< count
// through the offset table (i64be offsets; i64be size, negative for a nulled entry), computing
// the same checksum over every payload (nulled ones too); error_offset is the failing seq.
flume_reference_walk_result flume_reference_walk_offset2_mmap(const char *directory, int64_t count);
// Reads the whole file with read(2) into one buffer of `buffer_size` bytes, advised sequential
// as the readers advise it, and returns the bytes read (the copy-out bound for any buffered
// reader), or -1 on error.
int64_t flume_reference_read_copy(const char *path, size_t buffer_size);

// Reads the whole file backwards, `window` bytes at a time from its end, into one buffer, while
// a second thread asks the kernel (readahead(2)) for the `distance` bytes below each window,
// `chunk` bytes a request, highest first: the best way found to read a file backwards in C
// (the kernel's own readahead only follows forward reads; a virtual disk, 2026-12: two askers,
// larger requests, more distance, O_DIRECT with four reads in flight and plain reads of 1-8 MiB
// were all slower). The bound for reverse scans; against the forward copy it shows what the
// device gives backwards. Returns the bytes read, or -1 on error.
int64_t flume_reference_read_copy_backward(const char *path, size_t window, size_t distance, size_t chunk);

// Reads every byte of `size` bytes at `base` once (a sum of 64-bit words): memory bandwidth.
uint64_t flume_reference_memory_sum(const void *base, size_t size);

#endif
