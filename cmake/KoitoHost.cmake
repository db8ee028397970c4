# Host code (tools, unit tests): the sanitizers are always on for unit tests, so that a
# memory error in the kernel core shows up on the host before it can show up in a guest.
set(KOITO_SANITIZE -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)

find_library(CMOCKA_LIBRARY cmocka REQUIRED)
find_path(CMOCKA_INCLUDE_DIR cmocka.h REQUIRED)

# koito_host_sanitize(target): ASan + UBSan, any report is fatal.
function(koito_host_sanitize target)
  target_compile_options(${target} PRIVATE ${KOITO_SANITIZE})
  target_link_options(${target} PRIVATE ${KOITO_SANITIZE})
endfunction()

# koito_unit_test(name SOURCES ... [LIBS ...] [INCLUDES ...] [DEFINES ...])
# A cmocka test executable, sanitized, registered with CTest under the label "unit".
function(koito_unit_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS;INCLUDES;DEFINES" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  koito_warnings(${name})
  koito_host_sanitize(${name})
  target_include_directories(${name} PRIVATE ${CMOCKA_INCLUDE_DIR} ${T_INCLUDES})
  target_compile_definitions(${name} PRIVATE ${T_DEFINES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} ${CMOCKA_LIBRARY})
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS unit
    ENVIRONMENT "ASAN_OPTIONS=detect_leaks=1:abort_on_error=1;UBSAN_OPTIONS=print_stacktrace=1")
endfunction()

# koito_fuzz_target(name SOURCES ... [LIBS ...] [INCLUDES ...] [RUNS n] [SECONDS s])
# A libFuzzer target with ASan + UBSan; CTest runs it briefly (label "fuzz").
# Long fuzzing is `./koito fuzz NAME`, outside CTest.
function(koito_fuzz_target name)
  cmake_parse_arguments(F "" "SECONDS" "SOURCES;LIBS;INCLUDES;DEFINES;CORPUS" ${ARGN})
  if(NOT F_SECONDS)
    set(F_SECONDS 20)
  endif()
  add_executable(${name} ${F_SOURCES})
  koito_warnings(${name})
  target_compile_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined
    -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
  target_include_directories(${name} PRIVATE ${F_INCLUDES})
  target_compile_definitions(${name} PRIVATE ${F_DEFINES})
  target_link_libraries(${name} PRIVATE ${F_LIBS})
  add_test(NAME ${name}
    COMMAND ${name} -max_total_time=${F_SECONDS} -seed=1 -rss_limit_mb=2048 ${F_CORPUS})
  set_tests_properties(${name} PROPERTIES LABELS fuzz TIMEOUT 300)
endfunction()
