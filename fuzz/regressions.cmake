# fuzz_regressions_test: built in the normal build (included from bench/CMakeLists.txt, because
# the fuzz/ folder itself is only added with TRITON_BUILD_FUZZERS). It runs every file in
# fuzz/regressions/ and fuzz/corpus/, and generated hostile inputs (deep nesting, huge
# identifiers and numbers, random bytes), through the same checks as the fuzzer.
if(NOT TRITON_BUILD_TESTS)
  return()
endif()
triton_test(fuzz_regressions_test
  SRCS ${PROJECT_SOURCE_DIR}/fuzz/regressions_test.cc ${PROJECT_SOURCE_DIR}/fuzz/frontend_input.cc
  LIBS triton_driver nlohmann_json::nlohmann_json)
target_compile_definitions(fuzz_regressions_test PRIVATE
  TRITON_FUZZ_DIR="${PROJECT_SOURCE_DIR}/fuzz")
