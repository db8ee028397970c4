/*
 * Directories for newlib's <dirent.h>, which leaves their types to the system (newlib's own
 * sys/dirent.h for this target is an #error). KOITO has no directories: the read-only file
 * store is a flat table of names, so opendir fails with ENOTDIR for a packed file and ENOENT
 * otherwise (libc/koito/src/dirent.c). Programs that list folders (SQLite's shell, for its
 * fsdir table) compile and get a clean error.
 */
#pragma once

#include <sys/types.h>

typedef struct koito_dir DIR; /* never made: opendir always fails */

struct dirent {
    ino_t d_ino;
    unsigned char d_type;
    char d_name[256];
};
