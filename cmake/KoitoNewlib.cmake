# newlib, the C library under koito-libc, from Debian's newlib-source (its tarball under
# /usr/src/newlib), never committed. The configure step unpacks the tarball into
# build/newlib/src once (again only when the tarball or a patch changes), applies KOITO's
# patches and writes newlib's headers into build/newlib/install/x86_64-elf/include; the build
# compiles libc.a and libm.a from the source list libc/newlib/objects.txt
# (libc/newlib/CMakeLists.txt), in parallel with the rest. newlib's own configure and
# makefiles are not run: they took 3-4 minutes, nearly all of it in the configure scripts.
file(GLOB KOITO_NEWLIB_TARBALL /usr/src/newlib/newlib-*.tar.*)
if(NOT KOITO_NEWLIB_TARBALL)
  message(FATAL_ERROR "newlib's source is missing (/usr/src/newlib/newlib-*.tar.*): install "
                      "Debian's newlib-source (./koito build does it as root)")
endif()
list(GET KOITO_NEWLIB_TARBALL 0 KOITO_NEWLIB_TARBALL)

# Another build folder may use this one's newlib (-DKOITO_NEWLIB_DIR=..., the
# system-switching test's scratch folder does): it then builds none of its own.
set(KOITO_NEWLIB_DIR ${CMAKE_BINARY_DIR}/newlib CACHE PATH "where newlib is built")
set(KOITO_NEWLIB_OWN TRUE)
if(NOT KOITO_NEWLIB_DIR STREQUAL "${CMAKE_BINARY_DIR}/newlib")
  set(KOITO_NEWLIB_OWN FALSE)
endif()
set(KOITO_NEWLIB_INCLUDE ${KOITO_NEWLIB_DIR}/install/x86_64-elf/include)
set(KOITO_NEWLIB_LIBC ${KOITO_NEWLIB_DIR}/install/x86_64-elf/lib/libc.a)
set(KOITO_NEWLIB_LIBM ${KOITO_NEWLIB_DIR}/install/x86_64-elf/lib/libm.a)
# The user programs' code generation (KoitoFreestanding.cmake), without debug information
# (it doubles the build), without warnings (newlib's code is not ours to fix) and without the
# host's /usr/include (-nostdlibinc: clang's own headers and newlib's only).
set(KOITO_NEWLIB_CFLAGS -O2 -ffreestanding -nostdlibinc -mno-red-zone -fno-pic -fno-pie -fno-stack-protector
  -fno-omit-frame-pointer -fno-common -fno-asynchronous-unwind-tables -w)

