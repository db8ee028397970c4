# Warnings are errors on all project code, host and freestanding alike.
set(KOITO_WARNINGS -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
    -Wno-unused-parameter)

function(koito_warnings target)
  target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:C>:${KOITO_WARNINGS}>)
endfunction()
