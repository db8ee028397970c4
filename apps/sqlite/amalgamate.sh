#!/usr/bin/env bash
# amalgamate.sh SOURCE OUT: makes SQLite's amalgamation (sqlite3.c, sqlite3.h, shell.c) from
# Debian's sqlite3 source tree with its own configure and makefile, in OUT (host tools: cc,
# tclsh). The logs stay in OUT; the last lines are shown when a step fails.
set -uo pipefail
src=$1 out=$2
mkdir -p "$out" && cd "$out" || exit 1
"$src/configure" --disable-tcl --disable-readline --disable-editline >configure.log 2>&1 ||
    { tail -n 30 configure.log; exit 1; }
make sqlite3.c shell.c sqlite3.h >make.log 2>&1 || { tail -n 30 make.log; exit 1; }
