#!/usr/bin/env bash
# fetch-deb-src.sh --dir DIR PACKAGE...
# Fetches and unpacks Debian source packages (lua5.4, sqlite3) into DIR/<package>/ through a
# private apt configuration under DIR/apt/: its own sources list (a deb-src entry for each
# Debian archive the machine already uses, read from /etc/apt), its own lists, cache and
# state folders. The machine's own apt sources and lists are never touched.
#
# Exit status: 0 when every package is unpacked (DIR/<package>/.unpacked names the version),
# 77 when the archive cannot be reached (the reason on stderr: tests that need the sources
# report themselves skipped), 1 on any other failure.
set -uo pipefail

dir="" pkgs=()
while [ $# -gt 0 ]; do
    case "$1" in
    --dir) dir=$2; shift 2 ;;
    -*) echo "fetch-deb-src: unknown option '$1'" >&2; exit 1 ;;
    *) pkgs+=("$1"); shift ;;
    esac
done
[ -n "$dir" ] && [ ${#pkgs[@]} -gt 0 ] || { echo "usage: fetch-deb-src.sh --dir DIR PACKAGE..." >&2; exit 1; }
for tool in apt-get dpkg-source; do
    command -v "$tool" >/dev/null || { echo "fetch-deb-src: '$tool' is missing (Debian packages apt, dpkg-dev)" >&2; exit 1; }
done
mkdir -p "$dir" && dir=$(cd "$dir" && pwd) || exit 1

# Unpacked already? Then nothing goes to the network (a rebuild must not need it).
todo=()
for p in "${pkgs[@]}"; do
    [ -f "$dir/$p/.unpacked" ] || todo+=("$p")
done
[ ${#todo[@]} -eq 0 ] && exit 0

apt=$dir/apt
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/state" "$apt/etc/preferences.d" \
    "$apt/etc/trusted.gpg.d" "$dir/download"

# The machine's archives: deb822 files (URIs/Suites/Components/Signed-By) or one-line
# sources.list entries. Each becomes a deb-src entry of ours, signed by the same keyring.
sources=$apt/etc/sources.list
: >"$sources"
for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk -v out="$sources" '
        function flush() {
            if (uris != "" && suites != "") {
                n = split(uris, u, " "); m = split(suites, s, " ")
                for (i = 1; i <= n; i++) for (j = 1; j <= m; j++)
                    printf "deb-src %s%s %s %s\n", (key != "" ? "[signed-by=" key "] " : ""), u[i], s[j], comps >> out
            }
            uris = suites = comps = key = ""
        }
        /^[ \t]*$/ { flush(); next }
        /^#/ { next }
        /^URIs:/ { sub(/^URIs:[ \t]*/, ""); uris = $0 }
        /^Suites:/ { sub(/^Suites:[ \t]*/, ""); suites = $0 }
        /^Components:/ { sub(/^Components:[ \t]*/, ""); comps = $0 }
        /^Signed-By:/ { sub(/^Signed-By:[ \t]*/, ""); key = $0 }
        END { flush() }' "$f"
done
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    sed -n 's/^[ \t]*deb[ \t]\+/deb-src /p' "$f" >>"$sources"
done
sort -u -o "$sources" "$sources"
if [ ! -s "$sources" ]; then
    echo "fetch-deb-src: SKIP: no Debian archive in /etc/apt to take a deb-src entry from" >&2
    exit 77
fi

opts=(-o "Dir::Etc::SourceList=$sources" -o "Dir::Etc::SourceParts=$apt/etc/none"
      -o "Dir::Etc::Preferences=$apt/etc/preferences" -o "Dir::Etc::PreferencesParts=$apt/etc/preferences.d"
      -o "Dir::State=$apt/state" -o "Dir::State::Lists=$apt/lists"
      -o "Dir::State::status=$apt/state/status" -o "Dir::Cache=$apt/cache"
      -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root" -o "Acquire::Retries=1"
      -o "Acquire::http::Timeout=30" -o "Acquire::Languages=none")
: >"$apt/state/status"

# Fresh lists at most once a day: an update per build would be slow and needless.
if [ -z "$(find "$apt/lists" -maxdepth 1 -name '*Sources*' -mtime -1 2>/dev/null)" ]; then
    if ! apt-get "${opts[@]}" -qq update >"$apt/update.log" 2>&1 ||
        grep -q '^\(W\|E\): Failed to fetch' "$apt/update.log"; then
        echo "fetch-deb-src: SKIP: the Debian archive cannot be reached (apt-get update: $(grep -m1 -o '\(Could not\|Failed\|Temporary\).*' "$apt/update.log"))" >&2
        exit 77
    fi
fi

for p in "${todo[@]}"; do
    rm -rf "${dir:?}/download/$p" "${dir:?}/$p"
    mkdir -p "$dir/download/$p"
    # --download-only: fetch and check the .dsc and its files; unpacking is ours (below).
    if ! (cd "$dir/download/$p" && apt-get "${opts[@]}" -qq source --download-only "$p") >"$dir/download/$p.log" 2>&1; then
        if grep -q 'Failed to fetch\|Could not\|Temporary failure' "$dir/download/$p.log"; then
            echo "fetch-deb-src: SKIP: the Debian archive cannot be reached for $p: $(grep -m1 -o '\(Failed\|Could not\|Temporary\).*' "$dir/download/$p.log")" >&2
            exit 77
        fi
        echo "fetch-deb-src: apt-get source $p failed:" >&2
        cat "$dir/download/$p.log" >&2
        exit 1
    fi
    dsc=$(ls "$dir/download/$p"/*.dsc 2>/dev/null | head -n1)
    [ -n "$dsc" ] || { echo "fetch-deb-src: no .dsc for $p" >&2; exit 1; }
    # The signature was checked by apt through the signed Sources index; dpkg-source checks
    # the checksums of every file against the .dsc.
    if ! dpkg-source --no-check --no-copy -x "$dsc" "$dir/$p" >"$dir/download/$p.unpack.log" 2>&1; then
        echo "fetch-deb-src: dpkg-source -x $dsc failed:" >&2
        cat "$dir/download/$p.unpack.log" >&2
        exit 1
    fi
    sed -n 's/^Version: //p' "$dsc" >"$dir/$p/.unpacked"
    echo "fetch-deb-src: $p $(cat "$dir/$p/.unpacked") unpacked in $dir/$p" >&2
done
