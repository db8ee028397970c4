# Third-party programs from Debian's source packages (apps/lua, apps/sqlite): the configure
# step fetches and unpacks them into build/ports through a private apt configuration
# (tools/fetch-deb-src.sh; never the machine's apt sources, nothing committed). A package
# already unpacked is not fetched again.
#
# koito_port_source(PACKAGE VAR) sets VAR to the unpacked source folder, or to "" when the
# archive cannot be reached; KOITO_PORTS_SKIP then says why, and koito_port_skipped_test()
# registers a test that reports itself SKIPPED with that reason (never passed).
set(KOITO_PORTS_DIR ${CMAKE_BINARY_DIR}/ports)
# KOITO_PORTS OFF: the configure step fetches nothing, and a port not fetched before is left
# out (its tests say so, skipped). `./koito run` configures a new folder so: it boots one
# system and needs no port. `./koito build` and `./koito test` turn it on.
option(KOITO_PORTS "fetch Debian's sources of the ported programs (Lua, SQLite)" ON)

function(koito_port_source package var)
  if(NOT KOITO_PORTS AND NOT EXISTS ${KOITO_PORTS_DIR}/${package}/.unpacked)
    set(${var} "" PARENT_SCOPE)
    set(KOITO_PORTS_SKIP "not fetched: this build folder is configured with KOITO_PORTS=OFF (as \
./koito run leaves a new one; ./koito build and ./koito test turn it on)" PARENT_SCOPE)
    return()
  endif()
  execute_process(
    COMMAND ${CMAKE_SOURCE_DIR}/tools/fetch-deb-src.sh --dir ${KOITO_PORTS_DIR} ${package}
    RESULT_VARIABLE status ERROR_VARIABLE messages)
  string(STRIP "${messages}" messages)
  if(status EQUAL 0)
    set(${var} ${KOITO_PORTS_DIR}/${package} PARENT_SCOPE)
  elseif(status EQUAL 77)
    message(STATUS "ports: ${package} skipped: ${messages}")
    set(${var} "" PARENT_SCOPE)
    set(KOITO_PORTS_SKIP "${messages}" PARENT_SCOPE)
  else()
    message(FATAL_ERROR "ports: cannot fetch Debian's ${package} source:\n${messages}")
  endif()
endfunction()

# A test that prints the reason and exits 77, which CTest reports as skipped.
function(koito_port_skipped_test name reason)
  add_test(NAME ${name} COMMAND sh -c "echo \"$1\"; exit 77" skip "${reason}")
  set_tests_properties(${name} PROPERTIES SKIP_RETURN_CODE 77 LABELS "system;ports")
endfunction()
