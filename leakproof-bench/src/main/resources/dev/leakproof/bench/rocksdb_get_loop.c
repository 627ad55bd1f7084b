/*
 * The C baseline of KvSideBySideBenchmark: n calls of rocksdb_get (+ free of the value) made from C, through
 * function pointers handed in from Java so that nothing is linked. One FFM downcall runs the whole loop, so its
 * cost is amortized away and the per-get time is C's own.
 */
#include <stddef.h>

typedef char *(*get_fn)(void *db, const void *ro, const char *key, size_t keylen, size_t *vallen, char **errptr);
typedef void (*free_fn)(void *p);

long rocksdb_get_loop(void *db, const void *ro, const char *key, size_t keylen, long n, get_fn get, free_fn release) {
    long total = 0;
    for (long i = 0; i < n; i++) {
        size_t len = 0;
        char *err = NULL;
        char *v = get(db, ro, key, keylen, &len, &err);
        if (err != NULL) {
            release(err);
            return -1;
        }
        total += (long) len;
        release(v);
    }
    return total;
}
