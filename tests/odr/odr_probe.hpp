// What each translation unit of the ODR test reports about the library it sees.
#ifndef BATON_TEST_ODR_PROBE_HPP
#define BATON_TEST_ODR_PROBE_HPP

#include <string>

struct odr_probe {
  const void* category = nullptr;          // &baton::error_category(): one function-local static
  const void* version_variable = nullptr;  // &baton::version_string: one inline variable
  const void* size_variable = nullptr;     // &baton::traceparent_size: one inline variable
  std::string formatted;                   // format_traceparent(parse_traceparent(example))
  std::string error_name;                  // to_string() of the error for a bad value
  std::string category_name;               // error_category().name()
};

odr_probe odr_probe_a();
odr_probe odr_probe_b();

#endif  // BATON_TEST_ODR_PROBE_HPP
