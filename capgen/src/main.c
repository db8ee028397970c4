/*
 * capgen check   FILE [--images DIR] [--werror]
 * capgen build   FILE -o DIR [--images DIR] [--werror]
 * capgen tree    FILE [--format text|dot|json] [--images DIR] [--werror]
 * capgen report  FILE [--images DIR] [-o FILE] [--root-note FILE.c] [--werror]
 * capgen outputs FILE
 *
 * `report` prints the report (to FILE with -o). The build writes the system's report.txt
 * with it once the images are compiled, so the total counts their frames and page tables
 * exactly as the check that enforces the memory fit does; `build` writes report.txt only
 * when it is given the images too (without them the report would leave them out).
 * `outputs` lists what `build` writes, for the build system to declare (one line each:
 * "image NAME" for every image the file names, "file PATH" for every file under DIR,
 * "input PATH" for every host file packed into an image).
 * `build` writes a file only when its contents change, so a rebuild touches exactly what
 * the change reaches, and removes the files an earlier build wrote that are no longer made
 * (listed in DIR/outputs.txt).
 *
 * Exit status: 0 success, 1 the file has errors (or warnings with --werror), 2 usage or an
 * output that cannot be written.
 */
#include "capgen.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(void)
{
    fputs("usage: capgen check   FILE [--images DIR] [--werror]\n"
          "       capgen build   FILE -o DIR [--images DIR] [--werror]\n"
          "       capgen tree    FILE [--format text|dot|json] [--images DIR] [--werror]\n"
          "       capgen report  FILE [--images DIR] [-o FILE] [--root-note FILE.c] [--werror]\n"
          "       capgen outputs FILE\n",
          stderr);
    exit(2);
}

/* A one-line error about the file as a whole (it cannot be read), never a hang: a FIFO or
 * a device would block or never end, so only regular files are read. */
static void file_error(struct arena *a, const char *path, const char *what)
{
    fprintf(stderr, "%s: error: %s\n", escape_text(a, path), what);
}

/* The whole file, or NULL after a message. One byte more than the limit is read so that
 * the loader can say the file is too large. */
static char *read_file(struct arena *a, const char *path, size_t *size)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        file_error(a, path, arena_printf(a, "cannot read: %s", strerror(errno)));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        file_error(a, path,
                   S_ISDIR(st.st_mode) ? "cannot read: it is a directory"
                                       : "cannot read: not a regular file (a FIFO, socket or "
                                         "device is never a system file)");
        close(fd);
        return NULL;
    }
    char *data = arena_alloc(a, CAPGEN_MAX_FILE_BYTES + 2);
    size_t got = 0;
    while (got < CAPGEN_MAX_FILE_BYTES + 1) {
        ssize_t n = read(fd, data + got, CAPGEN_MAX_FILE_BYTES + 1 - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            file_error(a, path, arena_printf(a, "cannot read: %s", strerror(errno)));
            close(fd);
            return NULL;
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    *size = got;
    return data;
}

static void output_error(struct arena *a, const char *what, int err)
{
    fprintf(stderr, "capgen: error: cannot write %s: %s\n", escape_text(a, what),
            strerror(err ? err : EIO));
    exit(2);
}

/* Where `build` writes: DIR, or nowhere (`outputs` only collects the names). */
struct outputs {
    struct arena *arena;
    const char *dir; /* NULL: list only */
    struct vec names;
    /* the file being written */
    char *buffer;
    size_t length;
};

static void make_dir(struct outputs *o, const char *path)
{
    if (o->dir && mkdir(path, 0777) != 0 && errno != EEXIST)
        output_error(o->arena, path, errno);
}

static FILE *create(struct outputs *o, const char *name)
{
    vec_push(o->arena, &o->names, (void *)name);
    FILE *f = open_memstream(&o->buffer, &o->length);
    if (!f)
        output_error(o->arena, name, errno);
    return f;
}

static bool same_contents(const char *path, const char *data, size_t length)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    bool same = true;
    char chunk[65536];
    size_t at = 0, n;
    while (same && (n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        same = at + n <= length && memcmp(chunk, data + at, n) == 0;
        at += n;
    }
    same = same && !ferror(f) && at == length;
    fclose(f);
    return same;
}

/* The file is written (whole, through a rename) only when its contents change. */
static void finish(struct outputs *o, FILE *f)
{
    const char *name = o->names.items[o->names.count - 1];
    if (ferror(f) || fclose(f) != 0)
        output_error(o->arena, name, errno);
    if (o->dir) {
        /* an empty dir: `name` is the whole path (report -o) */
        const char *path = o->dir[0] ? arena_printf(o->arena, "%s/%s", o->dir, name) : name;
        if (!same_contents(path, o->buffer, o->length)) {
            const char *tmp = arena_printf(o->arena, "%s.tmp", path);
            FILE *w = fopen(tmp, "wb");
            if (!w)
                output_error(o->arena, path, errno);
            if (fwrite(o->buffer, 1, o->length, w) != o->length || fflush(w) != 0 || ferror(w)) {
                int err = errno;
                fclose(w);
                unlink(tmp);
                output_error(o->arena, path, err);
            }
            if (fclose(w) != 0 || rename(tmp, path) != 0) {
                int err = errno;
                unlink(tmp);
                output_error(o->arena, path, err);
            }
        }
    }
    free(o->buffer);
    o->buffer = NULL;
    o->length = 0;
}

/* `report -o PATH`: the file written whole, through a rename, only when it changes. */
static void write_whole(struct outputs *o, FILE *f)
{
    o->dir = "";
    finish(o, f);
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
 * already has this header; check.c refuses a process named like an image others run).
 */
static void emit_image_headers(struct outputs *o, const struct system *sys)
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
        FILE *f = create(o, arena_printf(o->arena, "caps/%s.h", p->image));
        if (same) {
            emit_caps_header(f, sys, p, true);
        } else {
            fprintf(f,
                    "#pragma once\n#error \"image '%s' runs as processes '%s' and '%s' with "
                    "different slots: include caps/<process>.h instead\"\n",
                    p->image, p->name, other->name);
        }
        finish(o, f);
    }
}

