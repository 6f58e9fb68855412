# DS_FUZZ: instrument everything for libFuzzer (clang only), with ASan and UBSan.
# Included from the top-level CMakeLists.txt before the model library is defined,
# so the model is built with -fsanitize=fuzzer-no-link and the targets in
# tests/fuzz link libFuzzer's main. Build in its own folder with the `fuzz` preset
# (clang, no GUI, only the fuzz targets; build/fuzz), which scripts/run-fuzz.sh runs:
#   cmake --preset fuzz && cmake --build --preset fuzz && ctest --preset fuzz
option(DS_FUZZ "Build the libFuzzer targets of tests/fuzz (needs clang)" OFF)
if(DS_FUZZ)
    if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
        message(FATAL_ERROR "DS_FUZZ needs clang: configure with CC=clang CXX=clang++ in a separate build folder")
    endif()
    add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                        -fno-sanitize-recover=undefined -gline-tables-only)
    add_link_options(-fsanitize=address,undefined)
endif()
