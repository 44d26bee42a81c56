// ODR test, translation unit A (see odr_tu.inc).
#define BATON_ODR_PROBE odr_probe_a
#include "odr_tu.inc"
