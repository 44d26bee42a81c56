# CTest test (consumer.pkg_config): against the package installed in PREFIX, `pkg-config` must
# report the right version and -I flag, and a program compiled with exactly those flags must
# build and run.
#   cmake -DPKG_CONFIG=... -DPREFIX=... -DCXX=... -DSTD=17 -DMAIN=... -DVERSION=... -DOUT_DIR=...
#         -P pkg_config_check.cmake
set(ENV{PKG_CONFIG_PATH} "${PREFIX}/share/pkgconfig")
# pkg-config must not drop our -I as a "system" directory, nor read the host's sysroot.
unset(ENV{PKG_CONFIG_SYSROOT_DIR})

function(pkg_config out)
  execute_process(COMMAND "${PKG_CONFIG}" ${ARGN} baton RESULT_VARIABLE rc
                  OUTPUT_VARIABLE output ERROR_VARIABLE error OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "pkg-config ${ARGN} baton failed (${rc}): ${error}")
  endif()
  set(${out} "${output}" PARENT_SCOPE)
endfunction()

pkg_config(version --modversion)
if(NOT version STREQUAL VERSION)
  message(FATAL_ERROR "pkg-config --modversion baton: '${version}', expected '${VERSION}'")
endif()
pkg_config(cflags --cflags)
if(NOT cflags STREQUAL "-I${PREFIX}/include")
  message(FATAL_ERROR "pkg-config --cflags baton: '${cflags}', expected '-I${PREFIX}/include'")
endif()
pkg_config(libs --libs)
if(NOT libs STREQUAL "")
  message(FATAL_ERROR "pkg-config --libs baton: '${libs}', expected nothing (header-only)")
endif()

file(REMOVE_RECURSE "${OUT_DIR}")
file(MAKE_DIRECTORY "${OUT_DIR}")
separate_arguments(cflag_list UNIX_COMMAND "${cflags}")
execute_process(COMMAND "${CXX}" -std=c++${STD} -Wall -Wextra -Werror ${cflag_list}
                        "-DBATON_EXPECTED_VERSION=\"${VERSION}\"" "${MAIN}" -o "${OUT_DIR}/consumer"
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "compiling with `pkg-config --cflags baton` failed (${rc})")
endif()
execute_process(COMMAND "${OUT_DIR}/consumer" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the pkg-config consumer failed (${rc})")
endif()
