# Every project target builds warning-clean.
function(mb_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror)
  # GCC 12 at -O2 reports false -Wrestrict overlaps inside std::string's own memcpy (GCC bug 105329);
  # the warning names libstdc++ code, never ours, so it is switched off rather than worked around.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
endfunction()
