# CTest test (abi.symbols): every baton:: symbol in BINARY must be inside the versioned inline
# namespace baton::ABI_NAMESPACE, i.e. every declaration sits between BATON_BEGIN_NAMESPACE and
# BATON_END_NAMESPACE.
#   cmake -DNM=nm -DBINARY=... -DABI_NAMESPACE=v0_1_0 -P check_symbols.cmake
execute_process(COMMAND "${NM}" -C "${BINARY}" RESULT_VARIABLE rc OUTPUT_VARIABLE symbols
                ERROR_VARIABLE error)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${NM} -C ${BINARY} failed (${rc}): ${error}")
endif()
string(REGEX MATCHALL "baton::[A-Za-z0-9_]+" names "${symbols}")
if(NOT names)
  message(FATAL_ERROR "no baton:: symbols in ${BINARY}: cannot check the namespace")
endif()
list(REMOVE_DUPLICATES names)
list(REMOVE_ITEM names "baton::${ABI_NAMESPACE}")
if(names)
  # Show the offending symbols, not only their first component.
  string(REPLACE ";" "\\;" symbols "${symbols}")
  string(REPLACE "\n" ";" lines "${symbols}")
  set(bad "")
  foreach(line IN LISTS lines)
    foreach(name IN LISTS names)
      string(FIND "${line}" "${name}" at)
      if(NOT at EQUAL -1)
        list(APPEND bad "${line}")
        break()
      endif()
    endforeach()
  endforeach()
  list(JOIN bad "\n  " bad)
  message(FATAL_ERROR "symbols outside baton::${ABI_NAMESPACE}:\n  ${bad}")
endif()
message(STATUS "every baton:: symbol in ${BINARY} is in baton::${ABI_NAMESPACE}")
