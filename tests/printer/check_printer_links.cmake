# check_printer_links.cmake — ctest printer_links_without_core (issue 10): the printer driver
# links without the core's SQLite and NATS. cmake -DBINARY=... -DLINK_TXT=... -DASSETS=... -P this.
#  1. the link line CMake wrote for printer_only_check (Makefile generators: link.txt) names no
#     csc_core, sqlite3 or nats — the link interface of csc_printer, whatever --as-needed drops;
#  2. ldd of the program lists no libsqlite3 or libnats;
#  3. the program runs: it reads the installed profiles and encodes a ticket.
foreach(var BINARY LINK_TXT ASSETS)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check_printer_links.cmake needs -D${var}=...")
  endif()
endforeach()

set(forbidden "csc_core|sqlite3|libnats|-lnats")
if(EXISTS "${LINK_TXT}")
  file(READ "${LINK_TXT}" link_line)
  if(link_line MATCHES "(${forbidden})")
    message(FATAL_ERROR "printer_only_check's link line names '${CMAKE_MATCH_1}':\n${link_line}")
  endif()
  message(STATUS "link line: no csc_core, SQLite or NATS")
else()
  message(STATUS "no ${LINK_TXT} (not a Makefile generator): checking ldd only")
endif()

execute_process(COMMAND ldd "${BINARY}" OUTPUT_VARIABLE ldd_out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "ldd ${BINARY} failed (${rc})")
endif()
if(ldd_out MATCHES "(libsqlite3|libnats)")
  message(FATAL_ERROR "printer_only_check loads ${CMAKE_MATCH_1}:\n${ldd_out}")
endif()
message(STATUS "ldd: no libsqlite3, no libnats")

execute_process(COMMAND "${BINARY}" "${ASSETS}" OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "printer_only_check failed (${rc}): ${err}")
endif()
message(STATUS "printer_only_check: ${out}")
