# Runs one libFuzzer binary for a few seconds (CTest fuzz.<name>.smoke). The seed corpus is
# copied to WORK_DIR first, so new inputs and crash artifacts land in the build tree, never in
# the source tree.
#   cmake -DFUZZER=<binary> -DCORPUS=<seed dir> -DWORK_DIR=<scratch dir> -DSECONDS=5
#         [-DDICT=<file.dict>] -P BatonFuzzSmoke.cmake
foreach(var IN ITEMS FUZZER CORPUS WORK_DIR SECONDS)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "BatonFuzzSmoke.cmake: ${var} is not set")
  endif()
endforeach()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}/corpus" "${WORK_DIR}/artifacts")
if(IS_DIRECTORY "${CORPUS}")
  file(COPY "${CORPUS}/" DESTINATION "${WORK_DIR}/corpus")
endif()

set(args -max_total_time=${SECONDS} -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
         "-artifact_prefix=${WORK_DIR}/artifacts/")
if(DICT)
  list(APPEND args "-dict=${DICT}")
endif()
execute_process(COMMAND "${FUZZER}" ${args} "${WORK_DIR}/corpus"
                WORKING_DIRECTORY "${WORK_DIR}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(GLOB artifacts "${WORK_DIR}/artifacts/*")
  message(FATAL_ERROR "${FUZZER} failed (${rc}); reproducer(s): ${artifacts}")
endif()
