# docs_benchmarks_up_to_date: every page and plot of docs/benchmarks/ is byte for byte what
# `triton bench report bench/results --out DIR` makes of the committed results files, and
# docs/benchmarks/ holds no page or plot the report no longer makes.
#   cmake -DTRITON=path/to/triton -DSOURCE_DIR=repo -DOUT=scratch-dir -P docs_benchmarks_check.cmake
cmake_minimum_required(VERSION 3.25)
foreach(v TRITON SOURCE_DIR OUT)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "docs_benchmarks_check.cmake: -D${v}=... is required")
  endif()
endforeach()
set(committed_dir "${SOURCE_DIR}/docs/benchmarks")
file(REMOVE_RECURSE "${OUT}")
execute_process(
  COMMAND "${TRITON}" bench report "${SOURCE_DIR}/bench/results" --out "${OUT}"
  WORKING_DIRECTORY "${SOURCE_DIR}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "`triton bench report bench/results` failed (exit ${rc}):\n${out}${err}")
endif()

file(GLOB generated RELATIVE "${OUT}" "${OUT}/*")
file(GLOB committed RELATIVE "${committed_dir}" "${committed_dir}/*.md" "${committed_dir}/*.svg")
set(problems "")
foreach(f IN LISTS generated)
  if(NOT EXISTS "${committed_dir}/${f}")
    string(APPEND problems "  missing:   docs/benchmarks/${f}\n")
    continue()
  endif()
  execute_process(COMMAND "${CMAKE_COMMAND}" -E compare_files "${OUT}/${f}" "${committed_dir}/${f}"
    RESULT_VARIABLE same)
  if(NOT same EQUAL 0)
    string(APPEND problems "  differs:   docs/benchmarks/${f}\n")
  endif()
endforeach()
foreach(f IN LISTS committed)
  if(NOT "${f}" IN_LIST generated)
    string(APPEND problems "  stale (the report does not make it): docs/benchmarks/${f}\n")
  endif()
endforeach()
if(problems)
  message(FATAL_ERROR
    "docs/benchmarks/ is not what bench/results/ generates:\n${problems}"
    "Regenerate from the repository root with:\n"
    "  triton bench report bench/results --out docs/benchmarks\n"
    "(the freshly generated files are in ${OUT})")
endif()
list(LENGTH generated n)
message(STATUS "docs/benchmarks/ is up to date (${n} files)")
