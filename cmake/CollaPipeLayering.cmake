# SPDX-License-Identifier: MIT
# The module layering of core/ (architecture.md "Modules"), enforced by the compiler.
#
# core/layering.txt names, once, which modules each core module may use. From it every core
# module gets
#   - a PRIVATE include path that is an "include view": ${PROJECT_BINARY_DIR}/include_views/<m>/
#     holding core/<d> symlinks only for <m> itself and the modules it may reach (its row, and
#     their rows, transitively). A header of any other module is simply not there, so a
#     wrong-way #include "core/<other>/..." fails to compile with "No such file or directory";
#   - a link line that is exactly its row (collapipe_<d> for each d).
# Front ends and tests (ui/, app/, tests/) keep the full view: the repository root.

set(COLLAPIPE_LAYERING_TABLE ${PROJECT_SOURCE_DIR}/core/layering.txt)
set(COLLAPIPE_INCLUDE_VIEWS ${PROJECT_BINARY_DIR}/include_views)

# Reads the table into the global properties COLLAPIPE_LAYER_MODULES (in file order) and
# COLLAPIPE_LAYER_DEPS_<module>. A malformed row or an unknown dependency stops the configure.
function(collapipe_layering_read)
    set_property(DIRECTORY ${PROJECT_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
                 ${COLLAPIPE_LAYERING_TABLE})
    file(STRINGS ${COLLAPIPE_LAYERING_TABLE} lines)
    set(modules "")
    foreach(line IN LISTS lines)
        string(STRIP "${line}" line)
        if(line STREQUAL "" OR line MATCHES "^#")
            continue()
        endif()
        if(NOT line MATCHES "^([a-z_]+):(.*)$")
            message(FATAL_ERROR "core/layering.txt: row '${line}' is not 'module: deps...'")
        endif()
        set(module ${CMAKE_MATCH_1})
        string(STRIP "${CMAKE_MATCH_2}" deps)
        separate_arguments(deps UNIX_COMMAND "${deps}")
        foreach(dep IN LISTS deps)
            # Lowest first: a row may name only modules of the rows above it (no cycles).
            if(NOT dep IN_LIST modules)
                message(FATAL_ERROR "core/layering.txt: '${module}' depends on '${dep}', which has "
                                    "no row above it")
            endif()
        endforeach()
        list(APPEND modules ${module})
        set_property(GLOBAL PROPERTY COLLAPIPE_LAYER_DEPS_${module} "${deps}")
    endforeach()
    set_property(GLOBAL PROPERTY COLLAPIPE_LAYER_MODULES "${modules}")
endfunction()

# The modules `module` may reach: its row, and their rows, transitively (without itself).
function(collapipe_layering_reach module out)
    get_property(pending GLOBAL PROPERTY COLLAPIPE_LAYER_DEPS_${module})
    set(reach "")
    while(pending)
        list(POP_FRONT pending dep)
        if(NOT dep IN_LIST reach)
            list(APPEND reach ${dep})
            get_property(more GLOBAL PROPERTY COLLAPIPE_LAYER_DEPS_${dep})
            list(APPEND pending ${more})
        endif()
    endwhile()
    set(${out} "${reach}" PARENT_SCOPE)
endfunction()

# Builds (afresh, so a row that lost a dependency loses its link too) the include view of
# `module` and returns its folder.
function(collapipe_layering_view module out)
    get_property(modules GLOBAL PROPERTY COLLAPIPE_LAYER_MODULES)
    if(NOT module IN_LIST modules)
        message(FATAL_ERROR "core/${module} has no row in core/layering.txt: add one")
    endif()
    collapipe_layering_reach(${module} reach)
    set(view ${COLLAPIPE_INCLUDE_VIEWS}/${module})
    file(REMOVE_RECURSE ${view})
    file(MAKE_DIRECTORY ${view}/core)
    foreach(dep IN ITEMS ${module} LISTS reach)
        file(CREATE_LINK ${PROJECT_SOURCE_DIR}/core/${dep} ${view}/core/${dep} SYMBOLIC)
    endforeach()
    set(${out} ${view} PARENT_SCOPE)
endfunction()

# Applies the table to the target collapipe_<module>: private include view, link line = row.
# The repository root is offered only to consumers that are not core modules (the generator
# expression is evaluated on the consuming target), so a core module cannot see past its view
# through a dependency's usage requirements.
function(collapipe_layering_apply module)
    set(target collapipe_${module})
    collapipe_layering_view(${module} view)
    set_target_properties(${target} PROPERTIES COLLAPIPE_LAYER_MODULE ${module})
    get_target_property(type ${target} TYPE)
    if(type STREQUAL "INTERFACE_LIBRARY")
        set(scope INTERFACE)
    else()
        set(scope PUBLIC)
        target_include_directories(${target} PRIVATE ${view})
    endif()
    target_include_directories(${target} INTERFACE
        $<$<STREQUAL:$<TARGET_PROPERTY:COLLAPIPE_LAYER_MODULE>,>:${PROJECT_SOURCE_DIR}>)
    get_property(deps GLOBAL PROPERTY COLLAPIPE_LAYER_DEPS_${module})
    foreach(dep IN LISTS deps)
        target_link_libraries(${target} ${scope} collapipe_${dep})
    endforeach()
endfunction()

collapipe_layering_read()
