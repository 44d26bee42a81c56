// Embedding a context snapshot in a JSON task payload, two ways:
//   1. as an object with the W3C fields (traceparent, tracestate, baggage), through an
//      nlohmann::adl_serializer for baton::context_snapshot: readable, and any OpenTelemetry
//      propagator in another language can extract it;
//   2. as a plain string field holding the snapshot token ("bc1." + base64url), which needs no
//      serializer at all: the token never needs escaping in JSON.
// Both round-trip exactly. Built only when nlohmann_json 3 is installed. Prints the two payloads
// and "round trips: ok"; exits 1 on a mismatch.
#include <cstdio>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "baton/baggage.hpp"
#include "baton/snapshot.hpp"
#include "baton/virtual_span.hpp"

namespace nlohmann {

// Writes the W3C text-map form as a JSON object; reading is strict (decode_text_map): a
// missing or invalid traceparent, or a tracestate or baggage that would not be kept whole, throws
// std::invalid_argument with the baton error code's name (as nlohmann_json's own errors throw).
template <>
struct adl_serializer<baton::context_snapshot> {
  static void to_json(json& j, const baton::context_snapshot& s) {
    std::map<std::string, std::string> fields;
    baton::encode_text_map(s, fields);
    j = fields;
  }
  static void from_json(const json& j, baton::context_snapshot& s) {
    const auto fields = j.get<std::map<std::string, std::string>>();
    baton::result<baton::context_snapshot> r = baton::decode_text_map(fields);
    if (!r) {
#if __cpp_exceptions
      throw std::invalid_argument("baton: " + std::string(baton::to_string(r.code())));
#else
      std::abort();  // nlohmann_json reports errors only by exceptions
#endif
    }
    s = std::move(*r);
  }
};

}  // namespace nlohmann

int main() {
  baton::baggage entries;
  (void)baton::stamp_trigger_time(entries, 1750000000000);
  (void)entries.set("tenant", "acme corp");
  const baton::span_context producer{*baton::trace_id::from_hex("4bf92f3577b34da6a3ce929d0e0e4736"),
                                     *baton::span_id::from_hex("00f067aa0ba902b7"),
                                     baton::trace_flags().with_sampled(true),
                                     *baton::tracestate::parse("rojo=00f067aa0ba902b7"), false};
  const baton::result<baton::context_snapshot> snapshot = baton::make_snapshot(producer, entries);
  if (!snapshot) return 1;

  // 1. An object, through the adl_serializer.
  nlohmann::json as_object = {{"customerID", "cus_42"}, {"trace", *snapshot}};
  // 2. A plain string field: the token.
  nlohmann::json as_string = {{"customerID", "cus_42"},
                              {"traceToken", baton::encode_token(*snapshot)}};
  std::printf("%s\n%s\n", as_object.dump().c_str(), as_string.dump().c_str());

  // The consumer reads them back (after the queue, in another process).
  const nlohmann::json in_object = nlohmann::json::parse(as_object.dump());
  const nlohmann::json in_string = nlohmann::json::parse(as_string.dump());
  baton::context_snapshot from_object = in_object.at("trace").get<baton::context_snapshot>();
  const baton::result<baton::context_snapshot> from_token =
      baton::decode_token(in_string.at("traceToken").get<std::string>());
  if (!from_token) return 1;
  // The text map marks a context remote (it came from another process); the token keeps the
  // flag as it was stored.
  from_object.context.remote = snapshot->context.remote;
  const bool ok = from_object == *snapshot && *from_token == *snapshot &&
                  baton::read_trigger_time(from_token->baggage).value_or(0) == 1750000000000u;
  std::printf("round trips: %s\n", ok ? "ok" : "MISMATCH");
  return ok ? 0 : 1;
}
