/*
 * How a server is told of its clients' deaths, from its caps header (included first):
 * capabilities `process` (its own), `deaths` (the Notification Port its clients' exit
 * notices name) and optionally `forward` (server.h, struct ulmm_deaths_wiring). capgen
 * checks that every client with an exit notice reaches each server it has a quota at.
 */
#pragma once

#include "server.h"

#ifdef CAP_deaths
ULMM_CHECK_SLOT(CAP_deaths_SLOT);
ULMM_CHECK_SLOT(CAP_process_SLOT);
#ifdef CAP_forward
ULMM_CHECK_SLOT(CAP_forward_SLOT);
#define ULMM_FORWARD CAP_forward
#else
#define ULMM_FORWARD 0
#endif
#define ULMM_DEATHS_WIRING ((struct ulmm_deaths_wiring){CAP_process, CAP_deaths, ULMM_FORWARD})
#else
#define ULMM_DEATHS_WIRING ((struct ulmm_deaths_wiring){0, 0, 0})
#endif
