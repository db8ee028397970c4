# newlib, the C library under koito-libc: built at build time from Debian's newlib-source
# (its tarball under /usr/src/newlib) into build/newlib by tools/build-newlib.sh, never
# committed. The custom command reruns only when the tarball or the script changes; a build
# takes a few minutes (the porting chapter gives the measured figure).
file(GLOB KOITO_NEWLIB_TARBALL /usr/src/newlib/newlib-*.tar.*)
if(NOT KOITO_NEWLIB_TARBALL)
  message(FATAL_ERROR "newlib's source is missing (/usr/src/newlib/newlib-*.tar.*): install "
                      "Debian's newlib-source (./koito build does it as root)")
endif()
list(GET KOITO_NEWLIB_TARBALL 0 KOITO_NEWLIB_TARBALL)

# Another build folder may use this one's newlib (-DKOITO_NEWLIB_DIR=..., the
# system-switching test's scratch folder does): the build script returns at once when the
# folder already holds newlib built from the same tarball, patches and flags.
set(KOITO_NEWLIB_DIR ${CMAKE_BINARY_DIR}/newlib CACHE PATH "where newlib is built")
set(KOITO_NEWLIB_INCLUDE ${KOITO_NEWLIB_DIR}/install/x86_64-elf/include)
set(KOITO_NEWLIB_LIBC ${KOITO_NEWLIB_DIR}/install/x86_64-elf/lib/libc.a)
set(KOITO_NEWLIB_LIBM ${KOITO_NEWLIB_DIR}/install/x86_64-elf/lib/libm.a)
# The user programs' code generation (KoitoFreestanding.cmake), without debug information
# (it doubles the build), without warnings (newlib's code is not ours to fix) and without the
# host's /usr/include (-nostdlibinc: clang's own headers and newlib's only).
set(KOITO_NEWLIB_CFLAGS -O2 -ffreestanding -nostdlibinc -mno-red-zone -fno-pic -fno-pie -fno-stack-protector
  -fno-omit-frame-pointer -fno-common -fno-asynchronous-unwind-tables -w)

# The flags are an input too: a change rebuilds newlib (file(CONFIGURE) writes only changes).
file(CONFIGURE OUTPUT ${KOITO_NEWLIB_DIR}/flags.txt CONTENT "${KOITO_NEWLIB_CFLAGS}\n")

# KOITO's fixes of newlib bugs (libc/newlib/*.patch), applied after unpacking.
file(GLOB KOITO_NEWLIB_PATCHES ${CMAKE_SOURCE_DIR}/libc/newlib/*.patch)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/libc/newlib)

add_custom_command(
  OUTPUT ${KOITO_NEWLIB_DIR}/stamp ${KOITO_NEWLIB_LIBC} ${KOITO_NEWLIB_LIBM}
  COMMAND ${CMAKE_SOURCE_DIR}/tools/build-newlib.sh ${KOITO_NEWLIB_TARBALL}
          ${CMAKE_SOURCE_DIR}/libc/newlib ${KOITO_NEWLIB_DIR}
          ${KOITO_NEWLIB_CFLAGS}
  DEPENDS ${KOITO_NEWLIB_TARBALL} ${CMAKE_SOURCE_DIR}/tools/build-newlib.sh
          ${KOITO_NEWLIB_DIR}/flags.txt ${KOITO_NEWLIB_PATCHES}
  COMMENT "Building newlib (libc, libm) from ${KOITO_NEWLIB_TARBALL}"
  USES_TERMINAL)
add_custom_target(newlib DEPENDS ${KOITO_NEWLIB_DIR}/stamp)
