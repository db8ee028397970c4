# Declared systems: system.cap.yaml -> capgen -> Alpha + the process images -> an ISO.
#
# koito_image(NAME SOURCES ... [DEFINES ...] [LIBS target...]) registers a program that systems
# can name as `image: NAME`; LIBS are static library targets linked into it (a port's code).
# koito_system(NAME FILE yaml OUTPUT iso) builds, for that system:
#   build/systems/NAME/       capgen's output (alpha_spec_data.c, caps/<process>.h,
#                             caps/<image>.h, tree.txt, outputs.txt), every file a declared
#                             output of the capgen step (`capgen outputs`); report.txt once
#                             the images are built (`capgen report --images`)
#   build/systems/NAME/images/<image>.elf   every image the file names, compiled against
#                             the system's caps headers (code says CAP_console, never a number),
#                             with its line table (tools/linetab.sh: Alpha names fault lines)
#   build/systems/NAME/alpha.elf            Alpha with the system's spec
#   the ISO: the kernel, Alpha first, then the images as boot modules.

define_property(GLOBAL PROPERTY KOITO_IMAGES BRIEF_DOCS "registered images" FULL_DOCS "x")

# The address range of each image in a system (koito_system): 8 MiB each, from 16 MiB (Alpha,
# with its working memory, takes 4 to 16 MiB) up to 256 MiB, where koito-libc's heap begins
# (KOITO_HEAP_BASE): 30 ranges.
set(KOITO_IMAGE_FIRST 0x1000000)
set(KOITO_IMAGE_SLOT 0x800000)
set(KOITO_IMAGE_TOP 0x10000000)

function(koito_image name)
  cmake_parse_arguments(I "" "" "SOURCES;DEFINES;LIBS" ${ARGN})
  set(sources)
  foreach(s IN LISTS I_SOURCES)
    get_filename_component(abs ${s} ABSOLUTE)
    list(APPEND sources ${abs})
  endforeach()
  set_property(GLOBAL APPEND PROPERTY KOITO_IMAGES ${name})
  set_property(GLOBAL PROPERTY KOITO_IMAGE_${name}_SOURCES ${sources})
  set_property(GLOBAL PROPERTY KOITO_IMAGE_${name}_DEFINES ${I_DEFINES})
  set_property(GLOBAL PROPERTY KOITO_IMAGE_${name}_LIBS ${I_LIBS})
endfunction()

set(KOITO_ALPHA_SOURCES
  ${CMAKE_SOURCE_DIR}/servers/alpha/main.c
  ${CMAKE_SOURCE_DIR}/servers/alpha/create.c
  ${CMAKE_SOURCE_DIR}/servers/alpha/build.c
  ${CMAKE_SOURCE_DIR}/servers/alpha/verify.c
  ${CMAKE_SOURCE_DIR}/servers/alpha/supervise.c
  ${CMAKE_SOURCE_DIR}/servers/alpha/lines.c
  ${CMAKE_SOURCE_DIR}/servers/alpha/inspect.c
  ${CMAKE_SOURCE_DIR}/servers/alpha/table.c
  ${CMAKE_SOURCE_DIR}/servers/alpha/format.c
  ${CMAKE_SOURCE_DIR}/servers/alpha/options.c)
# Alpha loads images with the checking ELF reader the kernel loads Alpha with: one source
# (common/elf), which Alpha links as the library koito-elf (libc/CMakeLists.txt, part of
# KOITO_USER_LIBS) and reaches through <elf_reader.h>; nothing of kernel/ but the ABI headers.
set(KOITO_ALPHA_INCLUDES ${CMAKE_SOURCE_DIR}/servers/alpha/include ${CMAKE_SOURCE_DIR}/servers/alpha
  ${CMAKE_SOURCE_DIR}/common/elf/include)

