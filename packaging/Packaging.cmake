# Install rules and CPack. DEB is built here (cpack -G DEB); the Windows (WiX)
# and macOS (DMG) generators run in their own CI jobs on those systems.
include(GNUInstallDirs)

foreach(exe chom-console chomctl)
    if(TARGET ${exe})
        install(TARGETS ${exe} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
    endif()
endforeach()
if(TARGET chom-console)
    install(FILES ${CMAKE_CURRENT_LIST_DIR}/linux/io.chom.Console.desktop
            DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
    install(FILES ${CMAKE_CURRENT_LIST_DIR}/linux/io.chom.Console.metainfo.xml
            DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
endif()

set(CPACK_PACKAGE_NAME "chom-console")
set(CPACK_PACKAGE_VENDOR "CHOM")
set(CPACK_PACKAGE_CONTACT "CHOM Console maintainers <ops@chom.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# shlibdeps cannot see Qt's SQL driver plugins: name them by hand.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-sqlite, libqt6sql6-psql")
set(CPACK_DEBIAN_PACKAGE_SECTION "admin")
# Shipped binaries are stripped; their debug info goes to chom-console-dbgsym.
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_DEBUGINFO_PACKAGE ON)
include(CPack)
