/*
 * capgen's whole front end and every emitter over arbitrary bytes taken as a YAML file:
 * no input may crash it, leak, or end without a verdict (errors counted, or a plan).
 */
#include "capgen.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *sink;
    if (!sink)
        sink = fopen("/dev/null", "w");
    if (!sink)
        abort();
    struct arena arena = {0};
    struct diag diag = {.file = "fuzz.yaml", .out = sink};
    struct system sys;
    bool ok = capgen_load(&arena, &diag, (const char *)data, size, NULL, &sys);
    if (ok != (diag.errors == 0))
        abort(); /* a failure always says why, and an error always fails */
    if (ok) {
        if (sys.plan_bytes > sys.memory)
            abort();
        emit_spec(sink, &sys);
        for (size_t i = 0; i < sys.processes.count; i++) {
            emit_caps_header(sink, &sys, sys.processes.items[i], false);
            emit_caps_header(sink, &sys, sys.processes.items[i], true);
        }
        emit_report(sink, &sys);
        tree_text(sink, &sys);
        tree_dot(sink, &sys);
        tree_json(sink, &sys);
    }
    arena_free(&arena);
    return 0;
}
