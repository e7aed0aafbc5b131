# SPDX-License-Identifier: MIT
# ctest's last test in a sanitizer build (fixture cleanup): prints every ASan/UBSan/LSan report the
# tests and their child processes wrote to REPORTS, and fails if there is any.
# With -DCLEAR=ON (the first test, fixture setup): empties REPORTS for this run.
if(CLEAR)
    file(REMOVE_RECURSE ${REPORTS})
    file(MAKE_DIRECTORY ${REPORTS})
    return()
endif()
file(GLOB reports ${REPORTS}/*)
if(NOT reports)
    message(STATUS "sanitizer reports: none")
    return()
endif()
list(LENGTH reports count)
foreach(report ${reports})
    file(READ ${report} text)
    message("---- ${report}\n${text}")
endforeach()
message(FATAL_ERROR "sanitizer reports: ${count} (above; file name = test.sanitizer.pid)")
