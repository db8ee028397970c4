/*
 * The read-only file store: `files:` of a process names files of the host (paths relative
 * to the system file) that the build packs into the process's image, where koito-libc's
 * open/read find them by name (libc/koito/src/files.c). capgen checks each file here (a
 * regular file that can be read, not too big), so a missing one is a file:line:col error
 * and not a failed assembler step, and writes files/<image>.asm: the table and an incbin
 * per file, with each file's size and hash in a comment so that a changed file changes
 * the generated source (and the image is rebuilt).
 */
#include "capgen.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A packed name: a relative path of letters, digits, '_', '-', '.' and '/', no empty or
 * ".." component. */
static bool packed_name_ok(const char *s, size_t n)
{
    if (n == 0 || n > CAPGEN_MAX_FILE_NAME || s[0] == '/' || s[n - 1] == '/')
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     c == '_' || c == '-' || c == '.' || c == '/';
        if (!plain || (c == '/' && s[i + 1] == '/'))
            return false;
        bool start = i == 0 || s[i - 1] == '/';
        if (start && c == '.' && s[i + 1] == '.' && (i + 2 == n || s[i + 2] == '/'))
            return false;
    }
    return true;
}

/* Host paths go into an assembler string and a line of `capgen outputs`. */
static bool host_path_ok(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == '"' || *s == 0x7f)
            return false;
    return true;
}

/* FNV-1a over the file, read in chunks. Reads through a descriptor opened O_NONBLOCK after
 * checking that the path is a regular file, so that a FIFO or a device never blocks. */
static bool measure(struct arena *a, struct packed_file *f, int *err)
{
    int fd = open(f->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        *err = errno;
        return false;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        *err = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
        close(fd);
        return false;
    }
    if ((uint64_t)st.st_size > CAPGEN_MAX_PACKED_BYTES) {
        *err = EFBIG;
        close(fd);
        return false;
    }
    uint64_t h = 0xcbf29ce484222325ull, size = 0;
    unsigned char buf[65536];
    ssize_t n;
    /* The bound holds for files whose size stat does not tell (/proc). */
    while (size <= CAPGEN_MAX_PACKED_BYTES && (n = read(fd, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++)
            h = (h ^ buf[i]) * 0x100000001b3ull;
        size += (uint64_t)n;
    }
    *err = n < 0 ? errno : size > CAPGEN_MAX_PACKED_BYTES ? EFBIG : 0;
    close(fd);
    f->size = size;
    f->hash = h;
    (void)a;
    return *err == 0;
}

/* The directory of the system file, with its trailing '/' ("" for the current one). */
static const char *base_dir(struct arena *a, const char *system_file)
{
    const char *slash = system_file ? strrchr(system_file, '/') : NULL;
    if (!slash)
        return "";
    return arena_printf(a, "%.*s/", (int)(slash - system_file), system_file);
}

bool files_parse(struct arena *a, struct diag *d, struct process *p, const struct ynode *n)
{
    const char *what = arena_printf(a, "process '%s': files", p->name);
    if (n->type != Y_MAPPING) {
        diag_error(d, n->pos, "%s must be a mapping of packed names to host paths", what);
        return false;
    }
    if (n->count > CAPGEN_MAX_FILES) {
        diag_error(d, n->pos, "%s: more than %u files", what, CAPGEN_MAX_FILES);
        return false;
    }
    bool ok = true;
    const char *base = base_dir(a, d->file);
    for (size_t i = 0; i < n->count; i++) {
        const struct ynode *k = n->pairs[i].key, *v = n->pairs[i].value;
        if (k->type != Y_SCALAR || !packed_name_ok(k->text, k->length)) {
            diag_error(d, k->pos,
                       "%s: a packed name is 1..%u letters, digits, '_', '-', '.' and '/', a "
                       "relative path without '..'",
                       what, CAPGEN_MAX_FILE_NAME);
            ok = false;
            continue;
        }
        if (v->type != Y_SCALAR || v->length == 0 || !host_path_ok(v->text)) {
            diag_error(d, v->pos, "%s: '%s' needs a host path (no control characters or '\"')",
                       what, k->text);
            ok = false;
            continue;
        }
        struct packed_file *f = arena_alloc(a, sizeof(*f));
        f->name = k->text;
        f->pos = v->pos;
        f->path = v->text[0] == '/' ? v->text : arena_printf(a, "%s%s", base, v->text);
        int err = 0;
        if (!measure(a, f, &err)) {
            diag_error(d, v->pos, "%s: '%s': cannot pack '%s': %s", what, k->text,
                       escape_text(a, f->path),
                       err == EFBIG    ? "larger than the 32 MiB a packed file may have"
                       : err == EINVAL ? "not a regular file"
                                       : strerror(err ? err : EIO));
            ok = false;
            continue;
        }
        vec_push(a, &p->files, f);
    }
    return ok;
}

bool files_check(struct diag *d, const struct system *sys)
{
    bool ok = true;
    for (size_t i = 0; i < sys->processes.count; i++) {
        const struct process *p = sys->processes.items[i];
        if (p->files.count == 0)
            continue;
        for (size_t j = 0; j < sys->processes.count; j++) {
            const struct process *q = sys->processes.items[j];
            if (q != p && strcmp(q->image, p->image) == 0) {
                diag_error(d, p->files_pos,
                           "process '%s': files are packed into image '%s', which process '%s' "
                           "runs too",
                           p->name, p->image, q->name);
                ok = false;
                break;
            }
        }
    }
    return ok;
}

void files_emit(FILE *out, const struct system *sys, const struct process *p)
{
    fprintf(out,
            "; Generated by capgen from %s: the files packed into image '%s' (process '%s').\n"
            "; Do not edit. koito-libc finds them through koito_file_table (libc/koito/src/"
            "files.c).\n",
            sys->file, p->image, p->name);
    for (size_t i = 0; i < p->files.count; i++) {
        const struct packed_file *f = p->files.items[i];
        fprintf(out, "; %s: %llu bytes, fnv1a64 %016llx\n", f->name, (unsigned long long)f->size,
                (unsigned long long)f->hash);
    }
    fprintf(out,
            "section .rodata align=16\nglobal koito_file_table\nkoito_file_table:\n"
            "    dq %zu\n",
            p->files.count);
    for (size_t i = 0; i < p->files.count; i++) {
        const struct packed_file *f = p->files.items[i];
        fprintf(out, "    dq name%zu, data%zu, %llu\n", i, i, (unsigned long long)f->size);
    }
    for (size_t i = 0; i < p->files.count; i++) {
        const struct packed_file *f = p->files.items[i];
        fprintf(out, "name%zu: db \"%s\", 0\nalign 16, db 0\ndata%zu: incbin \"%s\"\n", i, f->name,
                i, f->path);
    }
}
