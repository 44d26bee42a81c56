// The README example: continue an incoming trace and forward it.
#include <baton/baton.hpp>
#include <iostream>

int main() {
  baton::http_headers incoming;  // or any map, or your framework's headers via carrier_traits
  incoming.add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  incoming.add("tracestate", "rojo=00f067aa0ba902b7, congo=t61rcWkgMzE");

  baton::trace_context_extraction in = baton::extract_trace_context(incoming);
  baton::span_context span = in.valid() ? in.context.child()  // same trace, new span id
                                        : baton::span_context::new_root(/*sampled=*/true);

  baton::http_headers outgoing;
  baton::inject_trace_context(span, outgoing);
  for (const auto& field : outgoing) std::cout << field.name << ": " << field.value << '\n';
}
