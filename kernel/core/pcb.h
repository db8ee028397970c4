/* Process invocations (a9n/process.h). */
#pragma once

#include <core/cap_call.h>

a9n_error process_invoke(struct process *caller, struct cap_slot *target, struct cap_message *msg);
