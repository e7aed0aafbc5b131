# SPDX-License-Identifier: MIT
# Compiles (syntax only, with the compiler of the build) one-line files against the include view
# the build gave core/store, the way the store's own sources are compiled:
#   1. a sim header from the store's view: must FAIL, and fail because the header is not there;
#   2. the same file against the full view (the repository root): must compile, so 1 failed
#      because of the view and not because of the header;
#   3. an allowed header (types) and the store's own header from the store's view: must compile.
# usage: cmake -DCXX=... -DSOURCE_DIR=... -DVIEWS=<build>/include_views -DQT_INCLUDES=a|b
#        -DWORK=<scratch folder> -P wrong_way_include.cmake
foreach(var CXX SOURCE_DIR VIEWS QT_INCLUDES WORK)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "wrong_way_include.cmake: -D${var}= is missing")
    endif()
endforeach()
if(NOT IS_DIRECTORY ${VIEWS}/store/core/types)
    message(FATAL_ERROR "no include view for store at ${VIEWS}/store (configure the build first)")
endif()
string(REPLACE "|" ";" qt_includes "${QT_INCLUDES}")
set(qt_flags "")
foreach(dir IN LISTS qt_includes)
    list(APPEND qt_flags -isystem ${dir})
endforeach()
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})

# Returns in `result` the compiler's exit code and in `output` what it said.
function(compile name include_dir text)
    file(WRITE ${WORK}/${name}.cpp "${text}\nint main() { return 0; }\n")
    execute_process(
        COMMAND ${CXX} -std=c++20 -fPIC -fsyntax-only -I${include_dir} ${qt_flags}
                ${WORK}/${name}.cpp
        RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
    set(result ${code} PARENT_SCOPE)
    set(output "${out}${err}" PARENT_SCOPE)
endfunction()

set(wrong "#include \"core/sim/session_observer.h\"")
compile(wrong_way ${VIEWS}/store "${wrong}")
if(result EQUAL 0)
    message(FATAL_ERROR "store included a sim header and it compiled: the include view lets a "
                        "wrong-way arrow through")
endif()
if(NOT output MATCHES "core/sim/session_observer\\.h: No such file")
    message(FATAL_ERROR "store's wrong-way include failed, but not for the missing header:\n"
                        "${output}")
endif()

compile(full_view ${SOURCE_DIR} "${wrong}")
if(NOT result EQUAL 0)
    message(FATAL_ERROR "the same file does not compile with the full view either, so the test "
                        "proves nothing:\n${output}")
endif()

compile(allowed ${VIEWS}/store
    "#include \"core/types/run_status.h\"\n#include \"core/store/run_info.h\"")
if(NOT result EQUAL 0)
    message(FATAL_ERROR "store could not include what its row allows:\n${output}")
endif()
message(STATUS "store -> sim refused by the compiler; store -> types and store -> store compile")
