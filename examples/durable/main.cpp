// The invoiceCustomer flow on the example durable runtime, with suspensions and a crash, writing
// each span once as an OTLP/JSON line (an ExportTraceServiceRequest) to stdout. The schedule:
//   invocation 1: boot span, parent opened, computeCustomerInvoice runs and is stored, suspend
//   invocation 2: replays the three stored steps; emailCustomerInvoice runs (its span is
//                 emitted) and the process dies before the engine stores the result
//   invocation 3: replays; emailCustomerInvoice runs again: same span id, dropped by the guard;
//                 the parent is closed covering both children
// The clock is simulated so that the output is the same on every run (the CTest check relies on
// it); a real handler passes a wall clock, e.g. nanoseconds since the epoch of
// std::chrono::system_clock::now(). Pass --wall-clock to see that.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>

#include "baton/durable.hpp"
#include "baton/otlp_json.hpp"
#include "durable_runtime.hpp"
#include "invoice_flow.hpp"

namespace {

std::uint64_t wall_clock_ns() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

}  // namespace

int main(int argc, char** argv) {
  const bool wall = argc > 1 && std::strcmp(argv[1], "--wall-clock") == 0;
  std::uint64_t simulated = 1750000000000000000u;  // 2025-06-15T15:06:40Z
  auto now = [&]() -> std::uint64_t { return wall ? wall_clock_ns() : (simulated += 1500000); };

  // Producer (Depot's handleEvent): stamps triggeredAt and injects its context into the task.
  const baton::span_context producer{*baton::trace_id::from_hex("4bf92f3577b34da6a3ce929d0e0e4736"),
                                     *baton::span_id::from_hex("00f067aa0ba902b7"),
                                     baton::trace_flags().with_sampled(true),
                                     {},
                                     false};
  const durable_example::invoice_payload payload =
      durable_example::enqueue_invoice(producer, now() / 1000000, "cus_42");
  simulated += 326000000;  // 326 ms in the queue before the function boots

  // Consumer: a guarded OTLP/JSON line sink on stdout.
  baton::otlp_resource resource;
  resource.service_name = "invoice-orchestrator";
  baton::otlp_json_line_sink<baton::otlp_file_writer> otlp(baton::otlp_file_writer{stdout},
                                                           resource);
  baton::emission_guard guard;
  auto sink = baton::guarded_sink(std::ref(otlp), guard);

  durable_example::hooks hooks;
  bool crashed_once = false;
  hooks.after = [&](std::size_t, std::string_view name) {
    if (name == "computeCustomerInvoice") return durable_example::after_step::store_and_suspend;
    if (name == "emailCustomerInvoice" && !crashed_once) {
      crashed_once = true;
      return durable_example::after_step::crash;
    }
    return durable_example::after_step::store;
  };
  durable_example::invoice_services services;
  services.table_scan = [](const std::string&) { return std::int64_t{1299}; };
  services.email = [](const std::string& customer, std::int64_t usage) {
    return "msg-" + customer + "-" + std::to_string(usage);
  };

  durable_example::journal journal;
  durable_example::invoice_result result;
  const durable_example::run_report report = durable_example::run_execution(
      "exec-7f3a", journal, hooks,
      [&](durable_example::invocation_context& ctx) {
        result = durable_example::invoice_customer(ctx, payload, services, sink, now);
      },
      [&](durable_example::stop_reason) { simulated += 60000000000u; });  // a minute later

  std::fflush(stdout);  // the spans first, then the summary (the CTest check reads both)
  std::fprintf(stderr,
               "completed=%d invocations=%zu suspensions=%zu crashes=%zu bodies_run=%zu "
               "repeats_dropped=%llu usage=%lld message=%s\n",
               report.completed ? 1 : 0, report.invocations, report.suspensions, report.crashes,
               report.bodies_run, static_cast<unsigned long long>(guard.repeats()),
               static_cast<long long>(result.usage), result.message_id.c_str());
  return report.completed && result.completed ? 0 : 1;
}
