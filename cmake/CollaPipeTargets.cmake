# SPDX-License-Identifier: MIT
# Shared compile settings for every CollaPipe target.

add_library(collapipe_warnings INTERFACE)
target_compile_options(collapipe_warnings INTERFACE -Wall -Wextra -Wpedantic)
if(COLLAPIPE_WERROR)
    target_compile_options(collapipe_warnings INTERFACE -Werror)
endif()
if(COLLAPIPE_SANITIZE)
    target_compile_options(collapipe_warnings INTERFACE -fsanitize=address,undefined
                           -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(collapipe_warnings INTERFACE -fsanitize=address,undefined)
endif()
if(COLLAPIPE_NATIVE)
    # GCC 12 reports -Wmaybe-uninitialized inside avx512fintrin.h when Eigen is built with AVX-512.
    target_compile_options(collapipe_warnings INTERFACE -march=native -Wno-maybe-uninitialized)
endif()

# Strict Qt: no implicit ASCII casts, no foreach, no keywords (Q_SIGNALS/Q_SLOTS/Q_EMIT instead).
# Targets that include qcustomplot.h cannot use QT_NO_KEYWORDS: use collapipe_qt_defaults(... RELAXED).
function(collapipe_qt_defaults target)
    cmake_parse_arguments(ARG "RELAXED" "" "" ${ARGN})
    target_link_libraries(${target} PRIVATE collapipe_warnings)
    target_compile_definitions(${target} PRIVATE QT_NO_CAST_FROM_ASCII QT_NO_URL_CAST_FROM_STRING
                               QT_DISABLE_DEPRECATED_BEFORE=0x060400)
    if(NOT ARG_RELAXED)
        target_compile_definitions(${target} PRIVATE QT_NO_KEYWORDS QT_NO_FOREACH)
    endif()
    # RELAXED: qcustomplot.h 2.1 also uses `foreach` in its templates, so QT_NO_FOREACH must go too.
endfunction()

# A core module: a static library named collapipe_<name> with its folder's sources.
function(collapipe_core_module name)
    cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS" ${ARGN})
    add_library(collapipe_${name} STATIC ${ARG_SOURCES})
    target_include_directories(collapipe_${name} PUBLIC ${PROJECT_SOURCE_DIR})
    target_link_libraries(collapipe_${name} PUBLIC ${ARG_DEPENDS})
    set_target_properties(collapipe_${name} PROPERTIES AUTOMOC ON POSITION_INDEPENDENT_CODE ON)
    collapipe_qt_defaults(collapipe_${name})
endfunction()

# One Qt Test executable per unit, registered with CTest, run headless.
function(collapipe_add_test name)
    cmake_parse_arguments(ARG "RELAXED" "TIMEOUT" "SOURCES;LIBS" ${ARGN})
    add_executable(${name} ${ARG_SOURCES})
    set_target_properties(${name} PROPERTIES AUTOMOC ON)
    target_link_libraries(${name} PRIVATE ${ARG_LIBS} Qt6::Test)
    if(ARG_RELAXED)
        collapipe_qt_defaults(${name} RELAXED)
    else()
        collapipe_qt_defaults(${name})
    endif()
    target_compile_definitions(${name} PRIVATE
        COLLAPIPE_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
        COLLAPIPE_BINARY_DIR="${PROJECT_BINARY_DIR}")
    add_test(NAME ${name} COMMAND ${name})
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 300)
    endif()
    set_tests_properties(${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT}
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;COLLAPIPE_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()
