#!/usr/bin/env bash
# check-user-layout.sh SOURCE_DIR LISTING [BUILD_DIR]
# Fails when a user target compiles a file of kernel/, includes a folder of kernel/, or (with
# BUILD_DIR, from Ninja's dependency record) read a header of kernel/, other than the ABI
# headers kernel/include/a9n. LISTING: build/layout/user-targets.txt (cmake/KoitoUserLayout.
# cmake): "target NAME OBJECT_DIR", then "source PATH" and "include PATH" lines. Paths are
# resolved (symbolic links, ..) before they are judged; relative ones are taken from
# SOURCE_DIR.
set -euo pipefail
src=$(realpath "$1")
listing=$2
build=${3:-}
kernel=$src/kernel
abi=$src/kernel/include/a9n

bad=0
targets=0
declare -A object_dirs=()

# kernel/ but not kernel/include/a9n (nor a file in it)?
forbidden() {
    case $1 in
    "$abi" | "$abi"/*) return 1 ;;
    "$kernel" | "$kernel"/*) return 0 ;;
    esac
    return 1
}

resolve() {
    local p=$1
    [[ $p == /* ]] || p=$src/$p
    realpath -m "$p"
}

while read -r kind path extra; do
    case $kind in
    target)
        target=$path
        targets=$((targets + 1))
        object_dirs[$target]=$extra
        ;;
    source | include)
        [ -n "$path" ] || continue
        real=$(resolve "$path")
        if forbidden "$real"; then
            verb=compiles
            [ "$kind" = include ] && verb=includes
            echo "user target $target $verb ${real#"$src"/} (only kernel/include/a9n is user space's)"
            bad=$((bad + 1))
        fi
        ;;
    esac
done <"$listing"

[ "$targets" -gt 0 ] || { echo "check-user-layout: no user targets in $listing"; exit 1; }

# What the compiler really read: every header of every user object, from Ninja's record
# ("OBJECT: #deps N, ..." then one indented path a line). awk keeps the user objects' lines as
# "target<TAB>object<TAB>path"; the paths are resolved in one realpath call.
if [ -n "$build" ]; then
    dirs=$(for t in "${!object_dirs[@]}"; do printf '%s\t%s\n' "$t" "${object_dirs[$t]}"; done)
    pairs=$(ninja -C "$build" -t deps | awk -v dirs="$dirs" '
        BEGIN { n = split(dirs, rows, "\n"); for (i = 1; i <= n; i++) { split(rows[i], f, "\t"); if (f[2] != "") dir[f[2]] = f[1] } }
        /^[^ ]/ { obj = $1; sub(/:$/, "", obj); owner = ""
                  for (d in dir) if (index(obj, d "/") == 1) { owner = dir[d]; break }
                  if (owner != "") objects++
                  next }
        owner != "" && NF { print owner "\t" obj "\t" $1 }
        END { print "objects\t" objects + 0 }')
    objects=$(awk -F'\t' '$1 == "objects" { print $2 }' <<<"$pairs")
    # No record means nothing was checked: build first.
    [ "$objects" -gt 0 ] || { echo "check-user-layout: Ninja has no record of user objects in $build (build first)"; exit 1; }
    mapfile -t deps < <(awk -F'\t' '$1 != "objects" { print $3 }' <<<"$pairs" | sort -u)
    mapfile -t reals < <(cd "$build" && realpath -m -- "${deps[@]}")
    declare -A judged=()
    for i in "${!deps[@]}"; do
        forbidden "${reals[$i]}" && judged[${deps[$i]}]=${reals[$i]}
    done
    if [ ${#judged[@]} -gt 0 ]; then
        while IFS=$'\t' read -r owner object dep; do
            [ -n "${judged[$dep]+x}" ] || continue
            echo "user target $owner read ${judged[$dep]#"$src"/} (from $object)"
            bad=$((bad + 1))
        done < <(awk -F'\t' '$1 != "objects"' <<<"$pairs")
    fi
    echo "check-user-layout: $objects user objects, ${#deps[@]} distinct headers checked"
fi

if [ "$bad" -gt 0 ]; then
    echo "check-user-layout: $bad paths of kernel/ in user space"
    exit 1
fi
echo "check-user-layout: $targets user targets, none reaches into kernel/ beyond kernel/include/a9n"