/* Files an earlier build listed in outputs.txt that this one no longer makes go away, so
 * the folder holds exactly this system's files. */
static void remove_stale(struct outputs *o)
{
    const char *list = arena_printf(o->arena, "%s/outputs.txt", o->dir);
    FILE *f = fopen(list, "r");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\n")] = 0;
        /* only names this tool writes: relative, no "..", no hidden files */
        if (!line[0] || line[0] == '/' || line[0] == '.' || strstr(line, ".."))
            continue;
        bool kept = strcmp(line, "outputs.txt") == 0; /* rewritten next, if it changed */
        for (size_t i = 0; i < o->names.count && !kept; i++)
            kept = strcmp(o->names.items[i], line) == 0;
        if (!kept)
            unlink(arena_printf(o->arena, "%s/%s", o->dir, line));
    }
    fclose(f);
}

static void build(struct outputs *o, const struct system *sys)
{
    make_dir(o, o->dir);
    make_dir(o, arena_printf(o->arena, "%s/caps", o->dir));
    FILE *f = create(o, "alpha_spec_data.c");
    emit_spec(f, sys);
    finish(o, f);
    for (size_t i = 0; i < sys->processes.count; i++) {
        const struct process *p = sys->processes.items[i];
        f = create(o, arena_printf(o->arena, "caps/%s.h", p->name));
        emit_caps_header(f, sys, p, false);
        finish(o, f);
    }
    emit_image_headers(o, sys);
    for (size_t i = 0; i < sys->processes.count; i++) {
        const struct process *p = sys->processes.items[i];
        if (p->files.count == 0)
            continue;
        if (o->dir)
            make_dir(o, arena_printf(o->arena, "%s/files", o->dir));
        f = create(o, arena_printf(o->arena, "files/%s.asm", p->image));
        files_emit(f, sys, p);
        finish(o, f);
    }
    if (sys->images_counted) {
        f = create(o, "report.txt");
        emit_report(f, sys);
        finish(o, f);
    }
    f = create(o, "tree.txt");
    tree_text(f, sys);
    finish(o, f);
    /* last: the list of what this build wrote (itself included) */
    if (o->dir)
        remove_stale(o);
    size_t count = o->names.count;
    f = create(o, "outputs.txt");
    for (size_t i = 0; i < count; i++)
        fprintf(f, "%s\n", (const char *)o->names.items[i]);
    fprintf(f, "outputs.txt\n");
    finish(o, f);
}

/* The C source of the ELF note (a9n/boot.h) that asks the kernel for the root Node of
 * Alpha's that holds the system, and of Alpha's layout after the kernel's boot capabilities
 * (alpha_spec.h, chapter Alpha): its ASID Pools' slots, the root slots counted exactly
 * (objects and Alpha's working objects, image pages included: so only with --images) and
 * ALPHA_RUNTIME_SLOTS, then its working tables. The kernel adds its own boot capabilities,
 * which only it can count, and makes the smallest Node that holds both. Alpha is linked with
 * it. */
