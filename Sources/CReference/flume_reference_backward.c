// The backward read(2) reference: what a C program that reads a file from its end gets from
// this machine's page cache and disk (see flume_reference.h).
#define _GNU_SOURCE
#include "flume_reference.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

// What the reading thread and the asking thread share: the asker asks for `chunk` bytes at a
// time from `next_top` down to `floor`, which the reader lowers as it goes.
typedef struct {
    int fd;
    int64_t chunk;
    int64_t next_top;
    int64_t floor;
    int stopping;
    pthread_mutex_t lock;
    pthread_cond_t wanted;
} backward_asking;

static void *ask_below(void *argument) {
    backward_asking *asking = argument;
    pthread_mutex_lock(&asking->lock);
    for (;;) {
        while (!asking->stopping && asking->next_top <= asking->floor) pthread_cond_wait(&asking->wanted, &asking->lock);
        if (asking->stopping) break;
        int64_t top = asking->next_top;
        int64_t low = top - asking->chunk < asking->floor ? asking->floor : top - asking->chunk;
        asking->next_top = low;
        pthread_mutex_unlock(&asking->lock);
#if defined(__linux__)
        readahead(asking->fd, low, (size_t)(top - low));
#else
        posix_fadvise(asking->fd, low, top - low, POSIX_FADV_WILLNEED);
#endif
        pthread_mutex_lock(&asking->lock);
    }
    pthread_mutex_unlock(&asking->lock);
    return NULL;
}

int64_t flume_reference_read_copy_backward(const char *path, size_t window, size_t distance, size_t chunk) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    struct stat status;
    void *buffer = NULL;
    if (fstat(fd, &status) != 0 || window == 0 || posix_memalign(&buffer, 4096, window) != 0) {
        close(fd);
        return -1;
    }
    backward_asking asking = {.fd = fd, .chunk = (int64_t)(chunk > 0 ? chunk : window), .next_top = status.st_size,
                              .floor = status.st_size, .stopping = 0};
    pthread_mutex_init(&asking.lock, NULL);
    pthread_cond_init(&asking.wanted, NULL);
    pthread_t asker;
    int asks = distance > 0 && pthread_create(&asker, NULL, ask_below, &asking) == 0;
    int64_t total = 0, end = status.st_size;
    while (end > 0 && total >= 0) {
        int64_t start = end > (int64_t)window ? end - (int64_t)window : 0;
        if (asks) {
            int64_t below = start > (int64_t)distance ? start - (int64_t)distance : 0;
            pthread_mutex_lock(&asking.lock);
            if (below < asking.floor) {
                asking.floor = below;
                pthread_cond_signal(&asking.wanted);
            }
            pthread_mutex_unlock(&asking.lock);
        }
        int64_t at = start;
        while (at < end) {
            ssize_t got = pread(fd, (char *)buffer + (at - start), (size_t)(end - at), at);
            if (got < 0 && errno == EINTR) continue;
            if (got <= 0) {
                total = -1;
                break;
            }
            at += got;
        }
        if (total >= 0) total += end - start;
        end = start;
    }
    if (asks) {
        pthread_mutex_lock(&asking.lock);
        asking.stopping = 1;
        pthread_cond_signal(&asking.wanted);
        pthread_mutex_unlock(&asking.lock);
        pthread_join(asker, NULL);
    }
    pthread_cond_destroy(&asking.wanted);
    pthread_mutex_destroy(&asking.lock);
    free(buffer);
    close(fd);
    return total;
}
