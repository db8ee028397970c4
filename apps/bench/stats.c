/* Heapsort and percentiles for benchmark samples. */
#include "stats.h"

static void sift_down(uint64_t *a, unsigned start, unsigned end)
{
    unsigned root = start;
    while (2 * root + 1 < end) {
        unsigned child = 2 * root + 1;
        if (child + 1 < end && a[child] < a[child + 1])
            child++;
        if (a[root] >= a[child])
            return;
        uint64_t t = a[root];
        a[root] = a[child];
        a[child] = t;
        root = child;
    }
}

struct summary stats_summarize(uint64_t *a, unsigned n)
{
    for (unsigned i = n / 2; i-- > 0;)
        sift_down(a, i, n);
    for (unsigned end = n; end-- > 1;) {
        uint64_t t = a[0];
        a[0] = a[end];
        a[end] = t;
        sift_down(a, 0, end);
    }
    return (struct summary){a[n / 2], a[n / 100], a[n - 1 - n / 100]};
}
