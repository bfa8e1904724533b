# SPDX-License-Identifier: MIT
# Picky warnings per target, never through CMAKE_C_FLAGS.
function(cnd_target_warnings target)
    target_compile_options(${target} PRIVATE
        -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes
        -Wmissing-prototypes -Wwrite-strings -Wformat=2 -Wvla)
    if(CND_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
endfunction()
