/*
 * The ULMM server: static SLAB caches (core/slab.h), one per `slabs:` entry of its system
 * file, served over its IPC port (koito_ulmm.h). Alpha hands it each cache's Generic; it
 * splits each into one child Generic per object at startup, then serves forever.
 */
#include "server.h"

#include <caps/ulmm.h>
#include <koito.h>
#include <liba9n.h>

#include "quotas.h"
#include "wiring.h"

/* Each declared cache: its Generic and geometry from capgen, by cache number. */
#define CACHE(key, id)                                                                             \
    [id] = {CAP_slab_##key##_SLOT, CAP_slab_##key##_TYPE, CAP_slab_##key##_SPECIFIC,               \
            CAP_slab_##key##_COUNT}
static const struct {
    a9n_word slot, type, specific, count;
} declared[ULMM_CACHES] = {
#ifdef CAP_slab_process
    CACHE(process, ULMM_CACHE_PROCESS),
#endif
#ifdef CAP_slab_address_space
    CACHE(address_space, ULMM_CACHE_ADDRESS_SPACE),
#endif
#ifdef CAP_slab_page_table
    CACHE(page_table, ULMM_CACHE_PAGE_TABLE),
#endif
#ifdef CAP_slab_frame
    CACHE(frame, ULMM_CACHE_FRAME),
#endif
#ifdef CAP_slab_large_frame
    CACHE(large_frame, ULMM_CACHE_LARGE_FRAME),
#endif
#ifdef CAP_slab_ipc_port
    CACHE(ipc_port, ULMM_CACHE_IPC_PORT),
#endif
#ifdef CAP_slab_notification_port
    CACHE(notification_port, ULMM_CACHE_NOTIFICATION_PORT),
#endif
#ifdef CAP_slab_node
    CACHE(node, ULMM_CACHE_NODE),
#endif
};

ULMM_CHECK_SLOT(CAP_node_SLOT);
ULMM_CHECK_SLOT(CAP_debug_SLOT);
ULMM_CHECK_SLOT(CAP_service_SLOT);
#define CACHE_SLOT_CHECK(key) ULMM_CHECK_SLOT(CAP_slab_##key##_SLOT)
#ifdef CAP_slab_process
CACHE_SLOT_CHECK(process);
#endif
#ifdef CAP_slab_address_space
CACHE_SLOT_CHECK(address_space);
#endif
#ifdef CAP_slab_page_table
CACHE_SLOT_CHECK(page_table);
#endif
#ifdef CAP_slab_frame
CACHE_SLOT_CHECK(frame);
#endif
#ifdef CAP_slab_large_frame
CACHE_SLOT_CHECK(large_frame);
#endif
#ifdef CAP_slab_ipc_port
CACHE_SLOT_CHECK(ipc_port);
#endif
#ifdef CAP_slab_notification_port
CACHE_SLOT_CHECK(notification_port);
#endif
#ifdef CAP_slab_node
CACHE_SLOT_CHECK(node);
#endif

/* The metadata: one 12-byte entry per declared object, sized at build time. */
#ifdef CAP_slab_process
#define COUNT_process CAP_slab_process_COUNT
#else
#define COUNT_process 0
#endif
#ifdef CAP_slab_address_space
#define COUNT_address_space CAP_slab_address_space_COUNT
#else
#define COUNT_address_space 0
#endif
#ifdef CAP_slab_page_table
#define COUNT_page_table CAP_slab_page_table_COUNT
#else
#define COUNT_page_table 0
#endif
#ifdef CAP_slab_frame
#define COUNT_frame CAP_slab_frame_COUNT
#else
#define COUNT_frame 0
#endif
#ifdef CAP_slab_large_frame
#define COUNT_large_frame CAP_slab_large_frame_COUNT
#else
#define COUNT_large_frame 0
#endif
#ifdef CAP_slab_ipc_port
#define COUNT_ipc_port CAP_slab_ipc_port_COUNT
#else
#define COUNT_ipc_port 0
#endif
#ifdef CAP_slab_notification_port
#define COUNT_notification_port CAP_slab_notification_port_COUNT
#else
#define COUNT_notification_port 0
#endif
#ifdef CAP_slab_node
#define COUNT_node CAP_slab_node_COUNT
#else
#define COUNT_node 0
#endif
#define TOTAL_OBJECTS                                                                              \
    (COUNT_process + COUNT_address_space + COUNT_page_table + COUNT_frame + COUNT_large_frame +    \
     COUNT_ipc_port + COUNT_notification_port + COUNT_node)
static struct ulmm_entry entries[TOTAL_OBJECTS > 0 ? TOTAL_OBJECTS : 1];
static struct ulmm_slab caches[ULMM_CACHES];

static void set_quotas(struct ulmm_slab_config *c, unsigned id)
{
    for (unsigned i = 1; i <= ULMM_MAX_CLIENTS; i++)
        c->quota[i] = (uint32_t)ulmm_declared_quota(i, id, c->count);
}

int main(void)
{
    koito_debug_cap = CAP_debug;
    ulmm_space = (struct ulmm_space){CAP_node, CAPS_NODE_RADIX, ULMM_FIRST_SLOT};
    unsigned used = 0;
    for (unsigned id = 0; id < ULMM_CACHES; id++) {
        if (declared[id].count == 0)
            continue;
        a9n_word n = declared[id].count;
        struct ulmm_slab_config c = {
            .type = declared[id].type,
            .specific_bits = declared[id].specific,
            .count = (uint32_t)n,
            .generic = declared[id].slot,
            .generic_base = ulmm_take_slots(n),
            .object_base = ulmm_take_slots(n),
        };
        set_quotas(&c, id);
        if (c.generic_base == 0 || c.object_base == 0) {
            printf("ulmm: cache %u (%llu objects) does not fit the server's Node\n", id,
                   (unsigned long long)n);
            _exit(1);
        }
        enum ulmm_error e = ulmm_slab_init(&caches[id], &c, &entries[used]);
        if (e != ULMM_OK) {
            printf("ulmm: cache %u: cannot split its Generic (error %u)\n", id, e);
            _exit(1);
        }
        used += (unsigned)n;
        printf("ulmm: cache %u: %llu objects of type %llu\n", id, (unsigned long long)n,
               (unsigned long long)declared[id].type);
    }
    static struct ulmm_server server = {.cache = caches, .caches = ULMM_CACHES};
    server.supervisor = ULMM_SUPERVISOR_BADGE;
    ulmm_serve(&server, CAP_service, ULMM_DEATHS_WIRING, "ulmm");
}
