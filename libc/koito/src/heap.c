/* sbrk: newlib's malloc grows and trims its heap here (koito_heap.h). */
#include <errno.h>
#include <koito_heap.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#define PAGE 4096u

enum heap_kind { HEAP_NONE, HEAP_STATIC, HEAP_BUDDY };

static enum heap_kind kind;
static char *base;      /* the heap: [base, base + used) */
static size_t used;     /* what sbrk has handed out */
static size_t limit;    /* bytes it may hand out */
static size_t dirty;    /* static heap: bytes ever handed out (beyond: still zero) */
static unsigned mapped; /* Buddy heap: pages mapped at base */
static struct koito_heap_buddy buddy;

void koito_heap_static(void *area, size_t size)
{
    kind = HEAP_STATIC;
    base = area;
    limit = size;
    used = dirty = 0;
}

void koito_heap_buddy(const struct koito_heap_buddy *config)
{
    kind = HEAP_BUDDY;
    buddy = *config;
    base = (char *)config->base;
    limit = (size_t)config->max_pages * PAGE;
    used = 0;
    mapped = 0;
}

size_t koito_heap_size(void)
{
    return used;
}

unsigned koito_heap_pages(void)
{
    return mapped;
}

/* Maps pages until `pages` are, or gives them back to the Buddy until only `pages` are. */
static bool buddy_resize(unsigned pages)
{
    while (mapped < pages) {
        a9n_word slot = buddy.first_slot + mapped, handle;
        if (koito_ulmm_frame_alloc(&buddy.pages, 12, slot, &handle) != 0)
            return false;
        if (koito_ulmm_map(&buddy.tables, buddy.address_space, slot,
                           (a9n_word)base + (a9n_word)mapped * PAGE, NULL) != 0) {
            koito_ulmm_frame_free(&buddy.pages, handle);
            return false;
        }
        buddy.handles[mapped++] = handle;
    }
    /* The server revokes a freed Frame, and the kernel unmaps it with its capability. */
    while (mapped > pages)
        koito_ulmm_frame_free(&buddy.pages, buddy.handles[--mapped]);
    return true;
}

void *sbrk(ptrdiff_t increment)
{
    if (kind == HEAP_NONE || (increment > 0 && (size_t)increment > limit - used) ||
        (increment < 0 && (size_t)-increment > used)) {
        errno = ENOMEM;
        return (void *)-1;
    }
    size_t old = used, now = used + (size_t)increment;
    if (kind == HEAP_BUDDY && !buddy_resize((unsigned)((now + PAGE - 1) / PAGE))) {
        /* Keep what was there: a failed grow maps back down to the old size. */
        buddy_resize((unsigned)((old + PAGE - 1) / PAGE));
        errno = ENOMEM;
        return (void *)-1;
    }
    if (kind == HEAP_STATIC && now > old && old < dirty) {
        /* newlib's calloc trusts memory fresh from sbrk to be zero (Buddy pages are: the
         * kernel clears a Frame it makes), so what was handed out and trimmed is cleared. */
        memset(base + old, 0, (now < dirty ? now : dirty) - old);
    }
    used = now;
    if (used > dirty)
        dirty = used;
    return base + old;
}

void *_sbrk(ptrdiff_t increment) __attribute__((alias("sbrk")));
