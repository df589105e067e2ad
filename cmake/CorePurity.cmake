# minerx_check_core_purity(<target>)
#
# The core is events-in/actions-out logic compiled into both the daemons and the simulator, so it
# must not link anything that does I/O, keeps time, owns threads or simulates: SimGrid, sockets and
# HTTP (Boost.Asio/Beast, Boost.System), databases (SQLite), thread runtimes (pthread, OpenMP).
# This check walks the target's link libraries, transitively, at configure time and fails the
# configure step if one of them matches. tests/core_purity_test.sh checks the sources likewise.

set(MINERX_FORBIDDEN_CORE_LIBRARIES
  simgrid SimGrid sqlite3 SQLite Threads pthread gomp OpenMP boost_system boost_thread
  Boost::system Boost::thread boost_asio Boost::asio ssl crypto curl)

function(_minerx_collect_links target out_var)
  set(seen ${${out_var}})
  get_target_property(links ${target} INTERFACE_LINK_LIBRARIES)
  get_target_property(direct ${target} LINK_LIBRARIES)
  foreach(lib IN LISTS links direct)
    if(NOT lib OR lib MATCHES "NOTFOUND$" OR lib IN_LIST seen)
      continue()
    endif()
    string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" lib "${lib}")
    list(APPEND seen "${lib}")
    if(TARGET ${lib})
      _minerx_collect_links(${lib} seen)
    endif()
  endforeach()
  set(${out_var} ${seen} PARENT_SCOPE)
endfunction()

function(minerx_check_core_purity target)
  set(all "")
  _minerx_collect_links(${target} all)
  foreach(lib IN LISTS all)
    foreach(bad IN LISTS MINERX_FORBIDDEN_CORE_LIBRARIES)
      if(lib MATCHES "(^|[/:_-])${bad}([.:_-]|$)")
        message(FATAL_ERROR
          "core purity: target '${target}' links '${lib}' (matches '${bad}'). core/ must not depend "
          "on SimGrid, networking, databases or threads; move that code to runners/ or sim/.")
      endif()
    endforeach()
  endforeach()
  message(STATUS "core purity: ${target} links only: ${all}")
endfunction()
