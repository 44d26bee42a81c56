# Installs the headers, an exported baton::baton target, batonConfig.cmake with a version file,
# and a pkg-config file. Header-only: the package is architecture-independent, so everything
# goes under share/ (CMAKE_INSTALL_DATADIR).
#
# Paths are absolute (PROJECT_SOURCE_DIR/PROJECT_BINARY_DIR) so this file behaves the same when
# baton is the top-level project, an add_subdirectory() or a FetchContent dependency.
include(CMakePackageConfigHelpers)

set(BATON_CMAKE_INSTALL_DIR "${CMAKE_INSTALL_DATADIR}/cmake/baton" CACHE STRING
    "Where batonConfig.cmake is installed (relative to the prefix)")
set(BATON_PKGCONFIG_INSTALL_DIR "${CMAKE_INSTALL_DATADIR}/pkgconfig" CACHE STRING
    "Where baton.pc is installed (relative to the prefix)")
mark_as_advanced(BATON_CMAKE_INSTALL_DIR BATON_PKGCONFIG_INSTALL_DIR)

install(TARGETS baton EXPORT batonTargets)
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/baton" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
        FILES_MATCHING PATTERN "*.hpp")
install(EXPORT batonTargets NAMESPACE baton:: DESTINATION "${BATON_CMAKE_INSTALL_DIR}")

configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/batonConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/batonConfig.cmake"
  INSTALL_DESTINATION "${BATON_CMAKE_INSTALL_DIR}")
# 0.x releases may break between minor versions, 1.x and later only between major versions.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(BATON_VERSION_COMPATIBILITY SameMinorVersion)
else()
  set(BATON_VERSION_COMPATIBILITY SameMajorVersion)
endif()
write_basic_package_version_file("${PROJECT_BINARY_DIR}/batonConfigVersion.cmake"
  COMPATIBILITY ${BATON_VERSION_COMPATIBILITY} ARCH_INDEPENDENT)
install(FILES "${PROJECT_BINARY_DIR}/batonConfig.cmake"
              "${PROJECT_BINARY_DIR}/batonConfigVersion.cmake"
        DESTINATION "${BATON_CMAKE_INSTALL_DIR}")

# Build-tree export, for projects that consume baton through FetchContent and export themselves.
export(EXPORT batonTargets NAMESPACE baton:: FILE "${PROJECT_BINARY_DIR}/batonTargets.cmake")

# pkg-config. The prefix is only known at install time (`cmake --install --prefix` may differ
# from CMAKE_INSTALL_PREFIX at configure time), so baton.pc is written by an install(CODE) step
# from a template whose @BATON_PC_PREFIX@ is still unexpanded; DESTDIR is honoured because the
# file is installed with install(FILES) afterwards, which also records it in install_manifest.txt.
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(BATON_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(BATON_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
set(BATON_PC_PREFIX "@BATON_PC_PREFIX@")  # kept for the install-time pass
configure_file("${PROJECT_SOURCE_DIR}/cmake/baton.pc.in" "${PROJECT_BINARY_DIR}/baton.pc.in" @ONLY)
# A build-tree baton.pc with the configure-time prefix, for inspection and uninstalled use.
set(BATON_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
configure_file("${PROJECT_BINARY_DIR}/baton.pc.in" "${PROJECT_BINARY_DIR}/baton.pc" @ONLY)
install(CODE "
  set(BATON_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  configure_file(\"${PROJECT_BINARY_DIR}/baton.pc.in\"
                 \"${PROJECT_BINARY_DIR}/pkgconfig-install/baton.pc\" @ONLY)
")
install(FILES "${PROJECT_BINARY_DIR}/pkgconfig-install/baton.pc"
        DESTINATION "${BATON_PKGCONFIG_INSTALL_DIR}")