# KOITO's fixes of newlib bugs (libc/newlib/*.patch), applied after unpacking.
file(GLOB KOITO_NEWLIB_PATCHES ${CMAKE_SOURCE_DIR}/libc/newlib/*.patch)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/libc/newlib
  ${KOITO_NEWLIB_TARBALL} ${KOITO_NEWLIB_PATCHES} ${CMAKE_SOURCE_DIR}/libc/newlib/objects.txt)

# newlib.h as newlib's configure writes it from newlib.hin: each `#undef NAME` becomes a
# definition for the options KOITO builds with (--enable-newlib-io-long-long,
# --enable-newlib-io-c99-formats, no multibyte, no iconv) and what configure finds for an
# x86_64 clang, and a comment for the rest.
function(koito_newlib_config_header hin out)
  file(READ ${hin} text)
  foreach(def _WANT_IO_C99_FORMATS _WANT_IO_LONG_LONG _REENT_CHECK_VERIFY _MB_LEN_MAX
          _ATEXIT_DYNAMIC_ALLOC _HAVE_LONG_DOUBLE _FVWRITE_IN_STREAMIO _FSEEK_OPTIMIZATION
          _WIDE_ORIENT _UNBUF_STREAM_OPT)
    string(REGEX REPLACE "#undef[ \t]+${def}\n" "#define ${def} 1\n" text "${text}")
  endforeach()
  string(REGEX REPLACE "#undef[ \t]+([A-Za-z0-9_]+)" "/* #undef \\1 */" text "${text}")
  get_filename_component(name ${out} NAME)
  file(WRITE ${out} "/* ${name}.  Generated from ${name}in by KOITO's build (cmake/KoitoNewlib.cmake).  */\n${text}")
endfunction()

# Unpacks and patches the tarball into DIR/src and writes the headers programs see into
# DIR/install/x86_64-elf/include (libc/include, x86_64's sys/fenv.h, the two generated
# headers). DIR/unpacked names the tarball and the patches it was made from.
function(koito_newlib_unpack dir)
  set(what "${KOITO_NEWLIB_TARBALL}")
  foreach(p IN LISTS KOITO_NEWLIB_PATCHES)
    file(SHA256 ${p} sum)
    string(APPEND what " ${sum}")
  endforeach()
  if(EXISTS ${dir}/unpacked AND EXISTS ${KOITO_NEWLIB_INCLUDE}/newlib.h)
    file(READ ${dir}/unpacked done)
    if(done STREQUAL what AND NOT ${KOITO_NEWLIB_TARBALL} IS_NEWER_THAN ${dir}/unpacked)
      return()
    endif()
  endif()
  file(REMOVE_RECURSE ${dir}/src ${dir}/install/x86_64-elf/include ${dir}/unpacked)
  file(MAKE_DIRECTORY ${dir}/src)
  # The tarball's top folder has no fixed name (Debian's is newlib-salsa): strip it. Only
  # newlib/ is needed (libgloss, the docs and the top-level scripts are not).
  execute_process(COMMAND tar -xf ${KOITO_NEWLIB_TARBALL} -C ${dir}/src --strip-components=1
                          --wildcards --no-wildcards-match-slash "*/newlib"
                  RESULT_VARIABLE failed ERROR_VARIABLE errors)
  if(failed)
    message(FATAL_ERROR "cannot unpack ${KOITO_NEWLIB_TARBALL}:\n${errors}")
  endif()
  foreach(p IN LISTS KOITO_NEWLIB_PATCHES)
    execute_process(COMMAND patch -d ${dir}/src -p1 --batch --quiet -i ${p}
                    RESULT_VARIABLE failed OUTPUT_VARIABLE out ERROR_VARIABLE errors)
    if(failed)
      message(FATAL_ERROR "cannot apply ${p} to newlib:\n${out}${errors}")
    endif()
  endforeach()
  set(inc ${dir}/install/x86_64-elf/include)
  set(src ${dir}/src/newlib)
  file(COPY ${src}/libc/include/ DESTINATION ${inc} PATTERN rpc EXCLUDE)
  file(COPY ${src}/libc/machine/x86_64/sys/fenv.h DESTINATION ${inc}/sys)
  koito_newlib_config_header(${src}/newlib.hin ${inc}/newlib.h)
  file(READ ${src}/_newlib_version.hin text)
  string(REGEX MATCH "([0-9]+)\\.([0-9]+)\\.([0-9]+)" version "${KOITO_NEWLIB_TARBALL}")
  string(REPLACE "#undef _NEWLIB_VERSION\n" "#define _NEWLIB_VERSION \"${version}\"\n" text "${text}")
  string(REPLACE "#undef __NEWLIB__\n" "#define __NEWLIB__ ${CMAKE_MATCH_1}\n" text "${text}")
  string(REPLACE "#undef __NEWLIB_MINOR__\n" "#define __NEWLIB_MINOR__ ${CMAKE_MATCH_2}\n" text "${text}")
  string(REPLACE "#undef __NEWLIB_PATCHLEVEL__\n" "#define __NEWLIB_PATCHLEVEL__ ${CMAKE_MATCH_3}\n" text "${text}")
  file(WRITE ${inc}/_newlib_version.h "/* _newlib_version.h.  Generated from _newlib_version.hin by KOITO's build (cmake/KoitoNewlib.cmake).  */\n${text}")
  file(WRITE ${dir}/unpacked "${what}")
endfunction()

if(KOITO_NEWLIB_OWN)
  koito_newlib_unpack(${KOITO_NEWLIB_DIR})
elseif(NOT EXISTS ${KOITO_NEWLIB_DIR}/stamp)
  message(FATAL_ERROR "KOITO_NEWLIB_DIR=${KOITO_NEWLIB_DIR} holds no built newlib (no stamp)")
endif()
