// ODR test, translation unit B (see odr_tu.inc).
#define BATON_ODR_PROBE odr_probe_b
#include "odr_tu.inc"
