# baton_target_flags(<target>): warnings (and sanitizers) for baton's own targets only. The
# INTERFACE target carries none of this, so consumers' builds are never affected.
function(baton_target_flags target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4 /permissive-)
    if(BATON_WARNINGS_AS_ERRORS)
      target_compile_options(${target} PRIVATE /WX)
    endif()
  else()
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                             -Wsign-conversion -Wold-style-cast)
    if(BATON_WARNINGS_AS_ERRORS)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endif()
  if(BATON_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer
                                             -fno-sanitize-recover=all)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()
