# Exactly A9N_BOOT_INFO_MODULE_MAX distinct program images (boot modules besides Alpha),
# read from kernel/include/a9n/limits.h: a system of that many processes in which the console,
# the closer and LIMIT - 2 generated programs (test/systems/gen-programs.sh) each run an
# image of their own. Every generated program differs from the others in code and data and
# prints a value only its own code over its own table gives; images-match.sh checks every
# one of those lines, and the live state against capgen's (each process maps its own image's
# pages). One image more is refused by `capgen check` in one line
# (system_limit_images_past_limit_refused; also test/capgen/bad/too_many_images.yaml).
#
# The image names are as long as a boot module's name allows: a 24-character prefix and the
# program's number, so programs 100 .. 126 have names of exactly A9N_BOOT_MODULE_NAME_MAX - 5
# = 27 characters ("<image>.elf" and its NUL fill the kernel's 32 bytes); the kernel must pass
# each on whole for Alpha to find it (one character more: test/capgen/bad/image_name_too_long).
#
# The programs share one build of crt0 and koito-libc (they do not depend on the system's
# headers), so each adds one small compilation and one link, not the eight of a
# koito_image program.
file(STRINGS ${CMAKE_SOURCE_DIR}/kernel/include/a9n/limits.h line
     REGEX "^#define A9N_BOOT_INFO_MODULE_MAX ")
string(REGEX REPLACE "^#define A9N_BOOT_INFO_MODULE_MAX +([0-9]+).*" "\\1" image_limit "${line}")
if(NOT image_limit MATCHES "^[0-9]+$")
  message(FATAL_ERROR "no A9N_BOOT_INFO_MODULE_MAX in kernel/include/a9n/limits.h")
endif()
math(EXPR programs "${image_limit} - 2") # the console and the closer are the other two
math(EXPR caps "${image_limit} * 10")
math(EXPR past "${image_limit} + 1")
set(prefix a_program_with_long_name) # 24 characters

set(gen_system ${CMAKE_SOURCE_DIR}/test/systems/gen-system.sh)
set(gen_programs ${CMAKE_SOURCE_DIR}/test/systems/gen-programs.sh)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${gen_system} ${gen_programs}
  ${CMAKE_SOURCE_DIR}/kernel/include/a9n/limits.h)
set(yaml ${CMAKE_BINARY_DIR}/systems/images-limit.cap.yaml)
execute_process(COMMAND ${CMAKE_COMMAND} -E env IMAGE_PREFIX=${prefix}
  ${gen_system} images ${image_limit} ${caps} 24M
  OUTPUT_FILE ${yaml} COMMAND_ERROR_IS_FATAL ANY)
set(past_yaml ${CMAKE_BINARY_DIR}/systems/images-past-limit.cap.yaml)
execute_process(COMMAND ${CMAKE_COMMAND} -E env IMAGE_PREFIX=${prefix}
  ${gen_system} images ${past} ${caps} 24M
  OUTPUT_FILE ${past_yaml} COMMAND_ERROR_IS_FATAL ANY)

set(dir ${CMAKE_BINARY_DIR}/systems/images-limit)
set(gen ${dir}/programs)

# capgen's outputs, every one declared (capgen itself lists them).
if(NOT KOITO_CONFIGURE_CAPGEN)
  koito_configure_capgen()
endif()
execute_process(COMMAND ${KOITO_CONFIGURE_CAPGEN} outputs ${yaml}
  OUTPUT_VARIABLE listing COMMAND_ERROR_IS_FATAL ANY)
string(REGEX MATCHALL "file [^\n]+" entries "${listing}")
set(outputs)
foreach(entry IN LISTS entries)
  string(REGEX REPLACE "^file " "" f "${entry}")
  list(APPEND outputs ${dir}/${f})
endforeach()
add_custom_command(OUTPUT ${outputs}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
  COMMAND capgen build ${yaml} -o ${dir}
  DEPENDS capgen ${yaml}
  COMMENT "capgen: images-limit")
add_custom_target(images-limit-capgen DEPENDS ${outputs})

set(sources)
foreach(k RANGE 1 ${programs})
  list(APPEND sources ${gen}/${prefix}${k}.c)
endforeach()
add_custom_command(OUTPUT ${sources} ${gen}/expected.txt
  COMMAND ${gen_programs} ${gen} ${programs} ${prefix}
  DEPENDS ${gen_programs}
  COMMENT "images-limit: ${programs} distinct programs")
