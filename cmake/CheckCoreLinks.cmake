# Fails the configure step if the core library links (directly or through any
# of its link dependencies) a Qt GUI module. The core must stay usable headless:
# chomctl and the tests link it without a display.
function(_chom_collect_links target out_var)
    set(seen ${${out_var}})
    get_target_property(libs ${target} LINK_LIBRARIES)
    get_target_property(ilibs ${target} INTERFACE_LINK_LIBRARIES)
    foreach(lib IN LISTS libs ilibs)
        if(lib AND NOT lib IN_LIST seen AND NOT lib MATCHES "^\\$<")
            list(APPEND seen ${lib})
            if(TARGET ${lib})
                _chom_collect_links(${lib} seen)
            endif()
        endif()
    endforeach()
    set(${out_var} ${seen} PARENT_SCOPE)
endfunction()

function(chom_check_core_links target)
    set(all "")
    _chom_collect_links(${target} all)
    foreach(lib IN LISTS all)
        if(lib MATCHES "Qt6?::(Widgets|Gui|Charts|OpenGL|OpenGLWidgets)$")
            message(FATAL_ERROR
                "${target} links ${lib}: the core library must never depend on a GUI module. "
                "Move the code that needs it into ui/.")
        endif()
    endforeach()
endfunction()
