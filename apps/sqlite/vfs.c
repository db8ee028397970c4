/*
 * SQLite's operating-system layer on KOITO (SQLite is built with SQLITE_OS_OTHER, so it asks
 * the program for sqlite3_os_init). KOITO has no writable files, so the one VFS opens none:
 * databases live in memory (":memory:", temporary storage in memory: SQLITE_TEMP_STORE=3).
 * The VFS still gives SQLite the time (gettimeofday: the RTC and the TSC), randomness (a
 * generator seeded from the TSC) and sleep (nothing to wait for: no other process shares a
 * database).
 */
#include <koito.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/time.h>

static int vfs_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags,
                    int *out_flags)
{
    (void)vfs;
    (void)name;
    (void)flags;
    (void)out_flags;
    file->pMethods = NULL; /* SQLite must not close what was never opened */
    return SQLITE_CANTOPEN;
}

static int vfs_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
    (void)vfs;
    (void)name;
    (void)sync_dir;
    return SQLITE_IOERR_DELETE;
}

static int vfs_access(sqlite3_vfs *vfs, const char *name, int flags, int *result)
{
    (void)vfs;
    (void)name;
    (void)flags;
    *result = 0; /* no journal, no WAL file, nothing exists */
    return SQLITE_OK;
}

static int vfs_full_pathname(sqlite3_vfs *vfs, const char *name, int size, char *out)
{
    (void)vfs;
    sqlite3_snprintf(size, out, "%s", name);
    return SQLITE_OK;
}

static int vfs_randomness(sqlite3_vfs *vfs, int size, char *out)
{
    (void)vfs;
    uint64_t x = koito_tsc() | 1;
    for (int i = 0; i < size; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift64 */
        out[i] = (char)x;
    }
    return size;
}

static int vfs_sleep(sqlite3_vfs *vfs, int microseconds)
{
    (void)vfs;
    return microseconds;
}

/* Milliseconds since noon, 24 November 4714 BC (Julian day 0), as SQLite counts time. */
static int vfs_current_time_int64(sqlite3_vfs *vfs, sqlite3_int64 *now)
{
    (void)vfs;
    struct timeval tv;
    if (gettimeofday(&tv, NULL) != 0)
        return SQLITE_ERROR;
    *now = (sqlite3_int64)210866760000000LL + (sqlite3_int64)tv.tv_sec * 1000 + tv.tv_usec / 1000;
    return SQLITE_OK;
}

static int vfs_current_time(sqlite3_vfs *vfs, double *now)
{
    sqlite3_int64 ms;
    int rc = vfs_current_time_int64(vfs, &ms);
    *now = (double)ms / 86400000.0;
    return rc;
}

static int vfs_last_error(sqlite3_vfs *vfs, int size, char *out)
{
    (void)vfs;
    if (size > 0)
        out[0] = 0;
    return 0;
}

static sqlite3_vfs koito_vfs = {
    .iVersion = 2,
    .szOsFile = sizeof(sqlite3_file),
    .mxPathname = 256,
    .zName = "koito",
    .xOpen = vfs_open,
    .xDelete = vfs_delete,
    .xAccess = vfs_access,
    .xFullPathname = vfs_full_pathname,
    .xRandomness = vfs_randomness,
    .xSleep = vfs_sleep,
    .xCurrentTime = vfs_current_time,
    .xGetLastError = vfs_last_error,
    .xCurrentTimeInt64 = vfs_current_time_int64,
};

int sqlite3_os_init(void)
{
    return sqlite3_vfs_register(&koito_vfs, 1);
}

int sqlite3_os_end(void)
{
    return SQLITE_OK;
}
