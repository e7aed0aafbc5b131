# SPDX-License-Identifier: MIT
# Runs scripts/check_layering.sh on a copy of core/: the copy as it is must pass (exit 0); with a
# planted wrong-way include (store -> sim) it must fail (exit 1) and name the broken arrow; a
# module folder without a row must fail too.
# usage: cmake -DSOURCE_DIR=... -DWORK=<scratch folder> -P check_rules.cmake
foreach(var SOURCE_DIR WORK)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "check_rules.cmake: -D${var}= is missing")
    endif()
endforeach()
set(script ${SOURCE_DIR}/scripts/check_layering.sh)

# Returns in `result` the exit code and in `output` what the check printed.
function(check root)
    execute_process(COMMAND bash ${script} ${root}
        RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
    set(result ${code} PARENT_SCOPE)
    set(output "${out}${err}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
file(COPY ${SOURCE_DIR}/core DESTINATION ${WORK} FILES_MATCHING
    PATTERN "*.h" PATTERN "*.cpp" PATTERN "layering.txt")

check(${WORK})
if(NOT result EQUAL 0)
    message(FATAL_ERROR "the untouched copy of core/ fails the check (exit ${result}):\n${output}")
endif()

file(APPEND ${WORK}/core/store/run_reader.h "#include \"core/sim/session.h\"\n")
check(${WORK})
if(NOT result EQUAL 1)
    message(FATAL_ERROR "a planted store -> sim include passed the check (exit ${result})")
endif()
set(expected "check: core/store/run_reader.h includes core/sim/session.h — store may depend on: types")
string(FIND "${output}" "${expected}" at)
if(at EQUAL -1)
    message(FATAL_ERROR "the check failed but did not name the arrow; expected\n  ${expected}\n"
                        "got\n${output}")
endif()

file(COPY ${SOURCE_DIR}/core/types DESTINATION ${WORK}/norow FILES_MATCHING PATTERN "*.h")
file(COPY ${SOURCE_DIR}/core/layering.txt DESTINATION ${WORK}/norow/core)
file(RENAME ${WORK}/norow/types ${WORK}/norow/core/types)
file(MAKE_DIRECTORY ${WORK}/norow/core/rowless)
file(WRITE ${WORK}/norow/core/rowless/grid.h "#pragma once\n")
check(${WORK}/norow)
if(NOT result EQUAL 1 OR NOT output MATCHES "core/rowless has no row in core/layering.txt")
    message(FATAL_ERROR "a module without a row passed the check (exit ${result}):\n${output}")
endif()
message(STATUS "check_layering.sh passes the tree, names the planted store -> sim arrow, "
               "refuses a module without a row")
