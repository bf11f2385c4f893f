# chom_check_include_direction(FOLDER SOURCES DEPS): fails the configure step
# when a source of services/FOLDER includes "other/X.h" for a services folder
# `other` that is neither FOLDER nor one of DEPS. Keeps the feature libraries'
# dependency direction checked by the build, not by review. store/Sql.h (the
# statement helpers) is private to services/store/: all SQL lives there.
function(chom_check_include_direction folder sources deps)
    file(GLOB folders RELATIVE ${CMAKE_SOURCE_DIR}/services ${CMAKE_SOURCE_DIR}/services/*)
    set(allowed ${folder} ${deps})
    foreach(src IN LISTS sources)
        file(STRINGS ${CMAKE_SOURCE_DIR}/services/${src} lines REGEX "^[ \t]*#[ \t]*include[ \t]*\"")
        foreach(line IN LISTS lines)
            if(line MATCHES "\"store/Sql\\.h\"" AND NOT folder STREQUAL "store")
                message(FATAL_ERROR
                    "services/${src} includes store/Sql.h, the store layer's own statement "
                    "helpers: ask a repository (services/store/) instead.")
            endif()
            if(line MATCHES "\"([A-Za-z0-9_]+)/[^\"]+\"")
                set(used ${CMAKE_MATCH_1})
                if(used IN_LIST folders AND NOT used IN_LIST allowed)
                    message(FATAL_ERROR
                        "services/${src} includes a header of services/${used}/, but chom_${folder} "
                        "depends only on: ${deps}. Move the code, or add the dependency in "
                        "services/CMakeLists.txt if the layering allows it.")
                endif()
            endif()
        endforeach()
    endforeach()
endfunction()
