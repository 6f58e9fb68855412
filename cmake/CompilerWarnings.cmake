# Project-wide strictness. Applied per target through ds_strict(), so third-party
# headers and imported targets stay outside our warning flags.
add_library(ds_strict_flags INTERFACE)
target_compile_options(ds_strict_flags INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
    -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough -Wformat=2)
target_compile_definitions(ds_strict_flags INTERFACE
    QT_NO_CONTEXTLESS_CONNECT QT_NO_URL_CAST_FROM_STRING QT_NO_CAST_FROM_BYTEARRAY
    DS_VERSION="${PROJECT_VERSION}")

if(DS_SANITIZE)
    add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=address,undefined)
endif()

function(ds_strict target)
    target_link_libraries(${target} PRIVATE ds_strict_flags)
endfunction()
