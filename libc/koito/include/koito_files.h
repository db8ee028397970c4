/*
 * The file store behind open/read/lseek/close/fstat for descriptors above 2 (0, 1 and 2 are
 * the console). Each function returns what the system call returns, or a negative errno.
 */
#pragma once

#include <stddef.h>
#include <sys/stat.h>

int koito_files_open(const char *path, int flags, int mode); /* a descriptor >= 3 */
long koito_files_read(int fd, void *buf, size_t len);
long koito_files_lseek(int fd, long offset, int whence);
int koito_files_close(int fd);
int koito_files_fstat(int fd, struct stat *st);
