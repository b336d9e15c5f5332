# Settlement throughput benchmark (issue 6). The library is what `marketbridge bench settlement`
# links; the executable is the standalone entry.
add_library(mb_settlement_bench STATIC ${CMAKE_CURRENT_LIST_DIR}/settlement_bench.cpp)
target_include_directories(mb_settlement_bench PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(mb_settlement_bench PUBLIC mb_core PRIVATE nlohmann_json::nlohmann_json)
target_compile_definitions(mb_settlement_bench PRIVATE MB_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
mb_warnings(mb_settlement_bench)

add_executable(settlement_bench ${CMAKE_CURRENT_LIST_DIR}/settlement_bench_main.cpp)
target_link_libraries(settlement_bench PRIVATE mb_settlement_bench)
# bench/settlement_bench, as the issue names it, next to the other build outputs.
set_target_properties(settlement_bench PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bench)
mb_warnings(settlement_bench)
