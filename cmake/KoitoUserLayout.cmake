# User space sees the kernel's ABI headers and nothing else of kernel/ (porting chapter). At
# the end of the configure step this lists every user target, with the files it compiles and
# the folders it includes, in build/layout/user-targets.txt; the test unit_user_space_sees_no_
# kernel (test/layout/check-user-layout.sh) checks that list and Ninja's record of the headers
# each user object really read.
#
# A user target is any target compiled with the user programs' flags (KOITO_USER_CFLAGS: they
# alone carry -mcmodel=small), so a new program or library is covered without registering.

function(koito_user_layout_collect dir out)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  set(found)
  foreach(t IN LISTS targets)
    get_target_property(type ${t} TYPE)
    if(NOT type MATCHES "^(OBJECT_LIBRARY|STATIC_LIBRARY|EXECUTABLE)$")
      continue()
    endif()
    get_target_property(options ${t} COMPILE_OPTIONS)
    if(options AND "${options}" MATCHES "-mcmodel=small")
      list(APPEND found ${t})
    endif()
  endforeach()
  foreach(sub IN LISTS subdirs)
    koito_user_layout_collect(${sub} more)
    list(APPEND found ${more})
  endforeach()
  set(${out} ${found} PARENT_SCOPE)
endfunction()

function(koito_user_layout_write)
  koito_user_layout_collect(${CMAKE_SOURCE_DIR} targets)
  set(content)
  foreach(t IN LISTS targets)
    get_target_property(source_dir ${t} SOURCE_DIR)
    get_target_property(binary_dir ${t} BINARY_DIR)
    file(RELATIVE_PATH object_dir ${CMAKE_BINARY_DIR} ${binary_dir}/CMakeFiles/${t}.dir)
    string(APPEND content "target ${t} ${object_dir}\n")
    get_target_property(sources ${t} SOURCES)
    foreach(s IN LISTS sources)
      if(NOT IS_ABSOLUTE "${s}")
        set(s ${source_dir}/${s})
      endif()
      string(APPEND content "source ${s}\n")
    endforeach()
    string(APPEND content
      "include $<JOIN:$<TARGET_PROPERTY:${t},INCLUDE_DIRECTORIES>,\ninclude >\n")
  endforeach()
  file(GENERATE OUTPUT ${CMAKE_BINARY_DIR}/layout/user-targets.txt CONTENT "${content}")
endfunction()

cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL koito_user_layout_write)
