/*
 * capgen check FILE [--images DIR] [--werror]
 * capgen build FILE -o DIR [--images DIR] [--werror]
 * capgen tree  FILE [--format text|dot|json] [--images DIR] [--werror]
 *
 * Exit status: 0 success, 1 the file has errors (or warnings with --werror), 2 usage or an
 * output that cannot be written.
 */
#include "capgen.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void usage(void)
{
    fputs("usage: capgen check FILE [--images DIR] [--werror]\n"
          "       capgen build FILE -o DIR [--images DIR] [--werror]\n"
          "       capgen tree  FILE [--format text|dot|json] [--images DIR] [--werror]\n",
          stderr);
    exit(2);
}

/* The whole file, or NULL after a message. One byte more than the limit is read so that
 * the loader can say the file is too large. */
static char *read_file(struct arena *a, const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "%s: error: cannot read: %s\n", path, strerror(errno));
        return NULL;
    }
    char *data = arena_alloc(a, CAPGEN_MAX_FILE_BYTES + 2);
    *size = fread(data, 1, CAPGEN_MAX_FILE_BYTES + 1, f);
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        fprintf(stderr, "%s: error: cannot read: %s\n", path, strerror(errno));
        return NULL;
    }
    return data;
}

static void make_dir(const char *path)
{
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "capgen: cannot create %s: %s\n", path, strerror(errno));
        exit(2);
    }
}

static FILE *create(struct arena *a, const char *dir, const char *name)
{
    const char *path = arena_printf(a, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "capgen: cannot write %s: %s\n", path, strerror(errno));
        exit(2);
    }
    return f;
}

static void finish(FILE *f)
{
    if (ferror(f) || fclose(f) != 0) {
        fprintf(stderr, "capgen: cannot write an output file\n");
        exit(2);
    }
}

/* Whether two processes have the same slot layout (radix, names, slots, sizes). */
static bool same_layout(const struct process *x, const struct process *y)
{
    if (x->radix != y->radix || x->caps.count != y->caps.count)
        return false;
    for (size_t i = 0; i < x->caps.count; i++) {
        const struct cap *a = x->caps.items[i], *b = y->caps.items[i];
        if (strcmp(a->name, b->name) != 0 || a->slot != b->slot || a->count != b->count)
            return false;
    }
    return true;
}

/*
 * caps/<image>.h for every program: code includes the header of its image, so one program
 * can run as several processes. They must then share one slot layout; if they do not, the
 * header is an #error that names them (a process named like its image, run by nobody else,
 * already has this header).
 */
static void emit_image_headers(struct arena *a, const struct system *sys, const char *dir)
{
    for (size_t i = 0; i < sys->processes.count; i++) {
        const struct process *p = sys->processes.items[i];
        bool first = true, alone = true, same = true;
        const struct process *other = NULL;
        for (size_t j = 0; j < sys->processes.count; j++) {
            const struct process *q = sys->processes.items[j];
            if (q == p || strcmp(q->image, p->image) != 0)
                continue;
            if (j < i)
                first = false;
            alone = false;
            if (!same_layout(p, q) && other == NULL) {
                same = false;
                other = q;
            }
        }
        if (!first || (alone && strcmp(p->name, p->image) == 0))
            continue;
        FILE *f = create(a, dir, arena_printf(a, "caps/%s.h", p->image));
        if (same) {
            emit_caps_header(f, sys, p, true);
        } else {
            fprintf(f,
                    "#pragma once\n#error \"image '%s' runs as processes '%s' and '%s' with "
                    "different slots: include caps/<process>.h instead\"\n",
                    p->image, p->name, other->name);
        }
        finish(f);
    }
}

static void build(struct arena *a, const struct system *sys, const char *dir)
{
    make_dir(dir);
    make_dir(arena_printf(a, "%s/caps", dir));
    FILE *f = create(a, dir, "alpha_spec_data.c");
    emit_spec(f, sys);
    finish(f);
    for (size_t i = 0; i < sys->processes.count; i++) {
        const struct process *p = sys->processes.items[i];
        f = create(a, dir, arena_printf(a, "caps/%s.h", p->name));
        emit_caps_header(f, sys, p, false);
        finish(f);
    }
    emit_image_headers(a, sys, dir);
    f = create(a, dir, "report.txt");
    emit_report(f, sys);
    finish(f);
    f = create(a, dir, "tree.txt");
    tree_text(f, sys);
    finish(f);
}

int main(int argc, char **argv)
{
    if (argc < 3)
        usage();
    const char *command = argv[1], *file = argv[2];
    const char *out_dir = NULL, *images = NULL, *format = "text";
    bool werror = false;
    for (int i = 3; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
            out_dir = argv[++i];
        else if (strcmp(argv[i], "--images") == 0 && i + 1 < argc)
            images = argv[++i];
        else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
            format = argv[++i];
        else if (strcmp(argv[i], "--werror") == 0)
            werror = true;
        else
            usage();
    }
    bool is_build = strcmp(command, "build") == 0, is_tree = strcmp(command, "tree") == 0;
    if (!is_build && !is_tree && strcmp(command, "check") != 0)
        usage();
    if (is_build != (out_dir != NULL))
        usage();
    if (strcmp(format, "text") != 0 && strcmp(format, "dot") != 0 && strcmp(format, "json") != 0)
        usage();

    struct arena arena = {0};
    struct diag diag = {.file = file, .out = stderr};
    struct system sys;
    size_t size = 0;
    char *data = read_file(&arena, file, &size);
    int status = 1;
    if (data && capgen_load(&arena, &diag, data, size, images, &sys) &&
        !(werror && diag.warnings)) {
        status = 0;
        if (is_build)
            build(&arena, &sys, out_dir);
        else if (is_tree && strcmp(format, "dot") == 0)
            tree_dot(stdout, &sys);
        else if (is_tree && strcmp(format, "json") == 0)
            tree_json(stdout, &sys);
        else if (is_tree)
            tree_text(stdout, &sys);
    }
    arena_free(&arena);
    return status;
}
