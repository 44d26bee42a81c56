# CTest fixture (consumer.install): installs the build tree BUILD_DIR into a fresh PREFIX with
# `cmake --install`, then checks that the package is complete.
#   cmake -DBUILD_DIR=... -DSOURCE_DIR=... -DPREFIX=... [-DCONFIG=...] -P install_prefix.cmake
foreach(var IN ITEMS BUILD_DIR SOURCE_DIR PREFIX)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "install_prefix.cmake: ${var} is not set")
  endif()
endforeach()

file(REMOVE_RECURSE "${PREFIX}")
set(config_args "")
if(CONFIG)
  set(config_args --config "${CONFIG}")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}" ${config_args}
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed (${rc})")
endif()

set(missing "")
foreach(file IN ITEMS share/cmake/baton/batonConfig.cmake share/cmake/baton/batonConfigVersion.cmake
                      share/cmake/baton/batonTargets.cmake share/pkgconfig/baton.pc)
  if(NOT EXISTS "${PREFIX}/${file}")
    list(APPEND missing "${file}")
  endif()
endforeach()
file(GLOB_RECURSE headers RELATIVE "${SOURCE_DIR}/include" "${SOURCE_DIR}/include/baton/*.hpp")
foreach(header IN LISTS headers)
  if(NOT EXISTS "${PREFIX}/include/${header}")
    list(APPEND missing "include/${header}")
  endif()
endforeach()
if(missing)
  list(JOIN missing "\n  " missing)
  message(FATAL_ERROR "not installed:\n  ${missing}")
endif()

# baton.pc must name the prefix it was installed to, not the configure-time default.
file(STRINGS "${PREFIX}/share/pkgconfig/baton.pc" prefix_line REGEX "^prefix=")
if(NOT prefix_line STREQUAL "prefix=${PREFIX}")
  message(FATAL_ERROR "baton.pc has '${prefix_line}', expected 'prefix=${PREFIX}'")
endif()
list(LENGTH headers count)
message(STATUS "installed baton (${count} headers) into ${PREFIX}")
