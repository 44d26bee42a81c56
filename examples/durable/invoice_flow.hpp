// The invoiceCustomer flow of Depot's "Observing Lambda durable functions", traced with baton:
// a producer stamps the enqueue time into baggage and injects its context into the payload; the
// durable handler emits the queue-wait span ("orchestrate.boot") once, opens the parent span
// ("invoiceCustomer") in a step, runs computeCustomerInvoice and emailCustomerInvoice as child
// steps with spans, and closes the parent in a final step so that it covers its children.
// Works with any engine whose context has step(name, body); here the example runtime's.
#ifndef BATON_EXAMPLES_INVOICE_FLOW_HPP
#define BATON_EXAMPLES_INVOICE_FLOW_HPP

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "baton/baggage.hpp"
#include "baton/durable.hpp"
#include "baton/propagation/baggage.hpp"
#include "baton/propagation/trace_context.hpp"
#include "baton/span_context.hpp"
#include "baton/span_record.hpp"

namespace durable_example {

/// The task a producer enqueues: the trace carrier (traceparent, tracestate, baggage with
/// triggeredAt) beside the business fields.
struct invoice_payload {
  std::map<std::string, std::string> carrier;
  std::string customer_id;
};

/// Producer side: `producer` is the span that enqueues (Depot's handleEvent), `now_unix_ms` the
/// enqueue time.
inline invoice_payload enqueue_invoice(const baton::span_context& producer,
                                       std::uint64_t now_unix_ms, std::string customer_id) {
  invoice_payload payload;
  payload.customer_id = std::move(customer_id);
  baton::baggage entries;
  (void)baton::stamp_trigger_time(entries, now_unix_ms);  // "triggeredAt"
  baton::inject_trace_context(producer, payload.carrier);
  baton::inject_baggage(entries, payload.carrier);
  return payload;
}

/// What the handler computed (only meaningful when the execution completed).
struct invoice_result {
  std::int64_t usage = 0;
  std::string message_id;
  bool completed = false;
};

/// The work of the two steps, supplied by the caller (a table scan and an email in real life).
struct invoice_services {
  std::function<std::int64_t(const std::string& customer)> table_scan;
  std::function<std::string(const std::string& customer, std::int64_t usage)> email;
};

/// The durable handler, run from the top on every invocation. `sink` takes finished span
/// records (a guarded OTLP/JSON writer in main.cpp), `now` returns Unix nanoseconds.
template <class Context, class Sink, class Clock>
invoice_result invoice_customer(Context& ctx, const invoice_payload& payload,
                                const invoice_services& services, Sink& sink, Clock& now) {
  invoice_result out;
  auto step = [&ctx](std::string_view name, auto&& body) { return ctx.step(name, body); };
  const baton::trace_context_extraction incoming = baton::extract_trace_context(payload.carrier);
  const baton::baggage_extraction incoming_baggage = baton::extract_baggage(payload.carrier);

  // Everything below is made inside steps, so a replay makes and emits nothing again.
  baton::durable_tracer tracer(step, ctx.execution_id(), std::ref(sink), std::ref(now));
  (void)tracer.boot_span(incoming.context, incoming_baggage.baggage);  // the queue wait

  baton::result<baton::span_record> parent = tracer.open_span("invoiceCustomer", incoming.context);
  if (!parent) return out;  // suspended (or a corrupt journal)
  out.usage = tracer.step("computeCustomerInvoice", *parent,
                          [&] { return services.table_scan(payload.customer_id); });
  out.message_id = tracer.step("emailCustomerInvoice", *parent, [&](baton::span_record& span) {
    span.set_attribute("invoice.usage", out.usage);
    return services.email(payload.customer_id, out.usage);
  });
  out.completed = tracer.close_span(*parent).has_value();
  return out;
}

}  // namespace durable_example

#endif  // BATON_EXAMPLES_INVOICE_FLOW_HPP
