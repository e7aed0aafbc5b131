# SPDX-License-Identifier: MIT
# Shared compile settings for every CollaPipe target.

add_library(collapipe_warnings INTERFACE)
if(COLLAPIPE_FUZZ)
    if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
        message(FATAL_ERROR "COLLAPIPE_FUZZ needs clang (libFuzzer): -DCMAKE_CXX_COMPILER=clang++")
    endif()
    # Every library the harnesses link carries libFuzzer's coverage feedback; the harness
    # executables add the fuzzer runtime itself (tests/fuzz/CMakeLists.txt).
    set(COLLAPIPE_SANITIZE ON)
    target_compile_options(collapipe_warnings INTERFACE -fsanitize=fuzzer-no-link)
endif()
target_compile_options(collapipe_warnings INTERFACE -Wall -Wextra -Wpedantic)
if(COLLAPIPE_WERROR)
    target_compile_options(collapipe_warnings INTERFACE -Werror)
endif()
if(COLLAPIPE_SANITIZE)
    # Every report is fatal (-fno-sanitize-recover=all): a UBSan finding stops the test that hit
    # it instead of scrolling past. The runtime options (leaks, suppressions, report files) are set
    # per test below and by scripts/test.sh. -g1 (line tables only): reports name file:line at a
    # fraction of -g's build time.
    target_compile_options(collapipe_warnings INTERFACE -fsanitize=address,undefined
                           -fno-omit-frame-pointer -fno-sanitize-recover=all -g1)
    target_link_options(collapipe_warnings INTERFACE -fsanitize=address,undefined)
endif()
# lld links the ~100 executables (each test links Qt and the static libraries; under ASan also its
# runtime) in a fraction of GNU ld's time, which CI's budget needs in every build; scripts/setup.sh
# installs it. Without it, the default linker.
find_program(COLLAPIPE_LLD ld.lld)
if(COLLAPIPE_LLD)
    target_link_options(collapipe_warnings INTERFACE -fuse-ld=lld)
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

# A core module: a static library named collapipe_<name> with its folder's sources. Its include
# path and its links to other core modules come from core/layering.txt (CollaPipeLayering.cmake);
# DEPENDS names only what lies outside core (Qt, Eigen, SQLite).
function(collapipe_core_module name)
    cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS" ${ARGN})
    add_library(collapipe_${name} STATIC ${ARG_SOURCES})
    collapipe_layering_apply(${name})
    target_link_libraries(collapipe_${name} PUBLIC ${ARG_DEPENDS})
    set_target_properties(collapipe_${name} PROPERTIES AUTOMOC ON POSITION_INDEPENDENT_CODE ON)
    collapipe_qt_defaults(collapipe_${name})
endfunction()

# The Qt Test, Qt Widgets and QCustomPlot headers take most of a test source's compile time (a UI
# test: ~10 s parsing, under 1 s generating code), and CI compiles every test twice (Release and
# ASan). So the tests share precompiled headers: one per kind of test (Qt keyword mode x the Qt
# modules its libraries bring), built by the first test of the kind, REUSE_FROM by the others.
# GCC uses a precompiled header only when every -D matches the one it was built with, so:
#  - the tests link Qt Test through collapipe_qttest, without the per-folder QT_TESTCASE_BUILDDIR /
#    QT_TESTCASE_SOURCEDIR definitions of Qt6::Test (they serve QFINDTESTDATA, which no test uses);
#  - CMake adds -Winvalid-pch (an error with COLLAPIPE_WERROR): a test whose definitions drift
#    from its kind's fails to build instead of silently parsing everything again.
function(collapipe_test_precompiled_headers name relaxed libs)
    # The kind must follow the Qt modules the libraries bring (their QT_*_LIB definitions).
    if(libs MATCHES "collapipe_(ui|figures)|Qt6::Widgets")
        set(kind widgets)
        set(headers <QtWidgets>)
        if(relaxed)
            list(APPEND headers <qcustomplot.h>)
        endif()
    elseif(libs MATCHES "collapipe_editor|Qt6::Gui")
        set(kind gui)
        set(headers <QtGui>)
    else()
        set(kind core)
        set(headers)
    endif()
    set(key COLLAPIPE_TEST_PCH_${kind}_${relaxed})
    get_property(donor GLOBAL PROPERTY ${key})
    # AUTOMOC's mocs_compilation.cpp is empty for a test (its moc output is included by the test's
    # own source): loading the header there would cost seconds for nothing.
    set_source_files_properties(${CMAKE_CURRENT_BINARY_DIR}/${name}_autogen/mocs_compilation.cpp
        TARGET_DIRECTORY ${name} PROPERTIES SKIP_PRECOMPILE_HEADERS ON)
    if(donor)
        target_precompile_headers(${name} REUSE_FROM ${donor})
        return()
    endif()
    set_property(GLOBAL PROPERTY ${key} ${name})
    target_precompile_headers(${name} PRIVATE <algorithm> <memory> <string> <vector> <QDir>
        <QElapsedTimer> <QFile> <QJsonArray> <QJsonDocument> <QJsonObject> <QSignalSpy>
        <QTemporaryDir> <QTest> ${headers})
