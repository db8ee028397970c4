# Bootable GRUB2 ISOs (BIOS, multiboot2) made with grub-mkrescue.
find_program(KOITO_GRUB_MKRESCUE grub-mkrescue REQUIRED)
find_program(KOITO_XORRISO xorriso REQUIRED)
find_program(KOITO_OBJCOPY NAMES llvm-objcopy llvm-objcopy-14 objcopy REQUIRED)

# koito_iso(name KERNEL target OUTPUT file [CMDLINE "..."] [MODULES file...])
# Generates grub.cfg from boot/grub/grub.cfg.in and packs kernel + modules.
function(koito_iso name)
  cmake_parse_arguments(I "" "KERNEL;OUTPUT;CMDLINE" "MODULES" ${ARGN})
  get_target_property(kelf ${I_KERNEL} KOITO_ELF)
  set(stage ${CMAKE_BINARY_DIR}/iso/${name})
  set(KOITO_CMDLINE "${I_CMDLINE}")
  set(KOITO_MODULE_LINES "")
  foreach(m IN LISTS I_MODULES)
    get_filename_component(mname ${m} NAME)
    string(APPEND KOITO_MODULE_LINES "    module2 /boot/${mname} ${mname}\n")
  endforeach()
  # The modules go without their DWARF (gdb reads the build's own files): the kernel gives
  # the first process a Frame capability and a mapping for every page of every module, and
  # Alpha reads each of them back twice while it verifies, so a module's debug sections once
  # cost the default system's boot some 700 instructions a page (more than half of its
  # modules' pages). What the system reads stays: the program headers and the line table
  # (.koito_lines) Alpha names faults with.
  set(copy_modules "")
  if(I_MODULES)
    set(copy_modules COMMAND ${CMAKE_COMMAND} -E copy ${I_MODULES} ${stage}/boot/)
    foreach(m IN LISTS I_MODULES)
      get_filename_component(mname ${m} NAME)
      list(APPEND copy_modules COMMAND ${KOITO_OBJCOPY} --strip-debug ${stage}/boot/${mname})
    endforeach()
  endif()
  configure_file(${CMAKE_SOURCE_DIR}/boot/grub/grub.cfg.in ${stage}.cfg @ONLY)
  add_custom_command(OUTPUT ${I_OUTPUT}
    COMMAND ${CMAKE_COMMAND} -E rm -rf ${stage}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${stage}/boot/grub
    COMMAND ${CMAKE_COMMAND} -E copy ${stage}.cfg ${stage}/boot/grub/grub.cfg
    COMMAND ${CMAKE_COMMAND} -E copy ${kelf} ${stage}/boot/a9n.elf
    ${copy_modules}
    COMMAND ${CMAKE_SOURCE_DIR}/tools/mkiso.sh ${I_OUTPUT} ${stage}
    DEPENDS ${I_KERNEL} ${kelf} ${stage}.cfg ${I_MODULES}
    COMMENT "Making ${name} ISO with grub-mkrescue"
    VERBATIM)
endfunction()
