# Declared systems: system.cap.yaml -> capgen -> Alpha + the process images -> an ISO.
#
# koito_image(NAME SOURCES ...) registers a program that systems can name as `image: NAME`.
# koito_system(NAME FILE yaml OUTPUT iso) builds, for that system:
#   build/systems/NAME/       capgen's output (alpha_spec_data.c, caps/<process>.h,
#                             report.txt, tree.txt)
#   build/systems/NAME/images/<image>.elf   every image the file names, compiled against
#                             the system's caps headers (code says CAP_console, never a number)
#   build/systems/NAME/alpha.elf            Alpha with the system's spec
#   the ISO: the kernel, Alpha first, then the images as boot modules.

define_property(GLOBAL PROPERTY KOITO_IMAGES BRIEF_DOCS "registered images" FULL_DOCS "x")

function(koito_image name)
  cmake_parse_arguments(I "" "" "SOURCES;DEFINES" ${ARGN})
  set(sources)
  foreach(s IN LISTS I_SOURCES)
    get_filename_component(abs ${s} ABSOLUTE)
    list(APPEND sources ${abs})
  endforeach()
  set_property(GLOBAL APPEND PROPERTY KOITO_IMAGES ${name})
  set_property(GLOBAL PROPERTY KOITO_IMAGE_${name}_SOURCES ${sources})
  set_property(GLOBAL PROPERTY KOITO_IMAGE_${name}_DEFINES ${I_DEFINES})
endfunction()

set(KOITO_ALPHA_SOURCES
  ${CMAKE_SOURCE_DIR}/servers/alpha/main.c
  ${CMAKE_SOURCE_DIR}/servers/alpha/create.c
  ${CMAKE_SOURCE_DIR}/servers/alpha/build.c
  ${CMAKE_SOURCE_DIR}/servers/alpha/verify.c
  ${CMAKE_SOURCE_DIR}/kernel/boot/elf.c)

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
  add_custom_command(
    OUTPUT ${dir}/alpha_spec_data.c ${dir}/tree.txt ${dir}/report.txt
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
    COMMAND capgen build ${S_FILE} -o ${dir}
    ${tamper}
    DEPENDS capgen ${S_FILE}
    COMMENT "capgen: ${name} (${S_FILE})")
  add_custom_target(${name}-capgen DEPENDS ${dir}/alpha_spec_data.c)

  # The images this system names (capgen checks the file properly; this only picks the
  # programs to compile against its headers).
  file(STRINGS ${S_FILE} image_lines REGEX "image:")
  set(images)
  foreach(line IN LISTS image_lines)
    string(REGEX REPLACE "#.*$" "" line "${line}")
    string(REGEX MATCHALL "image:[ ]*[A-Za-z0-9_.-]+" found "${line}")
    foreach(f IN LISTS found)
      string(REGEX REPLACE "image:[ ]*" "" image "${f}")
      get_property(known GLOBAL PROPERTY KOITO_IMAGES)
      if(NOT image IN_LIST known)
        message(FATAL_ERROR "${S_FILE}: image '${image}' is not a program of this tree "
                            "(known: ${known})")
      endif()
      list(APPEND images ${image})
    endforeach()
  endforeach()
  list(REMOVE_DUPLICATES images)
  set(modules ${dir}/alpha.elf)
  foreach(image IN LISTS images)
    get_property(sources GLOBAL PROPERTY KOITO_IMAGE_${image}_SOURCES)
    get_property(defines GLOBAL PROPERTY KOITO_IMAGE_${image}_DEFINES)
    koito_user_program(${name}-${image}
      SOURCES ${sources}
      DEFINES ${defines}
      INCLUDES ${dir} ${CMAKE_SOURCE_DIR}/servers/alpha/include
      OUTPUT ${dir}/images/${image}.elf)
    add_dependencies(${name}-${image}_obj ${name}-capgen)
    list(APPEND modules ${dir}/images/${image}.elf)
  endforeach()
  koito_user_program(${name}-alpha
    SOURCES ${KOITO_ALPHA_SOURCES} ${dir}/alpha_spec_data.c
    INCLUDES ${CMAKE_SOURCE_DIR}/servers/alpha/include ${CMAKE_SOURCE_DIR}/servers/alpha
    OUTPUT ${dir}/alpha.elf)
  # With the images built, check again knowing their segments: maps that overlap an image
  # and the exact memory the images take are only known now.
  set(image_elfs ${modules})
  list(REMOVE_ITEM image_elfs ${dir}/alpha.elf)
  add_custom_command(OUTPUT ${dir}/images.checked
    COMMAND capgen check ${S_FILE} --images ${dir}/images
    COMMAND ${CMAKE_COMMAND} -E touch ${dir}/images.checked
    DEPENDS capgen ${S_FILE} ${image_elfs}
    COMMENT "capgen: ${name} checked with its images")
  add_custom_target(${name}-images-checked DEPENDS ${dir}/images.checked)
  koito_iso(${name} KERNEL a9n CMDLINE "" MODULES ${modules} OUTPUT ${S_OUTPUT})
  add_custom_target(${name}-iso ALL DEPENDS ${S_OUTPUT} ${dir}/images.checked)
endfunction()
