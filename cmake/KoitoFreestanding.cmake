# Freestanding x86_64 code (the kernel now; servers and apps later): the same clang, a
# bare-metal target, no libc, no red zone (interrupts push onto the current stack), no SSE
# in the kernel (its FPU state belongs to user processes), linked by ld.lld with a script.
find_program(KOITO_LLD NAMES ld.lld ld.lld-14 REQUIRED)

set(KOITO_FREESTANDING_CFLAGS
    --target=x86_64-unknown-none-elf -ffreestanding -fno-builtin -fno-stack-protector
    -fno-pic -fno-pie -mno-red-zone -fno-omit-frame-pointer -fno-common -fno-asynchronous-unwind-tables -g)
# The kernel drops the frame pointer the rest keeps: nothing in it walks frames (a panic prints
# the trap frame, not a backtrace), and on the system-call and IPC paths the push, the move
# and the pop of RBP in every function, and the register they take, cost about 24
# instructions per round trip (benchmarks chapter).
set(KOITO_KERNEL_CFLAGS ${KOITO_FREESTANDING_CFLAGS} -mcmodel=kernel -mgeneral-regs-only
    -mno-mmx -mno-sse -mno-sse2 -mno-80387 -fomit-frame-pointer)

set(CMAKE_ASM_NASM_OBJECT_FORMAT elf64)
set(CMAKE_ASM_NASM_FLAGS "-g -F dwarf")

# koito_freestanding_executable(name SOURCES ... LINKER_SCRIPT file [CFLAGS ...]
#                                [DEFINES ...] [INCLUDES ...] [LIBS archive...] [DEPENDS t...]
#                                [LINK_OPTIONS ...] [OUTPUT file])
# Builds an ELF with ld.lld from an object library (and LIBS, static archives searched as one
# group, so that they may refer to each other); the ELF lands in build/bin/<name>.elf unless
# OUTPUT names another file. DEPENDS: targets the objects' compilation waits for.
function(koito_freestanding_executable name)
  cmake_parse_arguments(K "LINES" "LINKER_SCRIPT;OUTPUT"
                        "SOURCES;CFLAGS;DEFINES;INCLUDES;LIBS;DEPENDS;LINK_OPTIONS"
                        ${ARGN})
  add_library(${name}_obj OBJECT ${K_SOURCES})
  koito_warnings(${name}_obj)
  target_compile_options(${name}_obj PRIVATE $<$<COMPILE_LANGUAGE:C>:${K_CFLAGS}>)
  target_compile_definitions(${name}_obj PRIVATE ${K_DEFINES})
  target_include_directories(${name}_obj PRIVATE ${K_INCLUDES})
  if(K_DEPENDS)
    add_dependencies(${name}_obj ${K_DEPENDS})
  endif()
  set(elf ${CMAKE_BINARY_DIR}/bin/${name}.elf)
  if(K_OUTPUT)
    set(elf ${K_OUTPUT})
  endif()
  # LINES: the image carries its line table (tools/linetab.sh), for Alpha to name the source
  # line of a fault.
  set(lines)
  if(K_LINES)
    set(lines COMMAND ${CMAKE_SOURCE_DIR}/tools/linetab.sh ${elf} ${CMAKE_SOURCE_DIR})
  endif()
  set(group)
  if(K_LIBS)
    set(group --start-group ${K_LIBS} --end-group)
  endif()
  add_custom_command(OUTPUT ${elf}
    COMMAND ${KOITO_LLD} -nostdlib -static -z max-page-size=4096 --no-dynamic-linker
            -T ${K_LINKER_SCRIPT} ${K_LINK_OPTIONS} -o ${elf} $<TARGET_OBJECTS:${name}_obj> ${group}
    ${lines}
    DEPENDS ${name}_obj $<TARGET_OBJECTS:${name}_obj> ${K_LINKER_SCRIPT} ${K_LIBS}
    COMMAND_EXPAND_LISTS
    COMMENT "Linking freestanding ${name}.elf")
  add_custom_target(${name} ALL DEPENDS ${elf})
  set_target_properties(${name} PROPERTIES KOITO_ELF ${elf})
endfunction()

# User programs: SSE allowed (the kernel saves FPU state per process), linked at 4 MiB (or
# their system's address for them: KoitoSystem.cmake) by libc/user.ld with crt0, koito-libc,
# liba9n, newlib's libc and libm (libc/CMakeLists.txt). They see
# the ABI headers (a9n/ only: build/abi), liba9n, koito-libc and newlib's headers, never the
# host's (-nostdlibinc) nor the kernel's own.
set(KOITO_USER_CFLAGS ${KOITO_FREESTANDING_CFLAGS} -nostdlibinc -mcmodel=small -O2)
set(KOITO_ABI_INCLUDE ${CMAKE_BINARY_DIR}/abi)
set(KOITO_USER_INCLUDES
  ${KOITO_ABI_INCLUDE}
  ${CMAKE_SOURCE_DIR}/libc/a9n/include
  ${CMAKE_SOURCE_DIR}/libc/koito/include
  ${KOITO_NEWLIB_INCLUDE})

# koito_user_program(name SOURCES ... [INCLUDES ...] [DEFINES ...] [LIBS archive...]
#                    [OUTPUT file] [LINES] [BASE address LIMIT address])
#   LIBS: the program's own static libraries (a port's code); LINES: the image carries its
#   line table; BASE: its link address (default 4 MiB), and the image must end by LIMIT.
function(koito_user_program name)
  cmake_parse_arguments(U "LINES" "OUTPUT;BASE;LIMIT" "SOURCES;INCLUDES;DEFINES;LIBS" ${ARGN})
  set(output_arg)
  if(U_OUTPUT)
    set(output_arg OUTPUT ${U_OUTPUT})
  endif()
  if(U_LINES)
    list(APPEND output_arg LINES)
  endif()
  if(U_BASE)
    list(APPEND output_arg LINK_OPTIONS --defsym=__koito_image_base=${U_BASE}
         --defsym=__koito_image_limit=${U_LIMIT})
  endif()
  koito_freestanding_executable(${name}
    SOURCES ${U_SOURCES}
    LINKER_SCRIPT ${CMAKE_SOURCE_DIR}/libc/user.ld
    CFLAGS ${KOITO_USER_CFLAGS}
    DEFINES ${U_DEFINES}
    INCLUDES ${U_INCLUDES} ${KOITO_USER_INCLUDES}
    LIBS ${U_LIBS} ${KOITO_USER_LIBS}
    DEPENDS newlib koito-libc liba9n koito-elf
    ${output_arg})
endfunction()
