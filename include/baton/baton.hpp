// baton: W3C trace context and baggage propagation, header-only. This umbrella header includes
// every public header; include it, or only the headers you use.
#ifndef BATON_BATON_HPP
#define BATON_BATON_HPP

#include "baton/version.hpp"

// Values and codecs.
#include "baton/baggage.hpp"
#include "baton/baggage_view.hpp"
#include "baton/derive.hpp"
#include "baton/error.hpp"
#include "baton/ids.hpp"
#include "baton/span_context.hpp"
#include "baton/span_record.hpp"
#include "baton/trace_flags.hpp"
#include "baton/traceparent.hpp"
#include "baton/tracestate.hpp"

// Carriers and propagators.
#include "baton/carrier.hpp"
#include "baton/env_carrier.hpp"
#include "baton/propagation/b3.hpp"
#include "baton/propagation/baggage.hpp"
#include "baton/propagation/composite.hpp"
#include "baton/propagation/extracted_context.hpp"
#include "baton/propagation/jaeger.hpp"
#include "baton/propagation/propagator_list.hpp"
#include "baton/propagation/trace_context.hpp"
#include "baton/propagation/xray.hpp"

// Snapshots: durable steps store and restore contexts and span records.
#include "baton/otlp_json.hpp"
#include "baton/snapshot.hpp"
#include "baton/span_record_codec.hpp"

// Durable functions: step helpers, emission guard, virtual spans.
#include "baton/durable.hpp"
#include "baton/virtual_span.hpp"

#endif  // BATON_BATON_HPP
