# Installs the headers, an exported baton::baton target, batonConfig.cmake with a version file,
# and a pkg-config file. Header-only: the package is architecture-independent.
include(CMakePackageConfigHelpers)

set(BATON_CMAKE_INSTALL_DIR "${CMAKE_INSTALL_DATADIR}/cmake/baton" CACHE STRING
    "Where batonConfig.cmake is installed")
set(BATON_PKGCONFIG_INSTALL_DIR "${CMAKE_INSTALL_DATADIR}/pkgconfig" CACHE STRING
    "Where baton.pc is installed")

install(TARGETS baton EXPORT batonTargets)
install(DIRECTORY include/baton DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.hpp")
install(EXPORT batonTargets NAMESPACE baton:: DESTINATION ${BATON_CMAKE_INSTALL_DIR})

configure_package_config_file(cmake/batonConfig.cmake.in
  ${PROJECT_BINARY_DIR}/batonConfig.cmake
  INSTALL_DESTINATION ${BATON_CMAKE_INSTALL_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/batonConfigVersion.cmake
  COMPATIBILITY SameMinorVersion ARCH_INDEPENDENT)
install(FILES ${PROJECT_BINARY_DIR}/batonConfig.cmake ${PROJECT_BINARY_DIR}/batonConfigVersion.cmake
        DESTINATION ${BATON_CMAKE_INSTALL_DIR})

# Build-tree export, for projects that consume baton through FetchContent and export themselves.
export(EXPORT batonTargets NAMESPACE baton:: FILE ${PROJECT_BINARY_DIR}/batonTargets.cmake)

if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(BATON_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(BATON_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file(cmake/baton.pc.in ${PROJECT_BINARY_DIR}/baton.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/baton.pc DESTINATION ${BATON_PKGCONFIG_INSTALL_DIR})
