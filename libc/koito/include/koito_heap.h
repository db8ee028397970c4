/*
 * Where malloc's memory comes from (newlib's malloc grows the heap through sbrk, which is
 * libc/koito/src/heap.c). A program picks one, in koito_setup() or before its first malloc:
 *   - nothing: sbrk answers ENOMEM, malloc returns NULL (stdio then works unbuffered);
 *   - a static heap: an array of the program's own (koito_heap_static);
 *   - the Buddy server: 4 KiB Frames mapped one after the other from `base`, and given back
 *     to the server when the heap shrinks (newlib trims it when more than 128 KiB at the top
 *     are free, and on malloc_trim()).
 */
#pragma once

#include <koito_ulmm.h>
#include <stddef.h>

struct koito_heap_buddy {
    struct koito_ulmm pages;  /* the Buddy server (frames) */
    struct koito_ulmm tables; /* a ULMM server with a page_table cache (TABLE_MAP) */
    a9n_word address_space;   /* descriptor of the program's own Address Space */
    a9n_word first_slot;      /* root slots [first_slot, +max_pages) receive the Frames */
    a9n_word *handles;        /* max_pages words: the Buddy's handle of each heap page */
    unsigned max_pages;       /* the heap's limit, in pages */
    a9n_word base;            /* the heap's first address: page aligned, nothing mapped */
};

/* Heap = [area, area + size). */
void koito_heap_static(void *area, size_t size);
/* Heap = pages from the Buddy server (the struct is copied; `handles` must stay). */
void koito_heap_buddy(const struct koito_heap_buddy *config);

/* What the heap holds now: bytes the program's sbrk has, pages mapped from the Buddy. */
size_t koito_heap_size(void);
unsigned koito_heap_pages(void);