add_custom_target(images-limit-programs DEPENDS ${gen}/expected.txt)

set(images)
foreach(k RANGE 1 ${programs})
  set(obj images-limit-prog${k}_obj)
  add_library(${obj} OBJECT ${gen}/${prefix}${k}.c)
  koito_warnings(${obj})
  target_compile_options(${obj} PRIVATE ${KOITO_USER_CFLAGS})
  target_include_directories(${obj} PRIVATE ${dir} ${KOITO_USER_INCLUDES})
  add_dependencies(${obj} images-limit-capgen images-limit-programs newlib koito-libc)
  set(elf ${dir}/images/${prefix}${k}.elf)
  add_custom_command(OUTPUT ${elf}
    COMMAND ${KOITO_LLD} -nostdlib -static -z max-page-size=4096 --no-dynamic-linker
            -T ${CMAKE_SOURCE_DIR}/libc/user.ld -o ${elf}
            $<TARGET_OBJECTS:${obj}> --start-group ${KOITO_USER_LIBS} --end-group
    DEPENDS ${obj} $<TARGET_OBJECTS:${obj}> ${KOITO_USER_LIBS} ${CMAKE_SOURCE_DIR}/libc/user.ld
    COMMAND_EXPAND_LISTS
    COMMENT "Linking ${prefix}${k}.elf")
  list(APPEND images ${elf})
endforeach()

foreach(image console closer)
  get_property(image_sources GLOBAL PROPERTY KOITO_IMAGE_${image}_SOURCES)
  koito_user_program(images-limit-${image}
    SOURCES ${image_sources}
    INCLUDES ${dir} ${CMAKE_SOURCE_DIR}/servers/alpha/include
    OUTPUT ${dir}/images/${image}.elf)
  add_dependencies(images-limit-${image}_obj images-limit-capgen)
  list(APPEND images ${dir}/images/${image}.elf)
endforeach()
koito_user_program(images-limit-alpha
  SOURCES ${KOITO_ALPHA_SOURCES} ${dir}/alpha_spec_data.c
  INCLUDES ${KOITO_ALPHA_INCLUDES}
  OUTPUT ${dir}/alpha.elf)
add_dependencies(images-limit-alpha_obj images-limit-capgen)

# Checked again with the images: their segments and the memory they take.
add_custom_command(OUTPUT ${dir}/images.checked
  COMMAND capgen check ${yaml} --images ${dir}/images
  COMMAND ${CMAKE_COMMAND} -E touch ${dir}/images.checked
  DEPENDS capgen ${yaml} ${images}
  COMMENT "capgen: images-limit checked with its images")
set(iso ${CMAKE_BINARY_DIR}/iso/system-images-limit.iso)
koito_iso(images-limit KERNEL a9n CMDLINE "" MODULES ${dir}/alpha.elf ${images} OUTPUT ${iso})
add_custom_target(images-limit-iso ALL DEPENDS ${iso} ${dir}/images.checked)

add_test(NAME system_limit_images_check
  COMMAND $<TARGET_FILE:capgen> check ${yaml} --images ${dir}/images)
set_tests_properties(system_limit_images_check PROPERTIES LABELS system)
# One more distinct image: refused, in exactly one diagnostic line with file:line:col.
add_test(NAME system_limit_images_past_limit_refused
  COMMAND bash -c "out=$(\"$0\" check \"$1\" 2>&1); status=$?; printf '%s\\n' \"$out\"; [ $status -eq 1 ] && [ $(printf '%s\\n' \"$out\" | wc -l) -eq 1 ] && printf '%s\\n' \"$out\" | grep -qE \"^$1:[0-9]+:[0-9]+: error: process '[a-z0-9]+': image '[a-z0-9_]+' is the $2\\. distinct image; the kernel passes at most $3 boot modules on$\""
          $<TARGET_FILE:capgen> ${past_yaml} ${past} ${image_limit})
set_tests_properties(system_limit_images_past_limit_refused PROPERTIES LABELS system)
add_test(NAME system_limit_images_boots
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/images-match.sh $<TARGET_FILE:capgen> ${yaml} ${iso}
          ${dir}/images ${gen}/expected.txt ${past})
set_tests_properties(system_limit_images_boots PROPERTIES LABELS system
  TIMEOUT ${KOITO_CTEST_TIMEOUT})