endfunction()

# Qt Test's headers and library, without Qt6::Test's per-folder definitions (see above).
function(collapipe_qttest_target)
    if(TARGET collapipe_qttest)
        return()
    endif()
    add_library(collapipe_qttest INTERFACE)
    target_link_libraries(collapipe_qttest INTERFACE $<LINK_ONLY:Qt6::Test> Qt6::Core)
    target_include_directories(collapipe_qttest SYSTEM INTERFACE
        $<TARGET_PROPERTY:Qt6::Test,INTERFACE_INCLUDE_DIRECTORIES>)
    target_compile_definitions(collapipe_qttest INTERFACE QT_TESTLIB_LIB)
endfunction()

# One Qt Test executable per unit, registered with CTest, run headless. XVFB: run it in a real X
# server instead (xvfb-run, a 1600 x 1000 screen, the xcb platform): for tests of what a user sees
# in a window (focus, key and mouse events, window sizes). Without xvfb-run such a test fails when
# CI=true and is otherwise reported as "Not Run" with the reason, never passed silently.
# WRAPPER script: run the test as `bash script TEST_EXECUTABLE` (e.g. inside a private Slurm,
# tests/experiment/slurm/with_slurm_cluster.sh); the script's exit code 77 means "Not Run".
function(collapipe_add_test name)
    cmake_parse_arguments(ARG "RELAXED;XVFB" "TIMEOUT;WRAPPER;COST" "SOURCES;LIBS" ${ARGN})
    add_executable(${name} ${ARG_SOURCES})
    set_target_properties(${name} PROPERTIES AUTOMOC ON)
    collapipe_qttest_target()
    target_link_libraries(${name} PRIVATE ${ARG_LIBS} collapipe_qttest)
    if(ARG_RELAXED)
        collapipe_qt_defaults(${name} RELAXED)
    else()
        collapipe_qt_defaults(${name})
    endif()
    target_compile_definitions(${name} PRIVATE
        COLLAPIPE_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
        COLLAPIPE_BINARY_DIR="${PROJECT_BINARY_DIR}")
    collapipe_test_precompiled_headers(${name} "${ARG_RELAXED}" "${ARG_LIBS}")
    if(ARG_XVFB)
        # Checked when the test runs, not at configure time: installing xvfb needs no re-configure.
        add_test(NAME ${name} COMMAND sh -c [=[
if command -v xvfb-run >/dev/null 2>&1; then
    exec xvfb-run -a -s "-screen 0 1600x1000x24" "$0"
fi
echo "not run: xvfb-run is missing (apt-get install xvfb xauth); this test needs a real X server"
if [ "${CI:-}" = true ]; then exit 1; fi
exit 77
]=] $<TARGET_FILE:${name}>)
        set_tests_properties(${name} PROPERTIES SKIP_RETURN_CODE 77)
        set(platform xcb)
    elseif(ARG_WRAPPER)
        add_test(NAME ${name} COMMAND bash ${ARG_WRAPPER} $<TARGET_FILE:${name}>)
        set_tests_properties(${name} PROPERTIES SKIP_RETURN_CODE 77)
        set(platform offscreen)
    else()
        add_test(NAME ${name} COMMAND ${name})
        set(platform offscreen)
    endif()
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 300)
    endif()
    if(COLLAPIPE_SANITIZE)
        # Limits are sized for Release; ASan + UBSan run the engine up to ~10x slower
        # (tests/sanitizer_build.h, kSlowdown, scales the limits inside the tests).
        math(EXPR ARG_TIMEOUT "${ARG_TIMEOUT} * 5")
    endif()
    set_tests_properties(${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT}
        ENVIRONMENT "QT_QPA_PLATFORM=${platform};COLLAPIPE_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
    if(ARG_COST)
        # ctest --parallel starts the costliest tests first, but a fresh clone (CI) has no cost
        # data yet and starts them in declaration order: a long test started last leaves one core
        # idle behind it. COST is the test's seconds under ASan, measured; only the long ones.
        set_tests_properties(${name} PROPERTIES COST ${ARG_COST})
    endif()
    collapipe_sanitizer_environment(${name} ${ARG_TIMEOUT})
endfunction()

# In a sanitizer build every test (and every process it starts, e.g. the `collapipe` binary run by
# the CLI tests) writes its reports to sanitizer-reports/<test>.*.<pid>: a report in a child whose
# exit code a test ignores is still seen. The fixture's cleanup test runs after the others, prints
# every report and fails if there is one ("zero reports"); abort_on_error also fails the test itself.
function(collapipe_sanitizer_environment name)
    if(NOT COLLAPIPE_SANITIZE)
        return()
    endif()
    if(ARGC GREATER 1)
        # QtTest's own watchdog (5 min per test function by default) must not cut a test short
        # that ctest's scaled TIMEOUT still allows.
        math(EXPR ms "${ARGV1} * 1000")
        set_property(TEST ${name} APPEND PROPERTY ENVIRONMENT "QTEST_FUNCTION_TIMEOUT=${ms}")
    endif()
    set(reports ${PROJECT_BINARY_DIR}/sanitizer-reports)
    set(supp ${PROJECT_SOURCE_DIR}/scripts/lsan_suppressions.txt)
    set_property(TEST ${name} APPEND PROPERTY ENVIRONMENT
        "ASAN_OPTIONS=abort_on_error=1:halt_on_error=1:detect_leaks=1:check_initialization_order=1:strict_init_order=1:log_path=${reports}/${name}.asan"
        "UBSAN_OPTIONS=abort_on_error=1:halt_on_error=1:print_stacktrace=1:log_path=${reports}/${name}.ubsan"
        "LSAN_OPTIONS=suppressions=${supp}:print_suppressions=0"
        "COLLAPIPE_SANITIZER_BUILD=1")
    set_property(TEST ${name} APPEND PROPERTY FIXTURES_REQUIRED sanitizer_reports)
    # Once for the whole tree: `if(TEST ...)` sees only the current directory, and a second
    # "clear" starting mid-run would delete reports that no "none" had checked yet.
    get_property(fixture_added GLOBAL PROPERTY COLLAPIPE_SANITIZER_FIXTURE)
    if(NOT fixture_added)
        set_property(GLOBAL PROPERTY COLLAPIPE_SANITIZER_FIXTURE ON)
        # The folder must exist: a sanitizer that cannot open its log file loses the report.
        file(MAKE_DIRECTORY ${reports})
        add_test(NAME sanitizer_reports_clear COMMAND ${CMAKE_COMMAND} -DREPORTS=${reports}
            -DCLEAR=ON -P ${PROJECT_SOURCE_DIR}/cmake/check_sanitizer_reports.cmake)
        add_test(NAME sanitizer_reports_none COMMAND ${CMAKE_COMMAND} -DREPORTS=${reports}
            -P ${PROJECT_SOURCE_DIR}/cmake/check_sanitizer_reports.cmake)
        set_tests_properties(sanitizer_reports_clear PROPERTIES FIXTURES_SETUP sanitizer_reports)
        set_tests_properties(sanitizer_reports_none PROPERTIES FIXTURES_CLEANUP sanitizer_reports)
    endif()
endfunction()

# Called at the top of a folder's CMakeLists.txt: in a sanitizer build, the objects created there
# compile at -O1 (after the build type's -O3 on the command line, so it wins). For the Studio's
# widgets, the tests' own code and the glue around the engine (scenario files, the store's SQL
# calls, the experiment runner, the CLI), whose speed no test measures, ASan instrumentation at
# -O3 costs build time CI's 25-minute budget cannot hold (issue [2/7]: -O1 halves those objects'
# compile time); the arithmetic where the tests spend their time (channel, pipeline, cost,
# optimizer, trainer, sim) keeps the build type's optimization. -O1 is also what ASan's documentation suggests
# for readable reports. The fuzz build keeps -O3: libFuzzer's exec rate is its budget.
macro(collapipe_sanitizer_light_optimization)
    if(COLLAPIPE_SANITIZE AND NOT COLLAPIPE_FUZZ)
        add_compile_options(-O1)
    endif()
endmacro()

# Called by tests/CMakeLists.txt before the test folders whose own code is glue around the
# libraries (all but the trainer's and the benchmarks). CI builds every test twice on 2 cores
# (issue [2/7], 25 minutes): there, what the tests' own objects cost to compile is budget.
# - Release: -O1 (the code under test, in the libraries, keeps -O3; -O1 still defines
#   __OPTIMIZE__, so the shared precompiled headers stay valid for -O3 folders).
# - ASan + UBSan: the tests' own objects get ASan without use-after-scope poisoning (a scope
#   check around every temporary of every QCOMPARE) and without UBSan's checks (a check per
#   arithmetic step and pointer use of the test's glue: 35-40 % of such an object's compile time,
#   measured on tst_cli_run and tst_run_overlay); the libraries, the CLI and the Studio, the code
#   under test, keep both. The executables still link both runtimes.
# The fuzz build keeps everything: its harnesses live under tests/ too.
macro(collapipe_test_code_options)
    if(COLLAPIPE_FUZZ)
    elseif(COLLAPIPE_SANITIZE)
        add_compile_options(-fno-sanitize-address-use-after-scope -fno-sanitize=undefined)
    elseif(CMAKE_BUILD_TYPE STREQUAL "Release")
        add_compile_options(-O1)
    endif()
endmacro()