static void emit_root_note(FILE *f, const struct system *sys)
{
    uint64_t working = sys->alpha_slots + ALPHA_RUNTIME_SLOTS;
    uint64_t after = ALPHA_ASID_POOLS + working + sys->alpha_tables;
    fprintf(f,
            "/* Generated by capgen report --root-note: Alpha needs %llu root slots after the "
            "kernel's\n * boot capabilities: %u for its ASID Pools, %llu for the objects and its "
            "working objects,\n * %llu for its working tables (a9n/boot.h, alpha_spec.h). */\n"
            "#include <a9n/boot.h>\n#include <alpha_spec.h>\n\n"
            "__attribute__((section(\".note.a9n\"), used)) static const struct a9n_root_note "
            "root_note = {\n"
            "    4, 8, A9N_NOTE_ROOT_SLOTS, A9N_NOTE_OWNER, %llu};\n"
            "const struct alpha_layout alpha_layout = {%llu, %llu};\n",
            (unsigned long long)after, ALPHA_ASID_POOLS, (unsigned long long)working,
            (unsigned long long)sys->alpha_tables, (unsigned long long)after,
            (unsigned long long)working, (unsigned long long)sys->alpha_tables);
}

/* `capgen outputs`: what `build` would write, for CMake's declared outputs. */
static void list_outputs(struct arena *a, const struct system *sys)
{
    struct outputs o = {.arena = a};
    build(&o, sys);
    for (size_t i = 0; i < sys->processes.count; i++) {
        const struct process *p = sys->processes.items[i];
        bool first = true;
        for (size_t j = 0; j < i && first; j++)
            first = strcmp(((const struct process *)sys->processes.items[j])->image, p->image);
        if (first)
            printf("image %s\n", p->image);
    }
    for (size_t i = 0; i < o.names.count; i++)
        printf("file %s\n", (const char *)o.names.items[i]);
    /* The host files packed into images: the build reruns capgen when one changes. */
    for (size_t i = 0; i < sys->processes.count; i++) {
        const struct process *p = sys->processes.items[i];
        for (size_t j = 0; j < p->files.count; j++)
            printf("input %s\n", ((const struct packed_file *)p->files.items[j])->path);
    }
}

int main(int argc, char **argv)
{
    if (argc < 3)
        usage();
    const char *command = argv[1], *file = argv[2];
    const char *out_dir = NULL, *images = NULL, *format = "text", *root_note = NULL;
    bool werror = false;
    for (int i = 3; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
            out_dir = argv[++i];
        else if (strcmp(argv[i], "--images") == 0 && i + 1 < argc)
            images = argv[++i];
        else if (strcmp(argv[i], "--root-note") == 0 && i + 1 < argc)
            root_note = argv[++i];
        else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
            format = argv[++i];
        else if (strcmp(argv[i], "--werror") == 0)
            werror = true;
        else
            usage();
    }
    bool is_build = strcmp(command, "build") == 0, is_tree = strcmp(command, "tree") == 0;
    bool is_outputs = strcmp(command, "outputs") == 0, is_report = strcmp(command, "report") == 0;
    if (!is_build && !is_tree && !is_outputs && !is_report && strcmp(command, "check") != 0)
        usage();
    if (is_build ? out_dir == NULL : out_dir != NULL && !is_report)
        usage();
    if (strcmp(format, "text") != 0 && strcmp(format, "dot") != 0 && strcmp(format, "json") != 0)
        usage();
    if (root_note != NULL && (!is_report || images == NULL))
        usage(); /* the exact count needs the images */

    struct arena arena = {0};
    struct diag diag = {.file = file, .out = stderr};
    struct system sys;
    size_t size = 0;
    char *data = read_file(&arena, file, &size);
    int status = 1;
    if (data && capgen_load(&arena, &diag, data, size, images, &sys) &&
        !(werror && diag.warnings)) {
        status = 0;
        /* The path appears in generated comments and in the report: never raw. */
        sys.file = escape_c(&arena, file);
        if (is_build) {
            struct outputs o = {.arena = &arena, .dir = out_dir};
            build(&o, &sys);
        } else if (is_outputs) {
            list_outputs(&arena, &sys);
        } else if (is_report && out_dir) {
            struct outputs o = {.arena = &arena};
            FILE *f = create(&o, out_dir);
            emit_report(f, &sys);
            write_whole(&o, f);
        }
        if (is_report && root_note) {
            struct outputs o = {.arena = &arena};
            FILE *f = create(&o, root_note);
            emit_root_note(f, &sys);
            write_whole(&o, f);
        } else if (is_tree && strcmp(format, "dot") == 0) {
            tree_dot(stdout, &sys);
        } else if (is_tree && strcmp(format, "json") == 0) {
            tree_json(stdout, &sys);
        } else if (is_tree) {
            tree_text(stdout, &sys);
        } else if (is_report) {
            emit_report(stdout, &sys);
        }
    }
    /* Every write is checked: output to a full disk or a closed pipe fails loudly. */
    if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0)
        output_error(&arena, "the output", errno);
    arena_free(&arena);
    return status;
}