# capgen as the configure step needs it: the build declares every file capgen writes, and
# only capgen knows them (caps/<process>.h and caps/<image>.h follow the names in the file),
# so the configure step compiles its own capgen (again only when capgen's sources change) and
# asks it (`capgen outputs`). Sets KOITO_CONFIGURE_CAPGEN.
function(koito_configure_capgen)
  set(bin ${CMAKE_BINARY_DIR}/capgen-configure/capgen)
  set(sources ${CAPGEN_SOURCES} ${CMAKE_SOURCE_DIR}/capgen/src/main.c)
  set(headers)
  foreach(inc IN LISTS CAPGEN_INCLUDES)
    if(inc MATCHES "^${CMAKE_SOURCE_DIR}/")
      file(GLOB found ${inc}/*.h ${inc}/*/*.h)
      list(APPEND headers ${found})
    endif()
  endforeach()
  # A change to capgen re-runs the configure step, so the declared outputs stay capgen's.
  set_property(DIRECTORY ${CMAKE_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
               ${sources} ${headers})
  set(stale FALSE)
  foreach(f IN LISTS sources headers)
    if(${f} IS_NEWER_THAN ${bin})
      set(stale TRUE)
    endif()
  endforeach()
  if(stale)
    file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/capgen-configure)
    list(TRANSFORM CAPGEN_INCLUDES PREPEND -I OUTPUT_VARIABLE includes)
    execute_process(
      COMMAND ${CMAKE_C_COMPILER} -std=c17 -D_GNU_SOURCE -O1 -w ${includes} ${sources}
              ${CAPGEN_LIBS} -o ${bin}.new
      RESULT_VARIABLE failed ERROR_VARIABLE errors)
    if(failed)
      message(FATAL_ERROR "cannot compile capgen for the configure step:\n${errors}")
    endif()
    file(RENAME ${bin}.new ${bin})
  endif()
  set(KOITO_CONFIGURE_CAPGEN ${bin} PARENT_SCOPE)
endfunction()

