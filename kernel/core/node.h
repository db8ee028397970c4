/* Node: a table of 2^radix capability slots (see node.c for the operations). */
#pragma once

#include <core/cap_call.h>

a9n_error node_invoke(struct process *caller, struct cap_slot *node, struct cap_message *msg);
