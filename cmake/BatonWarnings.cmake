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

# baton_target_no_exceptions(<target>): build <target> without exceptions and without RTTI, as
# users of -fno-exceptions -fno-rtti do. The library must compile and behave the same there.
function(baton_target_no_exceptions target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /EHs-c- /GR-)
    target_compile_definitions(${target} PRIVATE _HAS_EXCEPTIONS=0)
  else()
    target_compile_options(${target} PRIVATE -fno-exceptions -fno-rtti)
  endif()
endfunction()