# koito_system(NAME FILE yaml OUTPUT iso [TAMPER from to])
# TAMPER (tests only) replaces text in the declared tree of the generated spec, to prove that
# Alpha refuses to start a system whose live tree differs from the declared one.
function(koito_system name)
  cmake_parse_arguments(S "" "FILE;OUTPUT" "TAMPER" ${ARGN})
  set(dir ${CMAKE_BINARY_DIR}/systems/${name})
  set(tamper)
  if(S_TAMPER)
    list(GET S_TAMPER 0 from)
    list(GET S_TAMPER 1 to)
    set(tamper COMMAND sed -i "/tree_text/,/^}/s/${from}/${to}/" ${dir}/alpha_spec_data.c)
  endif()

  # What capgen writes for this file and which images it names: from capgen itself. An
  # edit to the file re-runs the configure step, so both follow the file.
  if(NOT KOITO_CONFIGURE_CAPGEN)
    koito_configure_capgen()
    set(KOITO_CONFIGURE_CAPGEN ${KOITO_CONFIGURE_CAPGEN} PARENT_SCOPE)
  endif()
  set_property(DIRECTORY ${CMAKE_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${S_FILE})
  execute_process(COMMAND ${KOITO_CONFIGURE_CAPGEN} outputs ${S_FILE}
    RESULT_VARIABLE failed OUTPUT_VARIABLE listing ERROR_VARIABLE diagnostics)
  if(failed)
    message(FATAL_ERROR "capgen refuses ${S_FILE}:\n${diagnostics}")
  endif()
  string(REGEX MATCHALL "(image|file|input) [^\n]+" entries "${listing}")
  set(images)
  set(outputs)
  set(inputs)
  get_property(known GLOBAL PROPERTY KOITO_IMAGES)
  list(JOIN known ", " known_text)
  foreach(entry IN LISTS entries)
    if(entry MATCHES "^image (.+)$")
      if(NOT CMAKE_MATCH_1 IN_LIST known)
        message(FATAL_ERROR "${S_FILE}: image '${CMAKE_MATCH_1}' is not a program of this tree "
                            "(known: ${known_text})")
      endif()
      list(APPEND images ${CMAKE_MATCH_1})
    elseif(entry MATCHES "^file (.+)$")
      list(APPEND outputs ${dir}/${CMAKE_MATCH_1})
    elseif(entry MATCHES "^input (.+)$")
      list(APPEND inputs ${CMAKE_MATCH_1}) # packed into an image (`files:`)
    endif()
  endforeach()

  # Every file capgen writes is a declared output. capgen rewrites a file only when its
  # contents change (and Ninja re-stats outputs), so an image is recompiled exactly when the
  # header it includes changes.
  add_custom_command(
    OUTPUT ${outputs}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
    COMMAND capgen build ${S_FILE} -o ${dir}
    ${tamper}
    DEPENDS capgen ${S_FILE} ${inputs}
    COMMENT "capgen: ${name} (${S_FILE})")
  add_custom_target(${name}-capgen DEPENDS ${outputs})

  set(modules ${dir}/alpha.elf)
  # Each image links at an address range of its own, so a debugger can hold the symbols of
  # Alpha and of every image at once (./koito run --gdb): Alpha from 4 to 16 MiB, the k-th
  # image the system names (capgen's order) in the k-th range of KOITO_IMAGE_SLOT from 16 MiB
  # up, all below the heap (koito-libc's KOITO_HEAP_BASE, 256 MiB). An image past the last
  # range links at 4 MiB (gdb then holds it alone). Every process has an address space of
  # its own: nothing else depends on the address.
  set(slot 0)
  foreach(image IN LISTS images)
    math(EXPR slot "${slot} + 1")
    math(EXPR base "${KOITO_IMAGE_FIRST} + (${slot} - 1) * ${KOITO_IMAGE_SLOT}"
         OUTPUT_FORMAT HEXADECIMAL)
    math(EXPR limit "${base} + ${KOITO_IMAGE_SLOT}" OUTPUT_FORMAT HEXADECIMAL)
    math(EXPR end "${limit}") # decimal, for if()
    math(EXPR top "${KOITO_IMAGE_TOP}")
    set(range)
    if(end LESS_EQUAL top)
      set(range BASE ${base} LIMIT ${limit})
    endif()
    get_property(sources GLOBAL PROPERTY KOITO_IMAGE_${image}_SOURCES)
    get_property(defines GLOBAL PROPERTY KOITO_IMAGE_${image}_DEFINES)
    get_property(libs GLOBAL PROPERTY KOITO_IMAGE_${image}_LIBS)
    set(lib_files)
    foreach(lib IN LISTS libs)
      list(APPEND lib_files $<TARGET_FILE:${lib}>)
    endforeach()
    if(${dir}/files/${image}.asm IN_LIST outputs)
      list(APPEND sources ${dir}/files/${image}.asm) # its packed files (capgen's table)
    endif()
    koito_user_program(${name}-${image}
      SOURCES ${sources}
      DEFINES ${defines}
      INCLUDES ${dir} ${CMAKE_SOURCE_DIR}/servers/alpha/include
      LIBS ${lib_files}
      OUTPUT ${dir}/images/${image}.elf
      LINES ${range})
    add_dependencies(${name}-${image}_obj ${name}-capgen ${libs})
    list(APPEND modules ${dir}/images/${image}.elf)
  endforeach()
  # With the images built, check again knowing their segments: maps that overlap an image
  # and the exact memory the images take are only known now. The report is written by this
  # check, so its total counts the images' frames and page tables as the enforced fit does;
  # and the note that sizes Alpha's root Node (a9n/boot.h), which needs the images' pages.
  set(image_elfs ${modules})
  list(REMOVE_ITEM image_elfs ${dir}/alpha.elf)
  add_custom_command(OUTPUT ${dir}/images.checked ${dir}/report.txt ${dir}/alpha_root_note.c
    COMMAND capgen report ${S_FILE} --images ${dir}/images -o ${dir}/report.txt
            --root-note ${dir}/alpha_root_note.c
    COMMAND ${CMAKE_COMMAND} -E touch ${dir}/images.checked
    DEPENDS capgen ${S_FILE} ${image_elfs}
    COMMENT "capgen: ${name} checked with its images")
  koito_user_program(${name}-alpha
    SOURCES ${KOITO_ALPHA_SOURCES} ${dir}/alpha_spec_data.c ${dir}/alpha_root_note.c
    INCLUDES ${KOITO_ALPHA_INCLUDES}
    OUTPUT ${dir}/alpha.elf
    BASE 0x400000 LIMIT ${KOITO_IMAGE_FIRST})
  add_custom_target(${name}-images-checked DEPENDS ${dir}/images.checked)
  koito_iso(${name} KERNEL a9n CMDLINE "" MODULES ${modules} OUTPUT ${S_OUTPUT})
  add_custom_target(${name}-iso ALL DEPENDS ${S_OUTPUT} ${dir}/images.checked)
endfunction()
