// The invoiceCustomer flow (examples/durable/) under many random schedules: suspensions and
// crashes before steps, crashes after a step's body ran but before its result was stored (the
// step runs again), suspensions after steps, and process restarts that lose the emission guard.
// Checks the invariants of docs/durable.md: each span emitted once per (trace id, span id), one
// trace, the right parents, the parent covering its children, the boot span covering the queue
// wait, and span ids that are the same in every replay and every run of the execution id.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "../examples/durable/durable_runtime.hpp"
#include "../examples/durable/invoice_flow.hpp"
#include "baton/derive.hpp"
#include "baton/durable.hpp"

namespace {

using durable_example::after_step;
using durable_example::before_step;

const std::uint64_t t0_ns = 1750000000123456789ull;  // 2025-06-15, not a whole millisecond

// The producer's span (Depot's handleEvent).
baton::span_context producer_span() {
  return baton::span_context{*baton::trace_id::from_hex("4bf92f3577b34da6a3ce929d0e0e4736"),
                             *baton::span_id::from_hex("00f067aa0ba902b7"),
                             baton::trace_flags().with_sampled(true),
                             {},
                             false};
}

// A clock that only moves forward, by a random step on every read.
struct fake_clock {
  std::uint64_t ns = t0_ns;
  std::mt19937_64* rng = nullptr;
  std::uint64_t operator()() {
    ns += 1000 + (*rng)() % 2000000;  // 1 us .. 2 ms
    return ns;
  }
};

// What the collector received, in order.
struct collector {
  std::vector<baton::span_record> spans;
  void operator()(const baton::span_record& r) { spans.push_back(r); }
};

struct schedule_outcome {
  durable_example::run_report report;
  durable_example::invoice_result result;
  std::vector<baton::span_record> spans;  // as received, repeats included
  std::uint64_t trigger_ns = 0;
  std::uint64_t first_boot_ns = 0;  // "now" when the first invocation began
  int table_scans = 0;
  int emails = 0;
};

// Runs the flow to completion under the schedule drawn from `seed`. With `restarts`, a crash
// also ends the process: the next invocation has a new (empty) emission guard.
schedule_outcome run_schedule(std::uint64_t seed, const std::string& execution_id, bool restarts) {
  std::mt19937_64 rng(seed);
  auto chance = [&rng](unsigned percent) { return rng() % 100 < percent; };
  const unsigned suspend_before = static_cast<unsigned>(rng() % 30);
  const unsigned crash_before = static_cast<unsigned>(rng() % 15);
  const unsigned crash_after = static_cast<unsigned>(rng() % 40);
  const unsigned suspend_after = static_cast<unsigned>(rng() % 40);

  schedule_outcome out;
  fake_clock clock;
  clock.rng = &rng;

  // Producer: stamp the enqueue time, then the task waits in the queue.
  const std::uint64_t enqueued_ns = clock();
  const durable_example::invoice_payload payload =
      durable_example::enqueue_invoice(producer_span(), enqueued_ns / 1000000, "cus_42");
  out.trigger_ns = enqueued_ns / 1000000 * 1000000;  // triggeredAt has whole milliseconds
  clock.ns += 1000000 * (1 + rng() % 900);           // queue wait: 1 ms .. 0.9 s
  out.first_boot_ns = clock.ns;

  durable_example::hooks hooks;
  hooks.before = [&](std::size_t, std::string_view) {
    if (chance(suspend_before)) return before_step::suspend;
    if (chance(crash_before)) return before_step::crash;
    return before_step::run;
  };
  hooks.after = [&](std::size_t, std::string_view) {
    if (chance(crash_after)) return after_step::crash;
    if (chance(suspend_after)) return after_step::store_and_suspend;
    return after_step::store;
  };

  durable_example::invoice_services services;
  services.table_scan = [&](const std::string& customer) {
    ++out.table_scans;
    return static_cast<std::int64_t>(customer.size() * 1000 + 7);
  };
  services.email = [&](const std::string& customer, std::int64_t usage) {
    ++out.emails;
    return "msg-" + customer + "-" + std::to_string(usage);
  };

  collector received;
  baton::emission_guard guard;
  auto sink = baton::guarded_sink(std::ref(received), guard);
  durable_example::journal journal;
  out.report = durable_example::run_execution(
      execution_id, journal, hooks,
      [&](durable_example::invocation_context& ctx) {
        out.result = durable_example::invoice_customer(ctx, payload, services, sink, clock);
      },
      [&](durable_example::stop_reason why) {
        clock.ns += 1000000 * (1 + rng() % 5000);  // the next invocation comes later
        if (restarts && why == durable_example::stop_reason::crashed) guard.clear();
      });
  out.spans = received.spans;
  return out;
}

baton::span_id derived(const std::string& execution_id, std::string_view path,
                       std::string_view role) {
  return baton::derive_span_id(baton::derivation_key{execution_id, path, 0, 0, role});
}

// The four spans of the flow, by name, keeping the first of each id (what a collector that
// dedupes on (trace id, span id) keeps).
std::map<std::string, baton::span_record> first_by_name(const std::vector<baton::span_record>& v) {
  std::map<std::string, baton::span_record> m;
  std::set<std::pair<std::string, std::string>> ids;
  for (const auto& r : v) {
    if (ids.insert({r.trace_id.to_hex(), r.span_id.to_hex()}).second) m.emplace(r.name, r);
  }
  return m;
}

void check_flow(const schedule_outcome& out, const std::string& execution_id, std::uint64_t seed) {
  SCOPED_TRACE("seed " + std::to_string(seed));
  ASSERT_TRUE(out.report.completed);
  EXPECT_TRUE(out.result.completed);
  EXPECT_EQ(out.result.usage, 6007);
  EXPECT_EQ(out.result.message_id, "msg-cus_42-6007");
  EXPECT_GE(out.table_scans, 1);
  EXPECT_GE(out.emails, 1);

  const auto spans = first_by_name(out.spans);
  ASSERT_EQ(spans.size(), 4u);
  const baton::span_context producer = producer_span();
  const baton::span_record& boot = spans.at("orchestrate.boot");
  const baton::span_record& parent = spans.at("invoiceCustomer");
  const baton::span_record& compute = spans.at("computeCustomerInvoice");
  const baton::span_record& email = spans.at("emailCustomerInvoice");

  // One trace: the producer's.
  for (const auto& r : out.spans) {
    EXPECT_EQ(r.trace_id, producer.trace_id) << r.name;
    EXPECT_TRUE(r.is_closed()) << r.name;
    EXPECT_LE(r.start_time_unix_nano, r.end_time_unix_nano) << r.name;
  }
  // Ids derived from the execution identity: the same in every replay and every run.
  EXPECT_EQ(boot.span_id, derived(execution_id, "orchestrate.boot", "boot"));
  EXPECT_EQ(parent.span_id, derived(execution_id, "invoiceCustomer", "parent"));
  EXPECT_EQ(compute.span_id, derived(execution_id, "computeCustomerInvoice", "span"));
  EXPECT_EQ(email.span_id, derived(execution_id, "emailCustomerInvoice", "span"));
  // Parents.
  EXPECT_EQ(boot.parent_span_id, producer.span_id);
  EXPECT_EQ(parent.parent_span_id, producer.span_id);
  EXPECT_EQ(compute.parent_span_id, parent.span_id);
  EXPECT_EQ(email.parent_span_id, parent.span_id);
  // The parent covers its children.
  for (const baton::span_record* child : {&compute, &email}) {
    EXPECT_LE(parent.start_time_unix_nano, child->start_time_unix_nano) << child->name;
    EXPECT_GE(parent.end_time_unix_nano, child->end_time_unix_nano) << child->name;
  }
  EXPECT_LE(compute.end_time_unix_nano, email.start_time_unix_nano);
  // The boot span covers the queue wait: from the trigger time (whole ms) to the first boot.
  EXPECT_EQ(boot.start_time_unix_nano, out.trigger_ns);
  EXPECT_GE(boot.end_time_unix_nano, out.first_boot_ns);
  EXPECT_LE(boot.end_time_unix_nano, parent.start_time_unix_nano);
  // Attributes set inside a step survive.
  ASSERT_NE(email.find_attribute("invoice.usage"), nullptr);
  EXPECT_EQ(email.find_attribute("invoice.usage")->value.as_int64(), 6007);
  // Repeats (possible only after a process restart) carry the same identity as the first.
  for (const auto& r : out.spans) {
    const baton::span_record& first = spans.at(r.name);
    EXPECT_EQ(r.span_id, first.span_id);
    EXPECT_EQ(r.parent_span_id, first.parent_span_id);
  }
}

TEST(DurableReplay, RandomSchedulesInOneProcessEmitEachSpanOnce) {
  const std::string execution_id = "arn:aws:lambda:us-east-1:1:function:invoice:exec-7f3a";
  std::size_t crashes = 0, suspensions = 0, reruns = 0;
  for (std::uint64_t seed = 1; seed <= 400; ++seed) {
    const schedule_outcome out = run_schedule(seed, execution_id, false);
    check_flow(out, execution_id, seed);
    // Exactly once, as received: the guard dropped every repeat of a re-run body.
    std::set<std::pair<std::string, std::string>> ids;
    for (const auto& r : out.spans) {
      EXPECT_TRUE(ids.insert({r.trace_id.to_hex(), r.span_id.to_hex()}).second)
          << "seed " << seed << ": " << r.name << " emitted twice";
    }
    EXPECT_EQ(out.spans.size(), 4u) << "seed " << seed;
    crashes += out.report.crashes;
    suspensions += out.report.suspensions;
    reruns += out.report.bodies_run - 5;  // 5 steps: boot, open, compute, email, close
    if (::testing::Test::HasFailure()) break;
  }
  // The schedules did exercise what they are for.
  EXPECT_GT(crashes, 400u);
  EXPECT_GT(suspensions, 400u);
  EXPECT_GT(reruns, 200u);
}

TEST(DurableReplay, ProcessRestartsRepeatIdsThatACollectorDedupes) {
  const std::string execution_id = "exec-restarts";
  std::size_t repeated = 0;
  for (std::uint64_t seed = 1000; seed < 1200; ++seed) {
    const schedule_outcome out = run_schedule(seed, execution_id, true);
    check_flow(out, execution_id, seed);
    repeated += out.spans.size() - 4;
    if (::testing::Test::HasFailure()) break;
  }
  // A new process has a new guard: a body re-run after a crash emits its span id again; that
  // is why the ids are derived and collectors dedupe on (trace id, span id).
  EXPECT_GT(repeated, 0u);
}

TEST(DurableReplay, SameExecutionIdSameIdsOtherExecutionIdOtherIds) {
  const schedule_outcome a = run_schedule(7, "exec-a", false);
  const schedule_outcome b = run_schedule(8, "exec-a", false);
  const schedule_outcome c = run_schedule(7, "exec-b", false);
  std::set<std::string> ids_a, ids_b, ids_c;
  for (const auto& r : a.spans) ids_a.insert(r.name + "=" + r.span_id.to_hex());
  for (const auto& r : b.spans) ids_b.insert(r.name + "=" + r.span_id.to_hex());
  for (const auto& r : c.spans) ids_c.insert(r.span_id.to_hex());
  EXPECT_EQ(ids_a, ids_b);
  EXPECT_EQ(ids_a.size(), 4u);
  for (const auto& r : a.spans) EXPECT_EQ(ids_c.count(r.span_id.to_hex()), 0u) << r.name;
  // Same schedule, same clock: the very same records.
  const schedule_outcome a2 = run_schedule(7, "exec-a", false);
  ASSERT_EQ(a.spans.size(), a2.spans.size());
  for (std::size_t i = 0; i < a.spans.size(); ++i) EXPECT_EQ(a.spans[i], a2.spans[i]);
}

TEST(DurableReplay, NoScheduleMeansOneInvocation) {
  std::mt19937_64 rng(1);
  fake_clock clock;
  clock.rng = &rng;
  const auto payload = durable_example::enqueue_invoice(producer_span(), clock() / 1000000, "c");
  durable_example::hooks hooks;  // always run and store
  durable_example::invoice_services services;
  services.table_scan = [](const std::string&) { return std::int64_t{1}; };
  services.email = [](const std::string&, std::int64_t) { return std::string("m"); };
  collector received;
  durable_example::journal journal;
  const auto report = durable_example::run_execution(
      "e", journal, hooks,
      [&](durable_example::invocation_context& ctx) {
        durable_example::invoice_customer(ctx, payload, services, received, clock);
      },
      [](durable_example::stop_reason) {});
  EXPECT_TRUE(report.completed);
  EXPECT_EQ(report.invocations, 1u);
  EXPECT_EQ(report.bodies_run, 5u);
  ASSERT_EQ(received.spans.size(), 4u);
  EXPECT_EQ(received.spans[0].name, "orchestrate.boot");
  EXPECT_EQ(received.spans[1].name, "computeCustomerInvoice");
  EXPECT_EQ(received.spans[2].name, "emailCustomerInvoice");
  EXPECT_EQ(received.spans[3].name, "invoiceCustomer");
  ASSERT_EQ(journal.entries.size(), 5u);
  EXPECT_EQ(journal.entries[0].name, "orchestrate.boot");
  EXPECT_EQ(journal.entries[1].name, "invoiceCustomer");
  EXPECT_EQ(journal.entries[4].name, "invoiceCustomer.close");
  EXPECT_EQ(journal.entries[1].value.substr(0, 4), "bs1.");
  // Replaying the completed journal makes and emits nothing.
  const auto again = durable_example::run_execution(
      "e", journal, hooks,
      [&](durable_example::invocation_context& ctx) {
        durable_example::invoice_customer(ctx, payload, services, received, clock);
      },
      [](durable_example::stop_reason) {});
  EXPECT_TRUE(again.completed);
  EXPECT_EQ(again.bodies_run, 0u);
  EXPECT_EQ(received.spans.size(), 4u);
}

}  // namespace
